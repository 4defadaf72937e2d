/**
 * ThrottleRegistry on jest's fake clock: an endpoint gets a pacer (and
 * rateChange events) only once it throttles, events name the endpoint, the
 * set of pacers is bounded, and shutdown lets every waiter go.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { PolicyEmitter } from '../../src/reporting/emitter.js';
import type { RateChangeEvent } from '../../src/reporting/events.js';
import { ThrottleRegistry, type ThrottleSettings } from '../../src/throttle/throttle-registry.js';
import { flush } from '../support/signals.js';

const T0 = 1_000_000;
const A = 'https://a.obs.cn-north-4.myhuaweicloud.com:443';
const B = 'https://b.obs.cn-north-4.myhuaweicloud.com:443';
const C = 'https://c.obs.cn-north-4.myhuaweicloud.com:443';

/** One-second windows judged after 20 answers. */
const SETTINGS: ThrottleSettings = { minRatePerSec: 1, windowMs: 1000, minSamples: 20, maxEndpoints: 10 };

function makeRegistry(settings: ThrottleSettings = SETTINGS): { registry: ThrottleRegistry; events: RateChangeEvent[] } {
  const emitter = new PolicyEmitter();
  const events: RateChangeEvent[] = [];
  emitter.on('rateChange', (event) => events.push(event));
  return { registry: new ThrottleRegistry(settings, emitter, () => Date.now()), events };
}

/** `throttled` throttling answers then `ok` others from `endpoint`, all sent at `sentAt`. */
function answers(registry: ThrottleRegistry, endpoint: string, throttled: number, ok: number, sentAt: number): void {
  for (let i = 0; i < throttled; i++) registry.record(endpoint, true, undefined, sentAt);
  for (let i = 0; i < ok; i++) registry.record(endpoint, false, undefined, sentAt);
}

/**
 * Teaches `endpoint` 10 req/s: a first throttling answer (sent now) starts its window,
 * then one second later 9 more throttled and 10 other answers to requests sent in it.
 */
function teach10(registry: ThrottleRegistry, endpoint: string): void {
  const start = Date.now();
  registry.record(endpoint, true, undefined, start);
  jest.advanceTimersByTime(1000);
  answers(registry, endpoint, 9, 10, start);
}

/** Settles a promise into a flag the test can read at any moment. */
function track(promise: Promise<void> | undefined): { state: 'pending' | 'resolved' | 'rejected' } {
  if (promise === undefined) throw new Error('expected the request to wait');
  const tracked: { state: 'pending' | 'resolved' | 'rejected' } = { state: 'pending' };
  promise.then(
    () => (tracked.state = 'resolved'),
    () => (tracked.state = 'rejected'),
  );
  return tracked;
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('ThrottleRegistry', () => {
  it('keeps no pacer for an endpoint that never throttled, whatever it answered', () => {
    const { registry, events } = makeRegistry();
    jest.advanceTimersByTime(5000);
    answers(registry, A, 0, 500, T0);
    expect(registry.tracks(A)).toBe(false);
    expect(registry.rate(A)).toBeNull();
    expect(registry.acquire(A, undefined, Infinity)).toBeUndefined();
    expect(events).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('starts learning on the first throttling answer, and then counts every answer of that endpoint', () => {
    const { registry, events } = makeRegistry();
    registry.record(A, true, undefined, T0);
    expect(registry.tracks(A)).toBe(true);
    expect(registry.tracks(B)).toBe(false);
    // One throttling answer teaches no rate yet.
    expect(registry.rate(A)).toBeNull();
    expect(events).toEqual([]);
    jest.advanceTimersByTime(1000);
    // 10 throttled of 20 (the first included) in one second: 10 req/s.
    answers(registry, A, 9, 10, T0);
    expect(registry.rate(A)).toBe(10);
    expect(registry.rate(B)).toBeNull();
  });

  it('reports every change of pace with its endpoint, rate and cause', () => {
    const { registry, events } = makeRegistry();
    registry.record(B, true, 1500, T0);
    teach10(registry, A);
    expect(events).toEqual([
      { endpoint: B, ratePerSec: null, cause: 'retryAfter' },
      { endpoint: A, ratePerSec: 10, cause: 'throttled' },
    ] satisfies RateChangeEvent[]);
  });

  it('paces an endpoint once it learned a rate: acquire waits', async () => {
    const { registry } = makeRegistry();
    teach10(registry, A);
    // The slack of three slots, then waits.
    for (let i = 0; i < 3; i++) expect(registry.acquire(A, undefined, Infinity)).toBeUndefined();
    const waiter = track(registry.acquire(A, undefined, Infinity));
    expect(registry.acquire(B, undefined, Infinity)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(99);
    expect(waiter.state).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(waiter.state).toBe('resolved');
  });

  it('keeps at most maxEndpoints pacers, dropping the least recently recorded and releasing its waiters', async () => {
    const { registry } = makeRegistry({ ...SETTINGS, maxEndpoints: 2 });
    registry.record(A, true, 60_000, T0);
    registry.record(B, true, 60_000, T0);
    const waitingOnA = track(registry.acquire(A, undefined, Infinity));
    const waitingOnB = track(registry.acquire(B, undefined, Infinity));
    // A is used again (recording touches it): B is now the least recently used.
    registry.record(A, false, undefined, T0);
    registry.record(C, true, undefined, T0);
    expect([registry.tracks(A), registry.tracks(B), registry.tracks(C)]).toEqual([true, false, true]);
    await flush();
    expect(waitingOnB.state).toBe('resolved');
    expect(waitingOnA.state).toBe('pending');
    // B starts from scratch: unpaced, no pause.
    expect(registry.acquire(B, undefined, Infinity)).toBeUndefined();
    registry.shutdown();
  });

  it('shutdown releases every waiter of every endpoint, leaves no timer and forgets every pace', async () => {
    const { registry, events } = makeRegistry();
    registry.record(A, true, 60_000, T0);
    registry.record(B, true, 30_000, T0);
    const waiters = [track(registry.acquire(A, undefined, Infinity)), track(registry.acquire(A, undefined, Infinity)), track(registry.acquire(B, undefined, Infinity))];
    expect(jest.getTimerCount()).toBe(2);
    registry.shutdown();
    expect(jest.getTimerCount()).toBe(0);
    await flush();
    expect(waiters.map((w) => w.state)).toEqual(['resolved', 'resolved', 'resolved']);
    expect([registry.tracks(A), registry.tracks(B)]).toEqual([false, false]);
    expect(registry.acquire(A, undefined, Infinity)).toBeUndefined();
    expect(events.map((e) => e.cause)).toEqual(['retryAfter', 'retryAfter']);
  });

  it('caps a Retry-After pause at the maxPauseMs it is recorded with, and each wait at the request\'s maxWaitMs', async () => {
    const { registry } = makeRegistry();
    registry.record(A, true, 86_400_000, T0, 2000);
    registry.record(B, true, 86_400_000, T0);
    const onA = track(registry.acquire(A, undefined, Infinity));
    const onB = track(registry.acquire(B, undefined, Infinity, 1000));
    await jest.advanceTimersByTimeAsync(1000);
    expect([onA.state, onB.state]).toEqual(['pending', 'resolved']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(onA.state).toBe('resolved');
    expect([registry.acquire(A, undefined, Infinity), registry.acquire(B, undefined, Infinity, 1000)]).toEqual([undefined, undefined]);
  });
});
