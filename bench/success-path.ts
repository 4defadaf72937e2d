/**
 * `npm run bench:success-path`: what the policies themselves add to a call that
 * succeeds, without any I/O. The adapter answers at once from memory, so the
 * CPU per call is axios's own request pipeline plus, for the policy variant,
 * the package's work (interceptor, breaker gate and record, pace lookup,
 * lending the config). Absolute URLs, 32 calls in flight sharing one
 * AbortSignal, as the peer harness's second overhead setup.
 *
 * Each variant runs in its own child process; `--processes` fresh processes
 * per variant alternate (bare, policies, bare, …) because two processes of the
 * same code differ by several percent. Reported: the median over processes of
 * each process's median round, and the difference in µs per call.
 *
 * Flags: --calls N (per round, default 100000), --rounds R (5), --processes P (4).
 */
import { fork } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import axios, { type AxiosAdapter, type AxiosResponse } from 'axios';
import { attachObsPolicies } from 'obs-axios-policies';
import { median, numberFlag } from './bench-args.js';

const CALLS = numberFlag('calls', 100_000);
const ROUNDS = numberFlag('rounds', 5);
const PROCESSES = numberFlag('processes', 4);
const CONCURRENCY = 32;
const URL_ = 'http://127.0.0.1:9/bench/object-1k';

type Variant = 'bare' | 'policies';

/** In a child: warm up, run the rounds, send the per-round µs per call. */
async function child(variant: Variant): Promise<void> {
  const answer: AxiosAdapter = (config) => Promise.resolve({ data: new ArrayBuffer(1024), status: 200, statusText: 'OK', headers: {}, config, request: {} } as AxiosResponse);
  const client = axios.create({ adapter: answer, timeout: 10_000, maxRedirects: 0, responseType: 'arraybuffer' });
  const handle = variant === 'policies' ? attachObsPolicies(client) : undefined;
  const controller = new AbortController();
  setMaxListeners(CONCURRENCY * 4, controller.signal);
  const round = async (calls: number): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < calls) await client.get(URL_, { signal: controller.signal });
      }),
    );
  };
  await round(CALLS / 5);
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const before = process.cpuUsage();
    await round(CALLS);
    const cpu = process.cpuUsage(before);
    rounds.push((cpu.user + cpu.system) / CALLS);
  }
  handle?.detach();
  process.send?.(rounds);
}

function runChild(variant: Variant): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = fork(import.meta.filename, ['--child', variant, ...process.argv.slice(2)], { execArgv: ['--import', 'tsx'] });
    worker.once('message', (rounds: number[]) => {
      resolve(rounds);
    });
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${variant} child exited with ${String(code)}`));
    });
  });
}

async function parent(): Promise<void> {
  const perProcess: Record<Variant, number[]> = { bare: [], policies: [] };
  for (let p = 0; p < PROCESSES; p++) {
    const order: Variant[] = p % 2 === 0 ? ['bare', 'policies'] : ['policies', 'bare'];
    for (const variant of order) {
      const rounds = await runChild(variant);
      perProcess[variant].push(median(rounds));
      process.stderr.write(`process ${String(p + 1)}/${String(PROCESSES)} ${variant}: ${median(rounds).toFixed(2)} µs/call\n`);
    }
  }
  const bare = median(perProcess.bare);
  const policies = median(perProcess.policies);
  console.log(`success path without I/O, ${String(CONCURRENCY)} in flight, ${String(CALLS)} calls × ${String(ROUNDS)} rounds × ${String(PROCESSES)} processes per variant (Node ${process.version})`);
  console.log(`| variant | CPU µs per call (median) | per process |`);
  console.log(`| --- | --- | --- |`);
  console.log(`| bare axios | ${bare.toFixed(2)} | ${perProcess.bare.map((v) => v.toFixed(2)).join(', ')} |`);
  console.log(`| with attachObsPolicies | ${policies.toFixed(2)} | ${perProcess.policies.map((v) => v.toFixed(2)).join(', ')} |`);
  console.log(`added by the policies: ${(policies - bare).toFixed(2)} µs per call`);
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) await child(process.argv[childIndex + 1] === 'policies' ? 'policies' : 'bare');
else await parent();
