/**
 * `npm run demo`: the main job, end to end. Two local OBS endpoints in a mixed
 * scenario — a throttled bucket, a bucket in an InternalError outage, a bucket
 * that moved to another region, missing keys — and a realistic workload driven
 * through one axios client with the policies attached. Events print as they
 * happen; a summary follows.
 */
import axios from 'axios';
import { attachObsPolicies, isObsError, type ObsPolicyEventName } from 'obs-axios-policies';
import { createLoopbackAgent, createObsServer, outage, throttle } from 'obs-axios-policies/testing';

const CALLS = 600;
const CONCURRENCY = 16;
const PRINT_PER_EVENT = 12;

/** A small seeded PRNG (mulberry32), so every run drives the same workload. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(20261124);
const started = Date.now();
const stamp = (): string => `+${String(Date.now() - started).padStart(5)} ms`;

// Two endpoints: the bucket "archive" moved from the first to the second (another region).
const primary = await createObsServer();
const otherRegion = await createObsServer();
const host = (bucket: string, server = primary, domain = 'obs.cn-north-1.demo'): string => `http://${bucket}.${domain}:${String(server.port)}`;
for (let i = 0; i < 50; i++) primary.putObject('photos', `img-${String(i)}.jpg`, Buffer.alloc(256, i));
for (let i = 0; i < 20; i++) otherRegion.putObject('archive', `2019/report-${String(i)}.pdf`, Buffer.alloc(128, i));
primary.createBucket('logs');

// The mixed scenario.
primary.scenario(
  throttle({ ratePerSec: 400, burst: 40, match: { host: `photos.obs.cn-north-1.demo:${String(primary.port)}` } }),
  outage({ startMs: 100, durationMs: 400, code: 'InternalError', match: { host: `logs.obs.cn-north-1.demo:${String(primary.port)}` } }),
);
primary.enqueue({
  error: 'PermanentRedirect',
  endpoint: `archive.obs.eu-west-101.demo:${String(otherRegion.port)}`,
  match: { host: `archive.obs.cn-north-1.demo:${String(primary.port)}` },
  times: 1000,
});

const agent = createLoopbackAgent({ maxSockets: CONCURRENCY });
const client = axios.create({ httpAgent: agent, timeout: 5000 });
const handle = attachObsPolicies(client, {
  retry: { retries: 4, minDelayMs: 20, maxDelayMs: 800 },
  breaker: { volumeThreshold: 5, errorThresholdPercentage: 50, resetTimeoutMs: 250 },
  redirect: { allowHosts: ['.demo'] },
  random,
});

const eventCounts = new Map<string, number>();
function show(event: ObsPolicyEventName, line: string): void {
  const n = (eventCounts.get(event) ?? 0) + 1;
  eventCounts.set(event, n);
  if (n <= PRINT_PER_EVENT) console.log(`${stamp()}  ${event.padEnd(15)} ${line}`);
  else if (n === PRINT_PER_EVENT + 1) console.log(`${stamp()}  ${event.padEnd(15)} … (further ${event} events counted, not printed)`);
}
const path = (url: string): string => url.replace(/^https?:\/\//, '');
handle.on('retry', (e) => {
  show('retry', `${e.method} ${path(e.url)} #${String(e.attempt)} in ${String(e.delayMs)} ms after ${e.error.obsCode}`);
});
handle.on('redirect', (e) => {
  show('redirect', `${e.method} ${path(e.from)} → ${path(e.to)} (${String(e.status)}${e.permanent ? ', remembered' : ''})`);
});
handle.on('failFast', (e) => {
  show('failFast', `${e.method} ${path(e.url)}: ${e.error.obsCode} (${e.reason})`);
});
handle.on('giveUp', (e) => {
  show('giveUp', `${e.method} ${path(e.url)}: ${e.error.obsCode} after ${String(e.attempts)} attempts (${e.reason})`);
});
handle.on('circuitOpen', (e) => {
  show('circuitOpen', e.endpoint);
});
handle.on('circuitHalfOpen', (e) => {
  show('circuitHalfOpen', e.endpoint);
});
handle.on('circuitClose', (e) => {
  show('circuitClose', e.endpoint);
});
handle.on('circuitReject', (e) => {
  show('circuitReject', `${e.method} ${path(e.url)}`);
});

/** One call of the workload: mostly photo reads and writes, some logs, some archive reads, some misses. */
async function oneCall(i: number): Promise<string> {
  const r = random();
  const n = Math.floor(random() * 50);
  try {
    if (r < 0.4) await client.get(`${host('photos')}/img-${String(n)}.jpg`);
    else if (r < 0.5) await client.get(`${host('photos')}/missing-${String(i)}.jpg`);
    else if (r < 0.65) await client.put(`${host('photos')}/upload-${String(i)}.jpg`, Buffer.alloc(512, i % 256));
    else if (r < 0.8) await client.put(`${host('logs')}/app-${String(i)}.log`, `line ${String(i)}\n`);
    else if (r < 0.9) await client.get(`${host('archive')}/2019/report-${String(n % 20)}.pdf`);
    else await client.head(`${host('photos')}/img-${String(n)}.jpg`);
    return 'success';
  } catch (error) {
    return isObsError(error) ? error.obsCode : 'other error';
  }
}

const outcomes = new Map<string, number>();
let next = 0;
async function worker(): Promise<void> {
  while (next < CALLS) {
    const i = next++;
    const outcome = await oneCall(i);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    // Pace the workload a little so the outage and the breaker's reset play out within the run.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
console.log(`demo: ${String(CALLS)} calls, ${String(CONCURRENCY)} in flight, against two local OBS endpoints\n`);
await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));

const sent = primary.requests.length + otherRegion.requests.length;
const count = (event: string): number => eventCounts.get(event) ?? 0;
console.log('\nsummary');
console.log(`  calls              ${String(CALLS)} in ${String(Date.now() - started)} ms`);
console.log(`  requests sent      ${String(sent)} (primary ${String(primary.requests.length)}, other region ${String(otherRegion.requests.length)})`);
console.log(`  retries            ${String(count('retry'))}`);
console.log(`  redirects followed ${String(count('redirect'))} (the 301 is remembered: later archive calls go straight to the other region)`);
console.log(
  `  breaker            open ${String(count('circuitOpen'))}, half-open ${String(count('circuitHalfOpen'))}, close ${String(count('circuitClose'))}, calls refused ${String(count('circuitReject'))}`,
);
console.log(`  fail fast          ${String(count('failFast'))}, gave up ${String(count('giveUp'))}`);
console.log('  outcomes by code');
for (const [outcome, n] of [...outcomes.entries()].sort((a, b) => b[1] - a[1])) console.log(`    ${outcome.padEnd(18)} ${String(n)}`);

handle.detach();
agent.destroy();
await Promise.all([primary.close(), otherRegion.close()]);
