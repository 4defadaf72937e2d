/**
 * A deterministic simulation of a fleet on jest's fake clock: N clients, each
 * with its own pacer (as N processes learn apart), share one throttling server
 * (one token bucket). Each client makes its calls with K in flight and retries
 * throttled answers like the package does (throttled backoff, 3 retries).
 * Measures what the fleet benchmark does: completion against the ideal, the
 * requests per call, failed calls and Jain's index over per-client rates.
 */
import { jest } from '@jest/globals';
import { EndpointPacer } from '../../src/throttle/endpoint-pacer.js';
// The soak's seeded PRNG, so simulation runs repeat exactly.
import { seeded } from '../soak/chaos.js';
import { simulatedCall } from './simulated-call.js';

/** One simulated fleet run. */
export interface FleetScenario {
  clients: number;
  callsPerClient: number;
  /** Calls of each client, when they differ (default: `callsPerClient` each). */
  callsOfClients?: readonly number[];
  inFlightPerClient: number;
  /** The server's rate limit, shared by every client. */
  ratePerSec: number;
  burst: number;
  /** Server latency, ms. */
  latencyMs: number;
  /** When each client starts, ms after the first (default: all at once). */
  startOffsetsMs?: readonly number[];
}

/** What a fleet run measured (virtual time). */
export interface FleetResult {
  /** Until the last client finished. */
  elapsedMs: number;
  /** Completion ÷ ideal (all calls at the shared limit). */
  ratioToIdeal: number;
  requestsPerCall: number;
  failed: number;
  /** Jain's fairness index over per-client calls/s (1: perfectly fair). */
  jain: number;
  /** Per client: when it finished, ms after the start, and its pace changes. */
  clients: { endedMs: number; rateChanges: { atMs: number; ratePerSec: number | null; cause: string }[] }[];
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Jain's fairness index of `values`: (Σx)² ÷ (n Σx²). */
export function jainIndex(values: readonly number[]): number {
  const sum = values.reduce((a, b) => a + b, 0);
  const squares = values.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}

/** Runs a fleet scenario on fake timers (the caller has called `jest.useFakeTimers()`). */
export async function simulateFleet(s: FleetScenario, seed = 1): Promise<FleetResult> {
  const random = seeded(seed);
  const start = Date.now();
  let tokens = s.burst;
  let refilled = start;
  let requests = 0;
  let failed = 0;
  const callsOf = (index: number): number => s.callsOfClients?.[index] ?? s.callsPerClient;
  const calls = Array.from({ length: s.clients }, (_, index) => callsOf(index)).reduce((a, b) => a + b, 0);
  let pending = calls;
  const serve = async (): Promise<boolean> => {
    requests++;
    const now = Date.now();
    tokens = Math.min(s.burst, tokens + ((now - refilled) / 1000) * s.ratePerSec);
    refilled = now;
    const throttled = tokens < 1;
    if (!throttled) tokens -= 1;
    await sleep(s.latencyMs);
    return throttled;
  };
  const runClient = async (index: number): Promise<FleetResult['clients'][number] & { startedMs: number }> => {
    const offset = s.startOffsetsMs?.[index] ?? 0;
    if (offset > 0) await sleep(offset);
    const rateChanges: FleetResult['clients'][number]['rateChanges'] = [];
    const pacer = new EndpointPacer({ minRatePerSec: 1, windowMs: 250, minSamples: 30 }, (ratePerSec, cause) =>
      rateChanges.push({ atMs: Date.now() - start, ratePerSec, cause }),
    );
    const oneCall = async (): Promise<void> => {
      if (!(await simulatedCall({ pacer, serve, sleep, random }))) failed++;
    };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < callsOf(index)) {
        next++;
        await oneCall();
        pending--;
      }
    };
    await Promise.all(Array.from({ length: s.inFlightPerClient }, () => worker()));
    pacer.releaseAll();
    return { startedMs: offset, endedMs: Date.now() - start, rateChanges };
  };
  const all = Promise.all(Array.from({ length: s.clients }, (_, index) => runClient(index)));
  // Jump from timer to timer; bounded by 10 virtual minutes.
  while (pending > 0 && Date.now() - start < 600_000) await jest.advanceTimersToNextTimerAsync();
  const clients = await all;
  const elapsedMs = Math.max(...clients.map((client) => client.endedMs));
  return {
    elapsedMs,
    ratioToIdeal: elapsedMs / ((calls / s.ratePerSec) * 1000),
    requestsPerCall: requests / calls,
    failed,
    jain: jainIndex(clients.map((client, index) => callsOf(index) / Math.max(1, client.endedMs - client.startedMs))),
    clients: clients.map(({ endedMs, rateChanges }) => ({ endedMs, rateChanges })),
  };
}
