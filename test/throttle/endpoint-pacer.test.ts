/**
 * EndpointPacer on jest's fake clock: the unpaced fast path, FIFO release at
 * the learned rate, aborts and deadlines, Retry-After pauses, which answers a
 * window judges, and releaseAll.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { EndpointPacer, PaceRefusal, RELEASE_BATCH, type PacerSettings } from '../../src/throttle/endpoint-pacer.js';
import type { PaceCause } from '../../src/throttle/pace-estimator.js';
import { flush, watchedSignal } from '../support/signals.js';

const T0 = 1_000_000;
/**
 * One-second windows judged after 20 answers: 10 throttled of 20 in one second teaches 10 req/s. One
 * slot per wake, so each slot's time is exact; the default batch has its own tests below.
 */
const SETTINGS: PacerSettings = { minRatePerSec: 1, windowMs: 1000, minSamples: 20, releaseBatch: 1 };

type Change = [number | null, PaceCause | 'retryAfter' | 'fleet'];

function makePacer(settings: PacerSettings = SETTINGS): { pacer: EndpointPacer; changes: Change[] } {
  const changes: Change[] = [];
  const pacer = new EndpointPacer(
    settings,
    (ratePerSec, cause) => {
      changes.push([ratePerSec, cause]);
    },
    () => Date.now(),
  );
  return { pacer, changes };
}

/**
 * One window's answers, all sent at `sentAt` and answered now: `throttled`
 * throttling answers, then `ok` others (the last one completes the window).
 */
function answers(pacer: EndpointPacer, throttled: number, ok: number, sentAt: number): void {
  for (let i = 0; i < throttled; i++) pacer.record(true, undefined, sentAt);
  for (let i = 0; i < ok; i++) pacer.record(false, undefined, sentAt);
}

/** A pacer paced at 10 req/s (one slot every 100 ms), learned at T0 + 1000 from a window that began at T0. */
function pacedAt10(): { pacer: EndpointPacer; changes: Change[] } {
  const made = makePacer();
  jest.advanceTimersByTime(1000);
  answers(made.pacer, 10, 10, T0);
  expect(made.pacer.ratePerSec).toBe(10);
  expect(made.changes).toEqual([[10, 'throttled']]);
  return made;
}

/** Uses the slot an idle pace has free (with `releaseBatch` 1, one request goes at once; the next one waits). */
function takeSlack(pacer: EndpointPacer): void {
  expect(pacer.acquire(undefined, Infinity)).toBeUndefined();
}

/** Settles a promise into a record the test can read at any moment: its state and the fake-clock time it settled. */
function track(promise: Promise<void> | undefined): { state: 'pending' | 'resolved' | 'rejected'; at: number | undefined; error: unknown } {
  const tracked: { state: 'pending' | 'resolved' | 'rejected'; at: number | undefined; error: unknown } = { state: 'pending', at: undefined, error: undefined };
  if (promise === undefined) throw new Error('expected the request to wait');
  promise.then(
    () => {
      tracked.state = 'resolved';
      tracked.at = Date.now();
    },
    (error: unknown) => {
      tracked.state = 'rejected';
      tracked.at = Date.now();
      tracked.error = error;
    },
  );
  return tracked;
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('EndpointPacer: unpaced', () => {
  it('lets every request go at once, synchronously, without a timer', () => {
    const { pacer } = makePacer();
    for (let i = 0; i < 50; i++) expect(pacer.acquire(undefined, Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(pacer.ratePerSec).toBeNull();
    expect(pacer.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(pacer.idle).toBe(true);
  });

  it('is not paced by throttling answers until a window has enough of them', () => {
    const { pacer, changes } = makePacer();
    jest.advanceTimersByTime(1000);
    answers(pacer, 10, 9, T0);
    expect(pacer.ratePerSec).toBeNull();
    pacer.record(false, undefined, T0);
    expect(pacer.ratePerSec).toBe(10);
    expect(changes).toEqual([[10, 'throttled']]);
  });
});

describe('EndpointPacer: paced', () => {
  it('releases waiting requests in FIFO order, one slot every 1000/rate ms', async () => {
    const { pacer } = pacedAt10();
    const now = T0 + 1000;
    // A little slack after an idle spell: two slots back plus the current one go at once.
    takeSlack(pacer);
    const released: string[] = [];
    const times: number[] = [];
    const waits = ['a', 'b', 'c', 'd', 'e'].map((name) => {
      const slot = pacer.acquire(undefined, Infinity);
      if (slot === undefined) throw new Error(`${name} went without waiting`);
      return slot.then(() => {
        released.push(name);
        times.push(Date.now());
      });
    });
    expect(pacer.waiting).toBe(5);
    await jest.advanceTimersByTimeAsync(99);
    expect(released).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(released).toEqual(['a']);
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(waits);
    expect(released).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(times).toEqual([now + 100, now + 200, now + 300, now + 400, now + 500]);
    expect(pacer.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a release timer that fires late makes up the slots its waiters missed, up to 10 ms of them (fast paces lose nothing to timer lateness)', async () => {
    const { pacer } = makePacer();
    // 2,000 answers got through in one second (the window is judged on its last answer): 2,000 req/s, a slot every 0.5 ms.
    answers(pacer, 99, 2000, T0);
    jest.advanceTimersByTime(1000);
    answers(pacer, 1, 0, T0);
    expect(pacer.ratePerSec).toBe(2000);
    // Two slots of slack plus the current one (an idle endpoint gets no more).
    takeSlack(pacer);
    const waits = Array.from({ length: 60 }, () => track(pacer.acquire(undefined, Infinity)));
    const released = (): number => waits.filter((wait) => wait.state === 'resolved').length;
    // The event loop is busy for 6 ms: the release timer, due in under a millisecond, runs only then.
    jest.setSystemTime(Date.now() + 6);
    await jest.advanceTimersByTimeAsync(1);
    // 7 ms at a slot every 0.5 ms: the slots missed are made up (two slots of slack alone let 3 go).
    expect(released()).toBeGreaterThanOrEqual(12);
    const before = released();
    // A stall of a second does not turn into a flood: at most 10 ms of slots (20) are made up.
    jest.setSystemTime(Date.now() + 1000);
    await jest.advanceTimersByTimeAsync(0);
    expect(released() - before).toBeLessThanOrEqual(22);
    pacer.releaseAll();
  });

  it('queues a newcomer behind the waiters', async () => {
    const { pacer } = pacedAt10();
    takeSlack(pacer);
    const first = track(pacer.acquire(undefined, Infinity));
    const second = track(pacer.acquire(undefined, Infinity));
    await jest.advanceTimersByTimeAsync(100);
    expect([first.state, second.state]).toEqual(['resolved', 'pending']);
    // The next slot is at +200; a request arriving now does not jump the queue.
    const late = track(pacer.acquire(undefined, Infinity));
    await jest.advanceTimersByTimeAsync(200);
    expect([second.at, late.at]).toEqual([T0 + 1200, T0 + 1300]);
  });

  it('an aborted waiter leaves the queue at once with PaceRefusal(aborted); the others keep their order and the pace', async () => {
    const { pacer } = pacedAt10();
    takeSlack(pacer);
    const abortable = watchedSignal();
    const a = track(pacer.acquire(undefined, Infinity));
    const b = track(pacer.acquire(abortable.signal, Infinity));
    const c = track(pacer.acquire(undefined, Infinity));
    const d = track(pacer.acquire(undefined, Infinity));
    expect(abortable.listeners()).toBe(1);
    abortable.controller.abort();
    await flush();
    expect(b.state).toBe('rejected');
    expect(b.error).toBeInstanceOf(PaceRefusal);
    expect((b.error as PaceRefusal).refused).toBe('aborted');
    expect(b.at).toBe(T0 + 1000);
    expect(pacer.waiting).toBe(3);
    expect(abortable.listeners()).toBe(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect([a.state, c.state, d.state]).toEqual(['resolved', 'resolved', 'resolved']);
    expect([a.at, c.at, d.at]).toEqual([T0 + 1100, T0 + 1200, T0 + 1300]);
  });

  it('a released waiter no longer listens to its signal: a later abort changes nothing', async () => {
    const { pacer } = pacedAt10();
    takeSlack(pacer);
    const abortable = watchedSignal();
    const waiter = track(pacer.acquire(abortable.signal, Infinity));
    await jest.advanceTimersByTimeAsync(100);
    expect(waiter.state).toBe('resolved');
    expect(abortable.listeners()).toBe(0);
    abortable.controller.abort();
    await flush();
    expect(waiter.state).toBe('resolved');
  });

  it('an already-aborted signal is refused at once, without queueing or a timer', async () => {
    const { pacer } = pacedAt10();
    takeSlack(pacer);
    const controller = new AbortController();
    controller.abort();
    const slot = pacer.acquire(controller.signal, Infinity);
    expect(pacer.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    await expect(slot).rejects.toEqual(new PaceRefusal('aborted'));
    await expect(slot).rejects.toMatchObject({ name: 'PaceRefusal', refused: 'aborted' });
  });

  it('a request whose expected start is past its deadline is refused at once with PaceRefusal(deadline)', async () => {
    const { pacer } = pacedAt10();
    takeSlack(pacer);
    const a = track(pacer.acquire(undefined, Infinity)); // slot at +100
    const b = track(pacer.acquire(undefined, Infinity)); // slot at +200
    // The next would start at +300: a deadline of +299 cannot be met.
    const tooLate = pacer.acquire(undefined, T0 + 1299);
    await expect(tooLate).rejects.toMatchObject({ name: 'PaceRefusal', refused: 'deadline' });
    expect(pacer.waiting).toBe(2);
    // Exactly at its deadline is in time.
    const justInTime = track(pacer.acquire(undefined, T0 + 1300));
    expect(pacer.waiting).toBe(3);
    await jest.advanceTimersByTimeAsync(300);
    expect([a.at, b.at, justInTime.at]).toEqual([T0 + 1100, T0 + 1200, T0 + 1300]);
    expect(justInTime.state).toBe('resolved');
  });

  it('a new pace applies to the waiters at once, from the moment it is learned', async () => {
    const { pacer, changes } = pacedAt10();
    takeSlack(pacer);
    const waiters = Array.from({ length: 13 }, () => track(pacer.acquire(undefined, Infinity)));
    await jest.advanceTimersByTimeAsync(1050);
    expect(waiters.filter((w) => w.state === 'resolved').map((w) => w.at)).toEqual([1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000].map((t) => T0 + t));
    // The window that began at T0 + 1000 ends: 12 throttled of 20 in 1050 ms, goodput 7.6 req/s.
    answers(pacer, 12, 8, T0 + 1000);
    expect(changes.at(-1)).toEqual([7.6, 'throttled']);
    // The booking at the old pace (T0 + 2100) does not carry over: slots from now, every 1000/7.6 ms
    // (each on the first millisecond of the fake clock at or after its virtual slot; no drift).
    await jest.advanceTimersByTimeAsync(1000);
    expect(waiters.slice(10).map((w) => w.at)).toEqual([T0 + 2050, Math.ceil(T0 + 2050 + 1000 / 7.6), Math.ceil(T0 + 2050 + 2000 / 7.6)]);
  });
});

describe('EndpointPacer: one wake releases a batch (the default)', () => {
  /** SETTINGS with the package's own batch. */
  const BATCHED: PacerSettings = { minRatePerSec: 1, windowMs: 1000, minSamples: 20 };

  /** Release times of `count` requests asked for at once of a pacer following `ratePerSec`, relative to the ask. */
  async function releaseTimes(ratePerSec: number, count: number, releaseBatch?: number): Promise<number[]> {
    const pacer = new EndpointPacer(releaseBatch === undefined ? BATCHED : { ...BATCHED, releaseBatch }, () => undefined, () => Date.now());
    pacer.follow(ratePerSec);
    const start = Date.now();
    const times: number[] = [];
    const waits = Array.from({ length: count }, () => {
      const slot = pacer.acquire(undefined, Infinity);
      if (slot === undefined) {
        times.push(0);
        return Promise.resolve();
      }
      return slot.then(() => {
        times.push(Date.now() - start);
      });
    });
    await jest.advanceTimersByTimeAsync(Math.ceil((count * 1000) / ratePerSec) + 1000);
    await Promise.all(waits);
    expect(pacer.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    return times;
  }

  it(`releases ${String(RELEASE_BATCH)} at once after an idle spell, then ${String(RELEASE_BATCH)} on each timer, the slots still one interval apart`, async () => {
    expect(RELEASE_BATCH).toBe(2);
    // 10 req/s: the slots at 0 and 100 go at once; 200 and 300 on the timer at 200; and so on.
    expect(await releaseTimes(10, 9)).toEqual([0, 0, 200, 200, 400, 400, 600, 600, 800]);
  });

  it('a request that asks while its slot is less than an interval away goes at once (the wake of an answer sends it, no timer)', () => {
    const pacer = new EndpointPacer(BATCHED, () => undefined, () => Date.now());
    pacer.follow(10);
    expect(pacer.acquire(undefined, Infinity)).toBeUndefined();
    // 60 ms later its answer came: the next slot (at 100) is less than an interval off, so the next request goes.
    jest.advanceTimersByTime(60);
    expect(pacer.acquire(undefined, Infinity)).toBeUndefined();
    // The slot at 200 is more than an interval off: this one waits for it.
    expect(pacer.acquire(undefined, Infinity)).toBeInstanceOf(Promise);
    pacer.releaseAll();
  });

  it('a batch that is not a finite number is the default, one below 1 is 1', async () => {
    expect(await releaseTimes(10, 4, Number.NaN)).toEqual([0, 0, 200, 200]);
    expect(await releaseTimes(10, 4, Number.POSITIVE_INFINITY)).toEqual([0, 0, 200, 200]);
    expect(await releaseTimes(10, 3, -5)).toEqual([0, 100, 200]);
  });

  it('whatever the pace and the batch, no span holds more releases than the pace allows plus one batch, and none comes later than the pace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 60 }), async (ratePerSec, releaseBatch, count) => {
        const times = await releaseTimes(ratePerSec, count, releaseBatch);
        const intervalMs = 1000 / ratePerSec;
        for (let first = 0; first < times.length; first++) {
          for (let last = first; last < times.length; last++) {
            const released = last - first + 1;
            // The slots are booked exactly; the timers that release them run on whole milliseconds (1 ms of slack).
            expect(released).toBeLessThanOrEqual(releaseBatch + ((times[last] ?? 0) - (times[first] ?? 0) + 1) / intervalMs);
          }
        }
        // The last request goes no later than its own slot (count − 1 intervals in), give or take a millisecond per
        // timer (the clock's timers run on whole milliseconds).
        expect(times.at(-1)).toBeLessThanOrEqual((count - 1) * intervalMs + count);
      }),
      { numRuns: 60 },
    );
  });
});

describe('EndpointPacer: Retry-After', () => {
  it('holds every request, even unpaced, until it has passed, and reports the pause', async () => {
    const { pacer, changes } = makePacer();
    pacer.record(true, 2000, T0);
    expect(changes).toEqual([[null, 'retryAfter']]);
    expect(pacer.ratePerSec).toBeNull();
    expect(pacer.idle).toBe(false);
    const waiters = [track(pacer.acquire(undefined, Infinity)), track(pacer.acquire(undefined, Infinity)), track(pacer.acquire(undefined, Infinity))];
    await jest.advanceTimersByTimeAsync(1999);
    expect(waiters.map((w) => w.state)).toEqual(['pending', 'pending', 'pending']);
    await jest.advanceTimersByTimeAsync(1);
    // Unpaced: all go together when the pause ends.
    expect(waiters.map((w) => w.at)).toEqual([T0 + 2000, T0 + 2000, T0 + 2000]);
    expect(pacer.acquire(undefined, Infinity)).toBeUndefined();
    expect(pacer.idle).toBe(true);
  });

  it('refuses a request whose deadline falls inside the pause', async () => {
    const { pacer } = makePacer();
    pacer.record(true, 2000, T0);
    await expect(pacer.acquire(undefined, T0 + 1999)).rejects.toMatchObject({ refused: 'deadline' });
    expect(pacer.waiting).toBe(0);
  });

  it('holds a paced queue until it has passed, then releases at the pace', async () => {
    const { pacer, changes } = pacedAt10();
    takeSlack(pacer);
    pacer.record(true, 1000, T0 + 1000);
    expect(changes.at(-1)).toEqual([10, 'retryAfter']);
    const waiters = Array.from({ length: 5 }, () => track(pacer.acquire(undefined, Infinity)));
    await jest.advanceTimersByTimeAsync(999);
    expect(waiters.map((w) => w.state)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    await jest.advanceTimersByTimeAsync(500);
    // After the pause, one slot every 100 ms (with releaseBatch 1, each slot on its own).
    expect(waiters.map((w) => w.at)).toEqual([T0 + 2000, T0 + 2100, T0 + 2200, T0 + 2300, T0 + 2400]);
  });

  it('only lengthens the pause: a shorter Retry-After, or one on a non-throttling answer, is not reported', () => {
    const { pacer, changes } = makePacer();
    pacer.record(true, 2000, T0);
    pacer.record(true, 500, T0);
    pacer.record(false, 5000, T0);
    pacer.record(true, 0, T0);
    expect(changes).toEqual([[null, 'retryAfter']]);
    pacer.record(true, 3000, T0);
    expect(changes).toEqual([
      [null, 'retryAfter'],
      [null, 'retryAfter'],
    ]);
  });

  it('a waiter whose deadline passes during a pause that grew after it queued is refused when its turn comes', async () => {
    const { pacer } = makePacer();
    pacer.record(true, 1000, T0);
    const waiter = track(pacer.acquire(undefined, T0 + 1500));
    pacer.record(true, 3000, T0);
    await jest.advanceTimersByTimeAsync(3000);
    expect(waiter.state).toBe('rejected');
    expect(waiter.error).toMatchObject({ refused: 'deadline' });
  });
});

/** A hostile Retry-After: a day (the most the parser returns). */
const DAY_MS = 86_400_000;

describe('EndpointPacer: a Retry-After pause is capped by maxDelayMs', () => {
  it('a pause recorded with a cap ends at the cap: later requests go at once, and the pacer is idle again', async () => {
    const { pacer, changes } = makePacer();
    pacer.record(true, DAY_MS, T0, 1000);
    expect(changes).toEqual([[null, 'retryAfter']]);
    const waiter = track(pacer.acquire(undefined, Infinity));
    await jest.advanceTimersByTimeAsync(999);
    expect(waiter.state).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect([waiter.state, waiter.at]).toEqual(['resolved', T0 + 1000]);
    expect(pacer.acquire(undefined, Infinity)).toBeUndefined();
    expect(pacer.idle).toBe(true);
  });

  it('each request honours a pause for at most its own maxWaitMs after the Retry-After: later calls are not held at all', async () => {
    const { pacer } = makePacer();
    pacer.record(true, DAY_MS, T0);
    const early = track(pacer.acquire(undefined, Infinity, 1000));
    await jest.advanceTimersByTimeAsync(500);
    const later = track(pacer.acquire(undefined, Infinity, 1000));
    await jest.advanceTimersByTimeAsync(500);
    // Both go when the pause, capped from T0, ends: the later one waited 500 ms, not its whole maxWaitMs.
    expect([early.at, later.at]).toEqual([T0 + 1000, T0 + 1000]);
    for (let i = 0; i < 5; i++) expect(pacer.acquire(undefined, Infinity, 1000)).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a request with a deadline past the capped pause waits for it instead of being refused', async () => {
    const { pacer } = makePacer();
    pacer.record(true, DAY_MS, T0);
    const waiter = track(pacer.acquire(undefined, T0 + 5000, 1000));
    await jest.advanceTimersByTimeAsync(1000);
    expect([waiter.state, waiter.at]).toEqual(['resolved', T0 + 1000]);
    expect(pacer.acquire(undefined, Date.now() + 1, 1000)).toBeUndefined();
    // A deadline inside the capped pause is still refused at once.
    pacer.record(true, DAY_MS, Date.now());
    await expect(pacer.acquire(undefined, Date.now() + 999, 1000)).rejects.toMatchObject({ refused: 'deadline' });
  });

  it('a request queued behind a long pace is not refused when its maxWaitMs lets it go before its deadline', async () => {
    const { pacer } = pacedAt10();
    takeSlack(pacer);
    // Ten queued requests book a second of slots; the eleventh would start after its deadline, but goes after 300 ms anyway.
    for (let i = 0; i < 10; i++) track(pacer.acquire(undefined, Infinity));
    const waiter = track(pacer.acquire(undefined, Date.now() + 500, 300));
    await jest.advanceTimersByTimeAsync(300);
    expect([waiter.state, waiter.at]).toEqual(['resolved', T0 + 1300]);
    pacer.releaseAll();
  });

  it('a shorter Retry-After after a long, capped one is still honoured', async () => {
    const { pacer } = makePacer();
    pacer.record(true, DAY_MS, T0, 1000);
    await jest.advanceTimersByTimeAsync(2000);
    expect(pacer.acquire(undefined, Infinity, 1000)).toBeUndefined();
    pacer.record(true, 500, Date.now(), 1000);
    const waiter = track(pacer.acquire(undefined, Infinity, 1000));
    await jest.advanceTimersByTimeAsync(500);
    expect([waiter.state, waiter.at]).toEqual(['resolved', T0 + 2500]);
  });

  it('maxDelayMs 0 means no pause at all', () => {
    const { pacer, changes } = makePacer();
    pacer.record(true, DAY_MS, T0, 0);
    expect(pacer.acquire(undefined, Infinity, 0)).toBeUndefined();
    expect(changes).toEqual([]);
  });
});

describe('EndpointPacer: what a window judges', () => {
  it('ignores answers to requests sent before the window began', () => {
    const { pacer, changes } = makePacer();
    jest.advanceTimersByTime(1000);
    // Sent before the pacer (and its first window) existed: not judged, whatever they say.
    answers(pacer, 40, 0, T0 - 1);
    expect(pacer.ratePerSec).toBeNull();
    expect(changes).toEqual([]);
    answers(pacer, 10, 10, T0);
    expect(pacer.ratePerSec).toBe(10);
  });

  it('after a cut, answers to requests sent at the old pace never blame the new one', () => {
    const { pacer, changes } = pacedAt10();
    jest.setSystemTime(T0 + 2000);
    // Sent at T0 + 999, before the window that began with the cut at T0 + 1000.
    answers(pacer, 20, 0, T0 + 999);
    expect(pacer.ratePerSec).toBe(10);
    expect(changes).toEqual([[10, 'throttled']]);
    // The same answers to requests sent inside the window cut the pace.
    answers(pacer, 20, 0, T0 + 1000);
    expect(pacer.ratePerSec).toBe(7);
  });

  it('never judges a window on fewer answers than minSamples, however long it lasts (a handful is noise)', () => {
    const { pacer } = makePacer();
    jest.setSystemTime(T0 + 60_000);
    answers(pacer, 2, 0, T0);
    pacer.record(true, undefined, T0);
    // 3 throttled of 3 in a minute: no verdict, no pace.
    expect(pacer.ratePerSec).toBeNull();
  });

  it('drops a pace nobody waits for after four quiet windows', () => {
    const { pacer, changes } = pacedAt10();
    for (let w = 2; w <= 5; w++) {
      jest.setSystemTime(T0 + w * 1000);
      answers(pacer, 0, 20, T0 + (w - 1) * 1000);
    }
    expect(changes.map(([, cause]) => cause)).toEqual(['throttled', 'recovering', 'recovering', 'recovering', 'idle']);
    expect(pacer.ratePerSec).toBeNull();
    expect(pacer.idle).toBe(true);
  });

  it('keeps a pace requests wait for', () => {
    const { pacer, changes } = pacedAt10();
    for (let w = 2; w <= 5; w++) {
      jest.setSystemTime(T0 + w * 1000);
      // Four requests at once: the slack takes three, the fourth waits for its slot.
      for (let i = 0; i < 4; i++) void pacer.acquire(undefined, Infinity)?.catch(() => undefined);
      answers(pacer, 0, 20, T0 + (w - 1) * 1000);
    }
    expect(changes.map(([, cause]) => cause)).toEqual(['throttled', 'recovering', 'recovering', 'recovering', 'recovering']);
    expect(pacer.ratePerSec).not.toBeNull();
    pacer.releaseAll();
  });
});

describe('EndpointPacer.releaseAll', () => {
  it('resolves every waiter at once, removes their abort listeners and leaves no timer', async () => {
    const { pacer } = pacedAt10();
    takeSlack(pacer);
    pacer.record(true, 60_000, T0 + 1000);
    const signals = [watchedSignal(), watchedSignal(), watchedSignal()];
    const waiters = signals.map((s) => track(pacer.acquire(s.signal, Infinity)));
    expect(jest.getTimerCount()).toBe(1);
    pacer.releaseAll();
    expect(jest.getTimerCount()).toBe(0);
    expect(pacer.waiting).toBe(0);
    expect(signals.map((s) => s.listeners())).toEqual([0, 0, 0]);
    await flush();
    expect(waiters.map((w) => [w.state, w.at])).toEqual([
      ['resolved', T0 + 1000],
      ['resolved', T0 + 1000],
      ['resolved', T0 + 1000],
    ]);
  });

  it('is harmless on an empty pacer', () => {
    const { pacer } = makePacer();
    pacer.releaseAll();
    expect(jest.getTimerCount()).toBe(0);
    expect(pacer.acquire(undefined, Infinity)).toBeUndefined();
  });
});
