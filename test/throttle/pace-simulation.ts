/**
 * A deterministic simulation of callers, the pacer and a throttling server on
 * jest's fake clock: K callers in flight, N calls, a server that lets through
 * `ratePerSec` (token bucket) and optionally sheds a random share. Calls retry
 * throttled answers like the package does (throttled backoff, 3 retries).
 */
import { jest } from '@jest/globals';
import { EndpointPacer } from '../../src/throttle/endpoint-pacer.js';
// The soak's seeded PRNG, so simulation runs repeat exactly.
import { seeded } from '../soak/chaos.js';
import { simulatedCall } from './simulated-call.js';

/** One simulated run. */
export interface Scenario {
  calls: number;
  inFlight: number;
  /** Server rate limit; `Infinity`: none. */
  ratePerSec: number;
  burst: number;
  /** Share of requests shed at random, whatever the rate. */
  noise: number;
  /** Server latency, ms. */
  latencyMs: number;
  /** Pacing on or off. */
  paced: boolean;
  /** The pacer's `releaseBatch` (default: the package's). */
  releaseBatch?: number;
}

/** What a run measured (virtual time). */
export interface Result {
  elapsedMs: number;
  requests: number;
  failed: number;
  rateChanges: { ratePerSec: number | null; cause: string }[];
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Runs a scenario on fake timers (the caller has called `jest.useFakeTimers()`). */
export async function simulate(s: Scenario, seed = 1): Promise<Result> {
  const random = seeded(seed);
  const start = Date.now();
  const rateChanges: Result['rateChanges'] = [];
  const pacer = new EndpointPacer({ minRatePerSec: 1, windowMs: 250, minSamples: 30, ...(s.releaseBatch === undefined ? {} : { releaseBatch: s.releaseBatch }) }, (ratePerSec, cause) => rateChanges.push({ ratePerSec, cause }));
  let tokens = s.burst;
  let refilled = start;
  let requests = 0;
  let failed = 0;
  const serve = async (): Promise<boolean> => {
    requests++;
    const now = Date.now();
    tokens = Number.isFinite(s.ratePerSec) ? Math.min(s.burst, tokens + ((now - refilled) / 1000) * s.ratePerSec) : Number.POSITIVE_INFINITY;
    refilled = now;
    let throttled = random() < s.noise;
    if (!throttled) {
      if (tokens >= 1) tokens -= 1;
      else throttled = true;
    }
    await sleep(s.latencyMs);
    return throttled;
  };
  const oneCall = async (): Promise<void> => {
    if (!(await simulatedCall({ pacer: s.paced ? pacer : undefined, serve, sleep, random }))) failed++;
  };
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < s.calls) {
      next++;
      await oneCall();
      done++;
    }
  };
  const workers = Array.from({ length: s.inFlight }, () => worker());
  const all = Promise.all(workers);
  // Jump from timer to timer; bounded by 10 virtual minutes.
  while (done < s.calls && Date.now() - start < 600_000) await jest.advanceTimersToNextTimerAsync();
  await all;
  pacer.releaseAll();
  return { elapsedMs: Date.now() - start, requests, failed, rateChanges };
}
