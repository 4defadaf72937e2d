/**
 * How fast a breaker recovers, and how gently it probes, against the local OBS
 * server's `outage` scenario, with the breaker's default options: a 2 s outage
 * is over for the caller within 2.5 s of the heal, with at most 20 requests
 * into the dead endpoint; a 60 s outage costs at most 12 probes. Then the ops
 * levers on real calls: an isolated endpoint is refused without I/O until it
 * is reset, and a snapshot starts a new handle with its breaker open.
 *
 * jest's fake clock drives the policies' timers and `Date`, and the server's
 * clock (`now`) reads the same `Date`, so the outage window, the breaker's
 * waits and the backoffs are all in fake time; sockets, `setImmediate` and
 * `performance` stay real, so requests travel as usual. One caller calls, waits
 * for the call to settle (advancing the clock by exactly the backoff each
 * `retry` event announces), then thinks for 50 ms of fake time: every figure is
 * the same at any machine speed.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { AxiosInstance } from 'axios';
import type { ObsPolicyHandle } from '../../src/index.js';
import { outage, type ObsTestServer } from '../../src/testing/index.js';
import { namesOf, obsRejection, policyClient, recordEvents, startServer } from '../support/harness.js';
import { fakeClock, ioUntil } from '../support/fake-clock-io.js';

/** The caller's pause between calls, ms of fake time. */
const THINK_MS = 50;
/** When the outage starts, after the scenario is added (ms of fake time). */
const OUTAGE_START_MS = 500;
/** Real-time bound of waiting for the sockets (a hang guard, not a speed assertion). */
const IO_BOUND_MS = 10_000;

afterEach(() => {
  jest.useRealTimers();
});

/** One call, driven to its end (real I/O; the fake clock moved by each backoff the call announces): `ok`, or the code it failed with. */
async function callOnce(client: AxiosInstance, handle: ObsPolicyHandle): Promise<string> {
  let backoff: number | undefined;
  const off = handle.on('retry', ({ delayMs }) => {
    backoff = delayMs;
  });
  let outcome: string | undefined;
  client.get('/photos/ok').then(
    () => {
      outcome = 'ok';
    },
    (error: unknown) => {
      outcome = String((error as { obsCode?: unknown }).obsCode ?? error);
    },
  );
  try {
    for (;;) {
      await ioUntil(() => outcome !== undefined || backoff !== undefined, 'the call or its next backoff', IO_BOUND_MS);
      if (outcome !== undefined) return outcome;
      const wait = backoff ?? 0;
      backoff = undefined;
      await jest.advanceTimersByTimeAsync(wait);
    }
  } finally {
    off();
  }
}

interface OutageRun {
  /** Requests the server answered InternalError (only the outage answers that here). */
  deadRequests: number;
  /** Requests received from the breaker's first opening to the first success (that one included): the probes. */
  probes: number;
  /** ms from the heal to the first call that succeeded. */
  healToSuccessMs: number;
  /** The circuit events, in order. */
  circuitEvents: string[];
}

/** Runs one caller through an outage of `outageMs` with the breaker's defaults (`random` pinned: the jitter). */
async function throughOutage(outageMs: number, random: number): Promise<OutageRun> {
  const server: ObsTestServer = await startServer({ now: () => Date.now() });
  server.putObject('photos', 'ok', 'fine');
  fakeClock();
  const { client, handle } = policyClient(server.url, { random: () => random });
  const events = recordEvents(handle);
  let openedAt: number | undefined;
  handle.on('circuitOpen', () => {
    openedAt ??= Date.now();
  });
  server.scenario(outage({ startMs: OUTAGE_START_MS, durationMs: outageMs }));
  const healAt = Date.now() + OUTAGE_START_MS + outageMs;
  let firstSuccessAt: number | undefined;
  while (firstSuccessAt === undefined) {
    if (Date.now() > healAt + 60_000) throw new Error('no success within 60 s of the heal');
    const outcome = await callOnce(client, handle);
    if (outcome === 'ok' && Date.now() >= healAt) firstSuccessAt = Date.now();
    else await jest.advanceTimersByTimeAsync(THINK_MS);
  }
  const dead = server.requests.filter((request) => typeof request.response === 'object' && request.response.code === 'InternalError');
  return {
    deadRequests: dead.length,
    // The request that opened it was received at the very (fake) ms it opened: later ones are probes.
    probes: server.requests.filter((request) => openedAt !== undefined && request.receivedAt > openedAt).length,
    healToSuccessMs: firstSuccessAt - healAt,
    circuitEvents: namesOf(events).filter((name) => name.startsWith('circuit') && name !== 'circuitReject'),
  };
}

/** The two ends of the jitter: `random()` pinned to 0 and to just under 1. */
const JITTERS = [
  ['no jitter', 0],
  ['the most jitter', 0.999],
] as const;

describe('breaker recovery with the default options', () => {
  it.each(JITTERS)('a 2 s outage (%s): at most 20 requests into it, the first success within 2.5 s of the heal', async (_name, random) => {
    const run = await throughOutage(2000, random);
    expect(run.deadRequests).toBeLessThanOrEqual(20);
    expect(run.healToSuccessMs).toBeLessThanOrEqual(2500);
    expect(run.circuitEvents.slice(-2)).toEqual(['circuitHalfOpen', 'circuitClose']);
  });

  it.each(JITTERS)('a 60 s outage (%s): at most 12 probes in all, and the endpoint back within one capped interval of the heal', async (_name, random) => {
    const run = await throughOutage(60_000, random);
    expect(run.probes).toBeLessThanOrEqual(12);
    expect(run.deadRequests).toBeLessThanOrEqual(20);
    expect(run.healToSuccessMs).toBeLessThanOrEqual(30_000 + THINK_MS);
  });
});

describe('the ops levers on real calls', () => {
  it('isolate: calls are refused with CircuitOpen and send nothing; reset: the next call goes out', async () => {
    const server = await startServer();
    server.putObject('photos', 'ok', 'fine');
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    expect((await client.get('/photos/ok')).data).toBe('fine');
    expect(handle.isolate(`${server.url}/photos/ok`)).toBe(true);
    const refused = await obsRejection(client.get('/photos/ok'));
    expect([refused.obsCode, refused.attempts, refused.name]).toEqual(['CircuitOpen', 0, 'CircuitOpenError']);
    expect(server.requests).toHaveLength(1);
    expect(handle.reset(server.url)).toBe(true);
    expect((await client.get('/photos/ok')).data).toBe('fine');
    expect(server.requests).toHaveLength(2);
    expect(namesOf(events)).toEqual(['circuitOpen', 'circuitReject', 'circuitClose']);
  });

  it('a snapshot of an open breaker starts a new handle with it open: its calls are refused without I/O until it half-opens', async () => {
    const server = await startServer({ now: () => Date.now() });
    server.putObject('photos', 'ok', 'fine');
    fakeClock();
    const first = policyClient(server.url, { random: () => 0, retry: { retries: 0 } });
    server.enqueue({ error: 'InternalError', times: 5 });
    for (let i = 0; i < 5; i++) expect(await callOnce(first.client, first.handle)).toBe('InternalError');
    expect(first.handle.breakerState(server.url)).toBe('open');
    const state = JSON.stringify(first.handle.snapshot());
    first.handle.detach();
    await jest.advanceTimersByTimeAsync(300);

    const second = policyClient(server.url, { random: () => 0, retry: { retries: 0 }, initialState: JSON.parse(state) as ObsPolicyHandle extends { snapshot(): infer S } ? S : never });
    expect(second.handle.breakerState(server.url)).toBe('open');
    expect(await callOnce(second.client, second.handle)).toBe('CircuitOpen');
    expect(server.requests).toHaveLength(5);
    // What was left of the first handle's first wait (1.25 s): 950 ms.
    await jest.advanceTimersByTimeAsync(949);
    expect(second.handle.breakerState(server.url)).toBe('open');
    await jest.advanceTimersByTimeAsync(1);
    expect(second.handle.breakerState(server.url)).toBe('halfOpen');
    expect(await callOnce(second.client, second.handle)).toBe('ok');
    expect(second.handle.breakerState(server.url)).toBe('closed');
  });
});
