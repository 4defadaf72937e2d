/**
 * ThrottleRegistry on jest's fake clock: an endpoint's operation class gets a
 * pacer (and rateChange events) only once it throttles, the classes of one
 * endpoint are paced apart, events name the endpoint and the class, the set of
 * endpoints is bounded, and shutdown lets every waiter go.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { PolicyEmitter } from '../../src/reporting/emitter.js';
import type { RateChangeEvent } from '../../src/reporting/events.js';
import { RELEASE_BATCH } from '../../src/throttle/endpoint-pacer.js';
import type { OperationClass } from '../../src/throttle/operation-class.js';
import { ThrottleRegistry, type ThrottleSettings } from '../../src/throttle/throttle-registry.js';
import { flush } from '../support/signals.js';

const T0 = 1_000_000;
const A = 'https://a.obs.cn-north-4.myhuaweicloud.com:443';
const B = 'https://b.obs.cn-north-4.myhuaweicloud.com:443';
const C = 'https://c.obs.cn-north-4.myhuaweicloud.com:443';

/** A `rateChange` payload with the class it names. */

/** One-second windows judged after 20 answers. */
const SETTINGS: ThrottleSettings = { minRatePerSec: 1, windowMs: 1000, minSamples: 20, maxEndpoints: 10 };

function makeRegistry(settings: ThrottleSettings = SETTINGS): { registry: ThrottleRegistry; events: RateChangeEvent[] } {
  const emitter = new PolicyEmitter();
  const events: RateChangeEvent[] = [];
  emitter.on('rateChange', (event) => events.push(event));
  return { registry: new ThrottleRegistry(settings, emitter, () => Date.now()), events };
}

/** `throttled` throttling answers then `ok` others from `endpoint`, all sent at `sentAt`. */
function answers(registry: ThrottleRegistry, endpoint: string, throttled: number, ok: number, sentAt: number, cls: OperationClass = 'read'): void {
  for (let i = 0; i < throttled; i++) registry.record(endpoint, cls, true, undefined, sentAt);
  for (let i = 0; i < ok; i++) registry.record(endpoint, cls, false, undefined, sentAt);
}

/**
 * Teaches `endpoint` 10 req/s: a first throttling answer (sent now) starts its window,
 * then one second later 9 more throttled and 10 other answers to requests sent in it.
 */
function teach10(registry: ThrottleRegistry, endpoint: string, cls: OperationClass = 'read'): void {
  const start = Date.now();
  registry.record(endpoint, cls, true, undefined, start);
  jest.advanceTimersByTime(1000);
  answers(registry, endpoint, 9, 10, start, cls);
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
    expect(registry.acquire(A, 'read', undefined, Infinity)).toBeUndefined();
    expect(events).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('starts learning on the first throttling answer, and then counts every answer of that endpoint', () => {
    const { registry, events } = makeRegistry();
    registry.record(A, 'read', true, undefined, T0);
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

  it('reports every change of pace with its endpoint, class, rate and cause', () => {
    const { registry, events } = makeRegistry();
    registry.record(B, 'read', true, 1500, T0);
    teach10(registry, A);
    expect(events).toEqual([
      { endpoint: B, class: 'read', ratePerSec: null, cause: 'retryAfter' },
      { endpoint: A, class: 'read', ratePerSec: 10, cause: 'throttled' },
    ] satisfies RateChangeEvent[]);
  });

  it('paces an endpoint once it learned a rate: acquire waits', async () => {
    const { registry } = makeRegistry();
    teach10(registry, A);
    // One wake's batch goes at once (its slots a pace interval apart), then the next request waits for its slot.
    for (let i = 0; i < RELEASE_BATCH; i++) expect(registry.acquire(A, 'read', undefined, Infinity)).toBeUndefined();
    const waiter = track(registry.acquire(A, 'read', undefined, Infinity));
    expect(registry.acquire(B, 'read', undefined, Infinity)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(RELEASE_BATCH * 100 - 1);
    expect(waiter.state).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(waiter.state).toBe('resolved');
  });

  it('keeps at most maxEndpoints pacers, dropping the least recently recorded and releasing its waiters', async () => {
    const { registry } = makeRegistry({ ...SETTINGS, maxEndpoints: 2 });
    registry.record(A, 'read', true, 60_000, T0);
    registry.record(B, 'read', true, 60_000, T0);
    const waitingOnA = track(registry.acquire(A, 'read', undefined, Infinity));
    const waitingOnB = track(registry.acquire(B, 'read', undefined, Infinity));
    // A is used again (recording touches it): B is now the least recently used.
    registry.record(A, 'read', false, undefined, T0);
    registry.record(C, 'read', true, undefined, T0);
    expect([registry.tracks(A), registry.tracks(B), registry.tracks(C)]).toEqual([true, false, true]);
    await flush();
    expect(waitingOnB.state).toBe('resolved');
    expect(waitingOnA.state).toBe('pending');
    // B starts from scratch: unpaced, no pause.
    expect(registry.acquire(B, 'read', undefined, Infinity)).toBeUndefined();
    registry.shutdown();
  });

  it('shutdown releases every waiter of every endpoint, leaves no timer and forgets every pace', async () => {
    const { registry, events } = makeRegistry();
    registry.record(A, 'read', true, 60_000, T0);
    registry.record(B, 'read', true, 30_000, T0);
    const waiters = [track(registry.acquire(A, 'read', undefined, Infinity)), track(registry.acquire(A, 'read', undefined, Infinity)), track(registry.acquire(B, 'read', undefined, Infinity))];
    expect(jest.getTimerCount()).toBe(2);
    registry.shutdown();
    expect(jest.getTimerCount()).toBe(0);
    await flush();
    expect(waiters.map((w) => w.state)).toEqual(['resolved', 'resolved', 'resolved']);
    expect([registry.tracks(A), registry.tracks(B)]).toEqual([false, false]);
    expect(registry.acquire(A, 'read', undefined, Infinity)).toBeUndefined();
    expect(events.map((e) => e.cause)).toEqual(['retryAfter', 'retryAfter']);
  });

  it('caps a Retry-After pause at the maxPauseMs it is recorded with, and each wait at the request\'s maxWaitMs', async () => {
    const { registry } = makeRegistry();
    registry.record(A, 'read', true, 86_400_000, T0, 2000);
    registry.record(B, 'read', true, 86_400_000, T0);
    const onA = track(registry.acquire(A, 'read', undefined, Infinity));
    const onB = track(registry.acquire(B, 'read', undefined, Infinity, 1000));
    await jest.advanceTimersByTimeAsync(1000);
    expect([onA.state, onB.state]).toEqual(['pending', 'resolved']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(onA.state).toBe('resolved');
    expect([registry.acquire(A, 'read', undefined, Infinity), registry.acquire(B, 'read', undefined, Infinity, 1000)]).toEqual([undefined, undefined]);
  });
});

describe('ThrottleRegistry by operation class', () => {
  it('paces only the class that was throttled: the other classes of the endpoint go at once', async () => {
    const { registry } = makeRegistry();
    teach10(registry, A, 'list');
    expect([registry.tracks(A), registry.tracks(A, 'list'), registry.tracks(A, 'read'), registry.tracks(A, 'write')]).toEqual([true, true, false, false]);
    for (let i = 0; i < RELEASE_BATCH; i++) expect(registry.acquire(A, 'list', undefined, Infinity)).toBeUndefined();
    const listing = track(registry.acquire(A, 'list', undefined, Infinity));
    // However many reads and writes go meanwhile, none waits and none takes a listing's slot.
    for (let i = 0; i < 100; i++) {
      expect(registry.acquire(A, 'read', undefined, Infinity)).toBeUndefined();
      expect(registry.acquire(A, 'write', undefined, Infinity)).toBeUndefined();
    }
    await jest.advanceTimersByTimeAsync(RELEASE_BATCH * 100 - 1);
    expect(listing.state).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(listing.state).toBe('resolved');
  });

  it('does not teach one class from the answers of another', () => {
    const { registry, events } = makeRegistry();
    teach10(registry, A, 'list');
    // A flood of successful reads, all sent in the list's next window: the list's pace stays as it was.
    jest.advanceTimersByTime(1000);
    answers(registry, A, 0, 500, Date.now() - 1000, 'read');
    expect(registry.rate(A, 'list')).toBe(10);
    expect(registry.rate(A, 'read')).toBeNull();
    expect(registry.tracks(A, 'read')).toBe(false);
    expect(events.map((event) => [event.class, event.cause])).toEqual([['list', 'throttled']]);
  });

  it('learns two classes of one endpoint apart, each with its own events', () => {
    const { registry, events } = makeRegistry();
    const start = Date.now();
    registry.record(A, 'list', true, undefined, start);
    registry.record(A, 'write', true, undefined, start);
    jest.advanceTimersByTime(1000);
    // Listings: 10 of 20 throttled in one second (10 req/s). Writes: 5 of 20 (15 req/s).
    answers(registry, A, 9, 10, start, 'list');
    answers(registry, A, 4, 15, start, 'write');
    expect([registry.rate(A, 'list'), registry.rate(A, 'write'), registry.rate(A, 'read'), registry.rate(A, 'other')]).toEqual([10, 15, null, null]);
    expect(events).toEqual([
      { endpoint: A, class: 'list', ratePerSec: 10, cause: 'throttled' },
      { endpoint: A, class: 'write', ratePerSec: 15, cause: 'throttled' },
    ] satisfies RateChangeEvent[]);
  });

  it("answers the slowest class's pace when no class is asked for", () => {
    const { registry } = makeRegistry();
    expect(registry.rate(A)).toBeNull();
    // A class that was throttled but has no rate yet does not count.
    registry.record(A, 'other', true, undefined, T0);
    expect(registry.rate(A)).toBeNull();
    const start = Date.now();
    registry.record(A, 'list', true, undefined, start);
    registry.record(A, 'write', true, undefined, start);
    jest.advanceTimersByTime(1000);
    answers(registry, A, 4, 15, start, 'write');
    expect(registry.rate(A)).toBe(15);
    answers(registry, A, 9, 10, start, 'list');
    expect(registry.rate(A)).toBe(10);
  });

  it('pauses only the class whose answer carried Retry-After', async () => {
    const { registry } = makeRegistry();
    registry.record(A, 'list', true, 5000, T0);
    const listing = track(registry.acquire(A, 'list', undefined, Infinity));
    expect(registry.acquire(A, 'read', undefined, Infinity)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(4999);
    expect(listing.state).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(listing.state).toBe('resolved');
  });

  it('counts endpoints, not classes, against maxEndpoints, and drops every class of an evicted endpoint', async () => {
    const { registry } = makeRegistry({ ...SETTINGS, maxEndpoints: 2 });
    for (const cls of ['read', 'write', 'list', 'other'] as const) registry.record(A, cls, true, 60_000, T0);
    registry.record(B, 'list', true, 60_000, T0);
    expect([registry.tracks(A, 'read'), registry.tracks(A, 'other'), registry.tracks(B, 'list')]).toEqual([true, true, true]);
    const waiting = [track(registry.acquire(A, 'read', undefined, Infinity)), track(registry.acquire(A, 'list', undefined, Infinity))];
    registry.record(C, 'write', true, undefined, T0);
    expect([registry.tracks(A), registry.tracks(B), registry.tracks(C)]).toEqual([false, true, true]);
    await flush();
    expect(waiting.map((w) => w.state)).toEqual(['resolved', 'resolved']);
    registry.shutdown();
  });
});
