/**
 * `npx tsx bench/refusal-cost.ts`: what one call refused by an open breaker
 * costs, in wall time, when the calls come one after another (each awaited
 * before the next, as a caller retrying at once in a loop would). One
 * InternalError from the local OBS server opens the endpoint's breaker
 * (`consecutiveFailures: 1`, open waits far beyond the run); every later
 * call is refused without I/O. Reported: wall-clock ms per refused call (the
 * median of the rounds, and each round), and the process's CPU ms per call in
 * the median round, which a busy machine inflates less.
 *
 * Flags: --calls N (refused calls per round, default 2000), --rounds R (7).
 */
import axios, { AxiosError } from 'axios';
import { attachObsPolicies, CircuitOpenError } from 'obs-axios-policies';
import { createObsServer } from 'obs-axios-policies/testing';
import { median, numberFlag } from './bench-args.js';

const CALLS = numberFlag('calls', 2000);
const ROUNDS = numberFlag('rounds', 7);

/** Wall-clock and CPU ms per call of one round. */
interface RoundCost {
  wallMs: number;
  cpuMs: number;
}

/** Sends `calls` sequential calls, each refused; returns the cost per call. */
async function round(call: () => Promise<unknown>, calls: number, expectRefusal = true): Promise<RoundCost> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const error = await call().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    if (expectRefusal && !(error instanceof CircuitOpenError)) throw new Error('expected every call to be refused by the open breaker', { cause: error });
    if (!expectRefusal && error === undefined) throw new Error('expected every bare call to reject');
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs: (performance.now() - started) / calls, cpuMs: (cpu.user + cpu.system) / 1000 / calls };
}

async function main(): Promise<void> {
  const server = await createObsServer();
  try {
    server.createBucket('photos');
    server.enqueue({ error: 'InternalError' });
    const client = axios.create({ baseURL: server.url, proxy: false });
    const handle = attachObsPolicies(client, {
      retry: { retries: 0 },
      breaker: { consecutiveFailures: 1, firstResetTimeoutMs: 600_000, resetTimeoutMs: 600_000 },
      retryBudget: false,
    });
    const call = (): Promise<unknown> => client.get('/photos/a');
    const first = await call().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    if (first === undefined || first instanceof CircuitOpenError) throw new Error('the first call should fail with InternalError and open the breaker');
    // Warm-up: the refusal path compiled before it is timed.
    await round(call, Math.min(CALLS, 500));
    const rounds: RoundCost[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await round(call, CALLS));
    handle.detach();
    // The floor: bare axios, its adapter rejecting at once (no I/O), the same number of rounds.
    const bare = axios.create({
      baseURL: server.url,
      adapter: (config) => Promise.reject(new AxiosError('refused', 'ERR_REFUSED', config)),
    });
    const bareCall = (): Promise<unknown> => bare.get('/photos/a');
    await round(bareCall, Math.min(CALLS, 500), false);
    const bareRounds: RoundCost[] = [];
    for (let r = 0; r < ROUNDS; r++) bareRounds.push(await round(bareCall, CALLS, false));
    const bareCpu = median(bareRounds.map((r) => r.cpuMs));
    const wall = median(rounds.map((r) => r.wallMs));
    const cpu = median(rounds.map((r) => r.cpuMs));
    const shown = rounds.map((r) => r.wallMs.toFixed(4)).join(', ');
    process.stdout.write(
      `refused calls: ${wall.toFixed(4)} ms per call, CPU ${cpu.toFixed(4)} ms per call ` +
        `(medians of ${String(ROUNDS)} rounds of ${String(CALLS)} sequential calls; wall ms per round: ${shown})\n` +
        `bare axios, adapter rejecting at once: CPU ${bareCpu.toFixed(4)} ms per call (axios's own floor for any rejected call); ` +
        `the policies add ${(cpu - bareCpu).toFixed(4)} ms\n`,
    );
  } finally {
    await server.close();
  }
}

await main();
