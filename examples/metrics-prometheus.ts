/**
 * Prometheus metrics from the events, with prom-client and a Registry of our own
 * (never the global default): retries and failures by OBS code, breaker state
 * and pace per endpoint, retry delays. Labels stay bounded: an OBS code, the
 * table's action, a reason kind from a fixed list, and the endpoint origin
 * (`protocol://host:port`, one per bucket host; never a URL or a key).
 * An unpaced endpoint has no pace series at all (removed, not NaN: NaN would
 * poison sum() and comparisons). Drives a short workload against the local OBS
 * server, prints the exposition text and checks it.
 */
import assert from 'node:assert/strict';
import axios from 'axios';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { attachObsPolicies, type ObsError } from 'obs-axios-policies';
import { createLoopbackAgent, createObsServer, outage, throttle } from 'obs-axios-policies/testing';

const registry = new Registry();
const retries = new Counter({ name: 'obs_retries_total', help: 'Retries by OBS code', labelNames: ['code'] as const, registers: [registry] });
const failures = new Counter({
  name: 'obs_failures_total',
  help: 'Calls that failed fast, gave up or were refused by a breaker',
  labelNames: ['code', 'action', 'reason_kind'] as const,
  registers: [registry],
});
const breaker = new Gauge({ name: 'obs_breaker_state', help: '0 closed, 0.5 half-open, 1 open', labelNames: ['endpoint'] as const, registers: [registry] });
const pace = new Gauge({ name: 'obs_pace_requests_per_second', help: 'Client-side pace; absent when unpaced', labelNames: ['endpoint'] as const, registers: [registry] });
const delays = new Histogram({ name: 'obs_retry_delay_seconds', help: 'Backoff waits', buckets: [0.005, 0.025, 0.1, 0.5, 2, 10], registers: [registry] });

/** Free-text reasons folded into a fixed set, so the label cannot grow. */
const REASON_KINDS: [prefix: string, kind: string][] = [
  ['policy', 'policy'], ['redirect refused', 'redirect_refused'], ['retries exhausted', 'retries_exhausted'], ['retry budget', 'budget_exhausted'],
  ['maxElapsedMs', 'deadline'], ['not replayable', 'not_replayable'], ['circuit open', 'circuit_open'], ['detached', 'detached'],
];
const kindOf = (reason: string): string => REASON_KINDS.find(([prefix]) => reason.startsWith(prefix))?.[1] ?? 'other';

const obs = await createObsServer();
const agent = createLoopbackAgent({ maxSockets: 8 });
const client = axios.create({ httpAgent: agent, timeout: 5000 });
const handle = attachObsPolicies(client, {
  retry: { retries: 3, minDelayMs: 5, maxDelayMs: 100 },
  breaker: { consecutiveFailures: 3, resetTimeoutMs: 300 },
  throttle: { windowMs: 100 },
});

handle.on('retry', (e) => {
  retries.inc({ code: e.error.obsCode });
  delays.observe(e.delayMs / 1000);
});
const countFailure = (error: ObsError, reasonKind: string): void => {
  failures.inc({ code: error.obsCode, action: error.action, reason_kind: reasonKind });
};
for (const event of ['failFast', 'giveUp'] as const) {
  handle.on(event, (e) => {
    countFailure(e.error, kindOf(e.reason));
  });
}
handle.on('circuitReject', (e) => {
  countFailure(e.error, 'breaker_open');
});
const BREAKER_VALUES = { circuitOpen: 1, circuitHalfOpen: 0.5, circuitClose: 0 } as const;
for (const [event, value] of Object.entries(BREAKER_VALUES) as [keyof typeof BREAKER_VALUES, number][]) {
  handle.on(event, (e) => {
    breaker.set({ endpoint: e.endpoint }, value);
  });
}
handle.on('rateChange', (e) => {
  if (e.ratePerSec === null) pace.remove({ endpoint: e.endpoint });
  else pace.set({ endpoint: e.endpoint }, e.ratePerSec);
});

const origin = (bucket: string): string => `http://${bucket}.obs.test:${obs.port}`;
const get = (url: string): Promise<unknown> => client.get(url).catch(() => undefined);
obs.putObject('photos', 'cat.jpg', 'meow');
obs.putObject('logs', 'app.log', 'line 1\n');
for (let i = 0; i < 8; i++) obs.putObject('thumbs', `t${i}.png`, Buffer.alloc(64, i));

// 1. A SlowDown that one retry absorbs, and a missing key that fails fast.
obs.enqueue({ error: 'SlowDown' });
await get(`${origin('photos')}/cat.jpg`);
await get(`${origin('photos')}/dog.jpg`);

// 2. An InternalError outage on the logs bucket: its breaker opens, later calls are refused.
obs.scenario(outage({ durationMs: 60_000, match: { host: `logs.obs.test:${obs.port}` } }));
for (let i = 0; i < 3; i++) await get(`${origin('logs')}/app.log`);
const duringOutage = (await breaker.get()).values.find((v) => v.labels.endpoint === origin('logs'))?.value;
obs.clearScenarios(); // the outage ends; after resetTimeoutMs the breaker half-opens, a probe closes it
if (handle.breakerState(origin('logs')) === 'open') {
  await new Promise<void>((resolve) => handle.once('circuitHalfOpen', () => {
    resolve();
  }));
}
await get(`${origin('logs')}/app.log`);

// 3. A bucket that sustains 20 requests/s, hit by 8 workers: the handle learns a pace.
obs.scenario(throttle({ ratePerSec: 20, burst: 4, match: { host: `thumbs.obs.test:${obs.port}` } }));
let next = 0;
const worker = async (): Promise<void> => {
  while (next < 40) await get(`${origin('thumbs')}/t${next++ % 8}.png`);
};
await Promise.all(Array.from({ length: 8 }, worker));

const text = await registry.metrics();
console.log(text);

const valuesOf = async (metric: Counter | Gauge) => (await metric.get()).values;
const retried = await valuesOf(retries);
assert.ok((retried.find((v) => v.labels.code === 'SlowDown')?.value ?? 0) >= 1, 'SlowDown retries counted');
assert.ok((retried.find((v) => v.labels.code === 'InternalError')?.value ?? 0) >= 1, 'InternalError retries counted');
const failed = await valuesOf(failures);
const failedWith = (code: string, action: string, kind: string): number =>
  failed.find((v) => v.labels.code === code && v.labels.action === action && v.labels.reason_kind === kind)?.value ?? 0;
assert.equal(failedWith('NoSuchKey', 'fail', 'policy'), 1, 'NoSuchKey failed fast once');
assert.equal(failedWith('InternalError', 'circuit', 'circuit_open'), 1, 'the breaker cut the first outage call short');
assert.ok(failedWith('CircuitOpen', 'circuit', 'breaker_open') >= 1, 'calls refused by the open breaker');
assert.equal(duringOutage, 1, 'breaker open during the outage');
assert.ok(text.includes(`obs_breaker_state{endpoint="${origin('logs')}"} 0\n`), 'breaker closed again after the probe');
assert.equal(handle.breakerState(origin('logs')), 'closed');
const paced = (await valuesOf(pace)).find((v) => v.labels.endpoint === origin('thumbs'));
assert.ok(paced !== undefined && paced.value > 0 && paced.value <= 100, `a plausible pace for thumbs (got ${String(paced?.value)})`);
assert.equal(paced.value, handle.paceOf(origin('thumbs')), 'the gauge agrees with handle.paceOf');
assert.ok(!text.includes('/cat.jpg') && !text.includes('.png'), 'no URL or key in any label');
const retryTotal = retried.reduce((sum, v) => sum + v.value, 0);
assert.ok(text.includes(`obs_retry_delay_seconds_count ${retryTotal}\n`), 'one delay observed per retry');

handle.detach();
agent.destroy();
await obs.close();
