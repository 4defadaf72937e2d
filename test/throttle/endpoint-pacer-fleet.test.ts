/**
 * EndpointPacer on jest's fake clock, as a fleet store sees it: the join at
 * the first throttled answer, the goodput a closed window carries (every
 * answer that got through, whenever it was sent), judging alone as well until
 * the fleet has a pace, and the idle watch that gives the process's share back
 * once it stops sending (`PacerFleetHooks.idle`), once per report.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { EndpointPacer, FLEET_REPORT_MIN, type PacerFleetHooks, type PacerSettings } from '../../src/throttle/endpoint-pacer.js';
import type { PaceWindow } from '../../src/throttle/pace-estimator.js';

const T0 = 1_000_000;
/** One slot per wake (`releaseBatch` 1), so a slot's time is exact. */
const SETTINGS: PacerSettings = { minRatePerSec: 1, windowMs: 1000, minSamples: 20, releaseBatch: 1 };

/** A pacer whose fleet hooks record what they are told (joining reports apart); `takes` says whether the fleet takes a window. */
function fleetPacer(takes = true): { pacer: EndpointPacer; windows: PaceWindow[]; joins: PaceWindow[]; idles: number[] } {
  const windows: PaceWindow[] = [];
  const joins: PaceWindow[] = [];
  const idles: number[] = [];
  const hooks: PacerFleetHooks = {
    window: (window, joining) => {
      (joining ? joins : windows).push(window);
      return takes;
    },
    hold: () => undefined,
    idle: () => {
      idles.push(Date.now());
    },
  };
  const pacer = new EndpointPacer(SETTINGS, () => undefined, () => Date.now(), hooks);
  return { pacer, windows, joins, idles };
}

/** `count` answers, not throttled, to requests sent at `sentAt`. */
function oks(pacer: EndpointPacer, count: number, sentAt: number): void {
  for (let i = 0; i < count; i++) pacer.record(false, undefined, sentAt);
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('EndpointPacer: joining the fleet', () => {
  it('joins at its first throttled answer, whenever its request was sent, with no counts: they go with the window', () => {
    const { pacer, joins, windows } = fleetPacer();
    jest.advanceTimersByTime(30);
    oks(pacer, 5, T0 - 10);
    expect(joins).toEqual([]);
    pacer.record(true, undefined, T0 - 10);
    expect(joins).toEqual([{ sent: 0, throttled: 0, waited: 0, durationMs: 30 }]);
    expect(pacer.joinedFleet).toBe(true);
    expect(windows).toEqual([]);
  });

  it('joins once: later throttled answers wait for the full window', () => {
    const { pacer, joins, windows } = fleetPacer();
    for (let i = 0; i < 5; i++) pacer.record(true, undefined, T0);
    expect(joins).toHaveLength(1);
    expect(windows).toEqual([]);
  });

  it('does not join while the store cannot take it, and joins at the next throttled answer once it can', () => {
    let takes = false;
    const joins: PaceWindow[] = [];
    const hooks: PacerFleetHooks = { window: (window, joining) => (joining ? joins.push(window) > 0 && takes : takes), hold: () => undefined, idle: () => undefined };
    const pacer = new EndpointPacer(SETTINGS, () => undefined, () => Date.now(), hooks);
    pacer.record(true, undefined, T0);
    expect(pacer.joinedFleet).toBe(false);
    takes = true;
    pacer.record(true, undefined, T0);
    expect(joins).toHaveLength(2);
    expect(pacer.joinedFleet).toBe(true);
  });

  it('a pacer without a store never joins', () => {
    const pacer = new EndpointPacer(SETTINGS, () => undefined, () => Date.now());
    pacer.record(true, undefined, T0);
    expect(pacer.joinedFleet).toBe(false);
  });
});

describe('EndpointPacer: judging alone until the fleet has a pace', () => {
  /** 20 answers in a one-second window, half of them throttled. */
  function halfThrottled(pacer: EndpointPacer): void {
    const start = Date.now();
    jest.advanceTimersByTime(1000);
    for (let i = 0; i < 10; i++) pacer.record(true, undefined, start);
    oks(pacer, 10, start);
  }

  it('reports the window and cuts its own pace from it while the fleet has none', () => {
    const { pacer, windows } = fleetPacer();
    halfThrottled(pacer);
    expect(windows).toHaveLength(1);
    expect(pacer.ratePerSec).toBe(10);
  });

  it("once it follows the fleet's pace, only the fleet judges its windows", () => {
    const { pacer, windows } = fleetPacer();
    pacer.follow(50, 400);
    halfThrottled(pacer);
    expect(windows).toHaveLength(1);
    expect(pacer.ratePerSec).toBe(50);
  });

  it('judges alone again when the fleet drops its pace', () => {
    const { pacer, windows } = fleetPacer();
    pacer.follow(50, 400);
    pacer.follow(null, null);
    halfThrottled(pacer);
    expect(windows).toHaveLength(1);
    expect(pacer.ratePerSec).toBe(10);
  });
});

describe('EndpointPacer: judging alone while the store is down', () => {
  /** One window judged alone: requests wait for the pace, `ms` pass, then `throttled` throttled answers and `ok` that got through. */
  function aloneWindow(pacer: EndpointPacer, ms: number, throttled: number, ok: number): void {
    for (let i = 0; i < 3; i++) void pacer.acquire(undefined, Infinity);
    const sentAt = Date.now();
    jest.advanceTimersByTime(ms);
    for (let i = 0; i < throttled; i++) pacer.record(true, undefined, sentAt);
    oks(pacer, ok, sentAt);
  }

  /** The pace after `seconds` one-second quiet windows judged alone (20 answers each, requests waiting for the pace). */
  function paceAfterQuiet(pacer: EndpointPacer, seconds: number): number | null {
    for (let second = 0; second < seconds; second++) {
      for (let i = 0; i < 3; i++) void pacer.acquire(undefined, Infinity);
      const sentAt = Date.now();
      jest.advanceTimersByTime(1000);
      oks(pacer, 20, sentAt);
    }
    const rate = pacer.ratePerSec;
    pacer.releaseAll();
    return rate;
  }

  it("a pacer that follows a fleet grows as the fleet's verdicts do, one growth step per window and no probing: the others lost the same store and still send", () => {
    // The store cannot take its windows: it judges them alone, from the share it followed.
    const { pacer: follower } = fleetPacer(false);
    follower.follow(30, 960);
    // Three 1 s windows are three growth steps, 30 × (1 + 0.01 × 3²), as three fleet verdicts would grow
    // a pace; credited with their quiet time (12 steps) it was 30 × (1 + 0.01 × 12²) = 73.2.
    expect(paceAfterQuiet(follower, 3)).toBeCloseTo(32.7, 5);
    // A process that never had a fleet grows with its quiet time and probes past that after 1.25 s of quiet.
    const loner = new EndpointPacer(SETTINGS, () => undefined, () => Date.now());
    loner.restore(30);
    expect(paceAfterQuiet(loner, 3)).toBeGreaterThan(2 * 73.2);
  });

  it('a pacer that follows a fleet and judges alone keeps its pace through throttling that does not follow it, as a fleet verdict does (no noise verdict)', () => {
    /** The pace after five 1 s windows of 20 answers, 4 of them throttled (a share that does not move). */
    const afterSteadyShare = (pacer: EndpointPacer): number | null => {
      for (let window = 0; window < 5; window++) aloneWindow(pacer, 1000, 4, 16);
      const rate = pacer.ratePerSec;
      pacer.releaseAll();
      return rate;
    };
    const { pacer: follower } = fleetPacer(false);
    follower.follow(40, 1280);
    expect(afterSteadyShare(follower)).not.toBeNull();
    // A process with no fleet takes it for random shedding and drops its pace.
    const loner = new EndpointPacer(SETTINGS, () => undefined, () => Date.now());
    loner.restore(40);
    expect(afterSteadyShare(loner)).toBeNull();
  });

  it('a pacer that follows a fleet and judges alone cuts as a fleet verdict does: towards what its whole window got through, no deeper than twice the throttled share', () => {
    const { pacer: follower } = fleetPacer(false);
    follower.follow(40, 1280);
    // A window of 20 answers in 1 s, 6 throttled: 14 req/s got through.
    aloneWindow(follower, 1000, 6, 14);
    // Cut towards the goodput, no deeper than CUT_FLOOR (0.7 × 40 = 28) in one window.
    expect(follower.ratePerSec).toBe(28);
    // The next window, 20 answers over 2 s with 4 throttled: 8 req/s got through (over 250 ms it would read 64, above the pace).
    aloneWindow(follower, 2000, 4, 16);
    expect(follower.ratePerSec).toBe(19.6);
    // A window with a small throttled share cuts no deeper than twice that share, as a fleet's verdict:
    // 2 of 20 throttled over 2 s (9 req/s got through) keeps 19.6 × (1 − 0.2) = 15.7, not 0.7 × 19.6 = 13.7.
    aloneWindow(follower, 2000, 2, 18);
    expect(follower.ratePerSec).toBe(15.7);
    follower.releaseAll();
  });
});

describe('EndpointPacer: the goodput of a window', () => {
  it('counts every answer that got through in the window, also those sent before it began; the throttled share still only judges requests sent in it', () => {
    const { pacer, windows } = fleetPacer();
    jest.advanceTimersByTime(1000);
    // 30 answers to requests sent before the window, then 20 sent in it (2 of them throttled).
    oks(pacer, 30, T0 - 10);
    pacer.record(true, undefined, T0);
    pacer.record(true, undefined, T0);
    oks(pacer, FLEET_REPORT_MIN - 2, T0);
    // The first throttled answer joined the fleet; the full window is the report.
    expect(windows).toHaveLength(1);
    const [window] = windows as [PaceWindow];
    expect(window).toMatchObject({ sent: 20, throttled: 2, durationMs: 1000 });
    // 30 + 18 got through in one second.
    expect(window.goodputPerSec).toBe(48);
  });

  it('starts counting again with each window', () => {
    const { pacer, windows } = fleetPacer();
    jest.advanceTimersByTime(1000);
    oks(pacer, 20, T0);
    jest.advanceTimersByTime(2000);
    oks(pacer, 20, T0 + 1000);
    expect(windows.map((window) => window.goodputPerSec)).toEqual([20, 10]);
  });

  it('a window the pacer judges alone (no store answers) is cut to what its own requests got through', () => {
    const { pacer } = fleetPacer(false);
    jest.advanceTimersByTime(1000);
    oks(pacer, 40, T0 - 10);
    for (let i = 0; i < 10; i++) pacer.record(true, undefined, T0);
    oks(pacer, 10, T0);
    // 10 of the requests sent in the window got through in one second (the 40 earlier answers do not count here).
    expect(pacer.ratePerSec).toBe(10);
  });
});

describe('EndpointPacer: giving the share back when idle', () => {
  /** A pacer that reported one window at T0 + 1000. */
  function reported(): ReturnType<typeof fleetPacer> {
    const made = fleetPacer();
    jest.advanceTimersByTime(1000);
    oks(made.pacer, 20, T0);
    expect(made.windows).toHaveLength(1);
    return made;
  }

  it('tells the fleet once, between a half and a whole window after the last request or answer', () => {
    const { idles } = reported();
    jest.advanceTimersByTime(499);
    expect(idles).toEqual([]);
    jest.advanceTimersByTime(5000);
    expect(idles).toHaveLength(1);
    const [at] = idles as [number];
    expect(at - (T0 + 1000)).toBeGreaterThanOrEqual(500);
    expect(at - (T0 + 1000)).toBeLessThanOrEqual(1000);
  });

  it('stays joined while requests keep asking for slots or answers keep coming', () => {
    const { pacer, idles } = reported();
    for (let step = 0; step < 20; step++) {
      jest.advanceTimersByTime(200);
      if (step % 2 === 0) expect(pacer.acquire(undefined, Infinity)).toBeUndefined();
      else pacer.record(false, undefined, Date.now());
    }
    expect(idles).toEqual([]);
  });

  it('does not tell the fleet while requests wait in its queue', () => {
    const { pacer, idles } = reported();
    pacer.follow(0.1);
    // One slot every 10 s: past the first, a request waits in the queue far longer than a window.
    expect(pacer.acquire(undefined, Infinity)).toBeUndefined();
    const waiting = pacer.acquire(undefined, Infinity);
    expect(waiting).toBeInstanceOf(Promise);
    jest.advanceTimersByTime(5000);
    expect(pacer.waiting).toBe(1);
    expect(idles).toEqual([]);
    pacer.releaseAll();
  });

  it('after a throttled answer, a quiet spell is calls in backoff: it stays joined, and its next report watches again', () => {
    const { pacer, idles } = reported();
    pacer.record(true, undefined, Date.now());
    jest.advanceTimersByTime(10_000);
    expect(idles).toEqual([]);
    expect(pacer.joinedFleet).toBe(true);
    const since = Date.now();
    jest.advanceTimersByTime(1000);
    oks(pacer, 20, since);
    jest.advanceTimersByTime(2000);
    expect(idles).toHaveLength(1);
  });

  it('after a throttled answer, the answer that ends the calls in backoff and a quiet half window tell the fleet, without another report', () => {
    const { pacer, idles, windows } = reported();
    pacer.record(true, undefined, Date.now());
    jest.advanceTimersByTime(3000);
    expect(idles).toEqual([]);
    // Quiet after a throttled answer: no watch ticks meanwhile.
    expect(jest.getTimerCount()).toBe(0);
    pacer.record(false, undefined, Date.now());
    const lastAnswer = Date.now();
    jest.advanceTimersByTime(2000);
    expect(windows).toHaveLength(1);
    expect(idles).toHaveLength(1);
    expect((idles[0] ?? 0) - lastAnswer).toBeLessThanOrEqual(1000);
  });

  it('tells it again only after its next report', () => {
    const { pacer, idles } = reported();
    jest.advanceTimersByTime(2000);
    expect(idles).toHaveLength(1);
    jest.advanceTimersByTime(10_000);
    expect(idles).toHaveLength(1);
    const since = Date.now();
    jest.advanceTimersByTime(1000);
    oks(pacer, 20, since);
    jest.advanceTimersByTime(2000);
    expect(idles).toHaveLength(2);
  });

  it('a pacer that never reported (it only follows the fleet) never tells it', () => {
    const { pacer, idles } = fleetPacer();
    pacer.follow(50);
    jest.advanceTimersByTime(10_000);
    expect(idles).toEqual([]);
  });

  it('looks no more often than every 25 ms, however short the window', () => {
    const windows: PaceWindow[] = [];
    const idles: number[] = [];
    const hooks: PacerFleetHooks = { window: (window) => windows.push(window) > 0, hold: () => undefined, idle: () => idles.push(Date.now()) };
    const pacer = new EndpointPacer({ ...SETTINGS, windowMs: 1 }, () => undefined, () => Date.now(), hooks);
    jest.advanceTimersByTime(1);
    oks(pacer, 20, T0);
    expect(windows).toHaveLength(1);
    jest.advanceTimersByTime(24);
    expect(idles).toEqual([]);
    jest.advanceTimersByTime(26);
    expect(idles).toHaveLength(1);
    pacer.releaseAll();
  });

  it('releaseAll (detach) stops the watch', () => {
    const { pacer, idles } = reported();
    pacer.releaseAll();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(10_000);
    expect(idles).toEqual([]);
  });
});

describe("EndpointPacer.follow: a cut of the fleet's pace, not of the share", () => {
  /**
   * A pacer at a share of 100 of a fleet pace of 400, with 10 answers in its window, that then follows
   * `share` of `fleetRate`; 900 ms later 10 more answers come: the windows it reported.
   */
  function followThen(share: number, fleetRate: number): PaceWindow[] {
    const { pacer, windows } = fleetPacer();
    pacer.follow(100, 400);
    jest.advanceTimersByTime(200);
    oks(pacer, 10, T0 + 100);
    pacer.follow(share, fleetRate);
    jest.advanceTimersByTime(900);
    oks(pacer, 10, T0 + 250);
    return windows;
  }

  it('keeps its window when its share shrinks because more processes are live', () => {
    // Four processes became eight: half the share of the same fleet pace.
    const windows = followThen(50, 400);
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ sent: 20 });
  });

  it("starts a new window when the fleet's pace is cut", () => {
    // Answers to requests sent before the cut no longer count for the window.
    expect(followThen(70, 280)).toEqual([]);
  });
});

describe("EndpointPacer.follow: each process keeps its slots' phase", () => {
  /** A pacer at 10 req/s (a slot every 100 ms) whose second request waits for T0 + 100; 10 ms later it follows `share`. */
  async function releaseAfterFollowing(share: number): Promise<number | undefined> {
    const { pacer } = fleetPacer();
    pacer.follow(10, 80);
    // The first goes at once, on the slot of an idle pace.
    expect(pacer.acquire(undefined, Number.POSITIVE_INFINITY)).toBeUndefined();
    let releasedAt: number | undefined;
    void pacer.acquire(undefined, Number.POSITIVE_INFINITY)?.then(() => {
      releasedAt = Date.now();
    });
    await jest.advanceTimersByTimeAsync(10);
    // Every process of the fleet hears of the new pace in the same millisecond.
    pacer.follow(share, share * 8);
    await jest.advanceTimersByTimeAsync(200);
    pacer.releaseAll();
    return releasedAt;
  }

  it('a faster pace books the next slot one new interval after the last one taken, not now', async () => {
    expect(await releaseAfterFollowing(20)).toBe(T0 + 50);
  });

  it('a slower pace leaves the slot the old pace booked', async () => {
    expect(await releaseAfterFollowing(5)).toBe(T0 + 100);
  });
});
