/**
 * nextPace, the pure estimator, from tables: when a window cuts the pace and
 * to what, how the window after a cut verifies it (noise or a real limit), how
 * quiet windows grow the pace back (with the quiet time, whatever the windows'
 * length) and when an unused pace is dropped.
 */
import { describe, expect, it } from '@jest/globals';
import { nextPace, unpacedState, type PaceSettings, type PaceState, type PaceStep, type PaceWindow } from '../../src/throttle/pace-estimator.js';

const settings = { minRatePerSec: 1 };

/** A window of one second: `sent` answers, `throttled` of them throttling, `waited` requests held back by the pace. */
function win(sent: number, throttled: number, waited = 0, durationMs = 1000): PaceWindow {
  return { sent, throttled, waited, durationMs };
}

/** A paced state as a cut at `rate` leaves it, with `fields` on top. */
function paced(rate: number, fields: Partial<PaceState> = {}): PaceState {
  return { ...unpacedState(), ratePerSec: rate, learnedRate: rate, ...fields };
}

/** Feeds windows one after the other; returns every step. */
function run(state: PaceState, windows: PaceWindow[], paceSettings: PaceSettings = settings): PaceStep[] {
  const steps: PaceStep[] = [];
  let current = state;
  for (const window of windows) {
    const step = nextPace(current, window, paceSettings);
    steps.push(step);
    current = step.state;
  }
  return steps;
}

describe('nextPace: cutting the pace', () => {
  it.each<[string, PaceState, PaceWindow, number, number | null]>([
    // name, state before, window, minRatePerSec, expected rate after
    ['unpaced, 20 % throttled: cut to the goodput', unpacedState(), win(100, 20), 1, 80],
    ['unpaced, goodput over a half-second window', unpacedState(), win(50, 10, 0, 500), 1, 80],
    ['unpaced, goodput rounded to 0.1 req/s', unpacedState(), win(10, 3, 0, 3000), 1, 2.3],
    ['unpaced, 3 % throttled (just past the 2 % tolerance): cut', unpacedState(), win(100, 3), 1, 97],
    ['unpaced, 2 % throttled (at the tolerance): not cut', unpacedState(), win(100, 2), 1, null],
    ['unpaced, 1 throttled answer in 4 (25 %): fewer than 2 never cut', unpacedState(), win(4, 1), 1, null],
    ['unpaced, 1 throttled answer in 2 (50 %): fewer than 2 never cut', unpacedState(), win(2, 1), 1, null],
    ['unpaced, 2 throttled answers in 4: cut', unpacedState(), win(4, 2), 1, 2],
    ['paced at 100, goodput 50: cut to 70 % of the pace, not lower', paced(100), win(100, 50), 1, 70],
    ['paced at 100, goodput 10: still 70 % in one window', paced(100), win(100, 90), 1, 70],
    ['paced at 100, goodput 80: cut to the goodput (above the 70 % floor)', paced(100), win(100, 20), 1, 80],
    ['paced at 50, goodput 90: a cut never raises the pace', paced(50), win(100, 10), 1, 50],
    ['unpaced, goodput 1 req/s under a 5 req/s floor: the floor', unpacedState(), win(10, 9), 5, 5],
    ['paced at 6, 70 % is 4.2 under a 5 req/s floor: the floor', paced(6), win(10, 9), 5, 5],
    ['unpaced, everything throttled (goodput 0): the floor', unpacedState(), win(10, 10), 1, 1],
  ])('%s', (_name, state, window, minRatePerSec, expected) => {
    const step = nextPace(state, window, { minRatePerSec });
    expect(step.state.ratePerSec).toBe(expected);
    if (expected === state.ratePerSec) {
      expect(step.change).toBeUndefined();
    } else {
      expect(step.change).toEqual({ ratePerSec: expected, cause: 'throttled' });
    }
  });

  it('a cut learns the rate, starts verifying it with the share that triggered it and restarts the counters', () => {
    const before = paced(100, { quietMs: 1750, idleWindows: 3 });
    const { state } = nextPace(before, win(100, 25, 4), settings);
    expect(state).toEqual({
      ratePerSec: 75,
      learnedRate: 75,
      verifying: { share: 0.25, cuts: 1, throttled: 0 },
      noiseFloor: 0,
      quietMs: 0,
      idleWindows: 0,
    } satisfies PaceState);
  });

  it('the state given is never mutated', () => {
    const before = paced(100, { verifying: { share: 0.1, cuts: 1, throttled: 0 } });
    const copy = structuredClone(before);
    nextPace(before, win(100, 10), settings);
    nextPace(before, win(100, 0), settings);
    expect(before).toEqual(copy);
  });
});

describe('nextPace: verifying a cut', () => {
  /** The first cut from unpaced at a 10 % share: 100 sent, 10 throttled in 1 s → 90 req/s. */
  const afterFirstCut = nextPace(unpacedState(), win(100, 10), settings).state;

  it('starts from a first cut at 90 req/s verifying a 10 % share', () => {
    expect(afterFirstCut).toMatchObject({ ratePerSec: 90, verifying: { share: 0.1, cuts: 1 } });
  });

  it('a small share that stays put across two cuts is noise: the pace is dropped and the share kept as the noise floor', () => {
    const steps = run(afterFirstCut, [win(90, 9), win(80, 8)]);
    // The second window: unmoved once, so cut again (the first cut may have read a burst-inflated goodput).
    expect(steps[0]?.change).toEqual({ ratePerSec: 81, cause: 'throttled' });
    expect(steps[0]?.state.verifying).toEqual({ share: 0.1, cuts: 2, throttled: 9 });
    // The third: unmoved after two cuts, on 17 throttled answers, so the throttling does not follow the rate.
    expect(steps[1]?.change).toEqual({ ratePerSec: null, cause: 'noise' });
    expect(steps[1]?.state).toEqual({ ...unpacedState(), noiseFloor: 0.1 } satisfies PaceState);
  });

  it.each<[string, number]>([
    ['down to 70 % of the trigger', 0.07],
    ['up to 1.6 × the trigger (under 1.5 × + the tolerance)', 0.16],
  ])('a share that moved %s counts as unmoved', (_name, share) => {
    const steps = run(afterFirstCut, [win(200, 200 * share), win(200, 200 * share)]);
    expect(steps[0]?.state.verifying).toMatchObject({ share: 0.1, cuts: 2 });
    expect(steps[1]?.change).toEqual({ ratePerSec: null, cause: 'noise' });
  });

  it('a share that falls after a cut is not noise: the cut was real, and the verification starts afresh from the new share', () => {
    // 10 % → 5 %: fell below 60 % of the trigger. Cut (to the goodput, 76) and verify the 5 % share from one cut.
    const steps = run(afterFirstCut, [win(80, 4), win(80, 4)]);
    expect(steps[0]?.change).toEqual({ ratePerSec: 76, cause: 'throttled' });
    expect(steps[0]?.state.verifying).toEqual({ share: 0.05, cuts: 1, throttled: 0 });
    // Where an unmoved share would now be the noise verdict (see above), this one is only the second cut.
    expect(steps[1]?.change?.cause).not.toBe('noise');
    expect(steps[1]?.state).toMatchObject({ ratePerSec: 76, verifying: { share: 0.05, cuts: 2 } });
  });

  it('a share that rises after a cut is not noise: the limit is still exceeded', () => {
    const rises = run(afterFirstCut, [win(90, 9), win(100, 25)]);
    expect(rises.map((s) => s.change?.cause)).toEqual(['throttled', 'throttled']);
    expect(rises[1]?.state.ratePerSec).toBe(75);
    expect(rises[1]?.state.verifying).toEqual({ share: 0.25, cuts: 1, throttled: 0 });
    // The control: the same two cuts and an unmoved third window is the noise verdict.
    expect(run(afterFirstCut, [win(90, 9), win(100, 10)]).map((s) => s.change?.cause)).toEqual(['throttled', 'noise']);
  });

  it('a share above 30 % is never noise, however unmoved', () => {
    const steps = run(nextPace(unpacedState(), win(100, 50), settings).state, [win(100, 50), win(100, 50), win(100, 50), win(100, 50)]);
    expect(steps.map((s) => s.change?.cause ?? 'unchanged')).not.toContain('noise');
    expect(steps.every((s) => s.state.ratePerSec !== null)).toBe(true);
  });

  it('an unmoved share on a handful of throttled answers per window is no verdict until the windows after the cut hold 16', () => {
    // A fleet process: the others take up the room its cuts leave, so each small window keeps 4 throttled answers in 40.
    const steps = run(afterFirstCut, [win(40, 4), win(40, 4), win(40, 4), win(40, 4)]);
    expect(steps.map((s) => s.change?.cause)).toEqual(['throttled', 'throttled', 'throttled', 'noise']);
    expect(steps.map((s) => s.state.verifying?.throttled)).toEqual([4, 8, 12, undefined]);
  });

  it('a quiet window ends the verification', () => {
    const { state } = nextPace(afterFirstCut, win(100, 0, 5), settings);
    expect(state.verifying).toBeUndefined();
  });

  it('once noise is known, the same share no longer cuts; a clearly higher share still does', () => {
    const noisy: PaceState = { ...unpacedState(), noiseFloor: 0.1 };
    const same = nextPace(noisy, win(100, 10), settings);
    expect(same.change).toBeUndefined();
    expect(same.state.ratePerSec).toBeNull();
    const higher = nextPace(noisy, win(100, 40), settings);
    expect(higher.change).toEqual({ ratePerSec: 60, cause: 'throttled' });
    expect(higher.state.noiseFloor).toBe(0.1);
  });
});

describe('nextPace: quiet windows', () => {
  it('grow the pace cubic-like from the learned rate: +1 %, +4 %, +9 %, … per 250 ms of quiet while callers wait for it', () => {
    const quiet = Array.from({ length: 5 }, () => win(25, 0, 10, 250));
    const steps = run(paced(100), quiet);
    expect(steps.map((s) => s.state.ratePerSec)).toEqual([101, 104, 109, 116, 125]);
    expect(steps.every((s) => s.change?.cause === 'recovering')).toBe(true);
    expect(steps.map((s) => s.state.quietMs)).toEqual([250, 500, 750, 1000, 1250]);
  });

  it('probe past 1.25 s of quiet: × 1.25 per further 250 ms on top of the cubic-like growth (room others left)', () => {
    const quiet = Array.from({ length: 8 }, () => win(25, 0, 10, 250));
    // 100 × (1 + 0.01 × 6²) × 1.25 = 170, then × (1 + 0.01 × 7²) × 1.25² = 232.8, × (1 + 0.01 × 8²) × 1.25³ = 320.3.
    expect(run(paced(100), quiet).map((s) => s.state.ratePerSec)).toEqual([101, 104, 109, 116, 125, 170, 232.8, 320.3]);
    // A fleet's verdicts do not probe: the cubic-like growth alone.
    expect(run(paced(100), quiet, { ...settings, probe: false }).map((s) => s.state.ratePerSec)).toEqual([101, 104, 109, 116, 125, 136, 149, 164]);
  });

  it('grow with the quiet time, not the number of windows: one 1 s window grows as much as four of 250 ms', () => {
    const short = run(paced(100), Array.from({ length: 4 }, () => win(25, 0, 10, 250)));
    const long = run(paced(100), [win(100, 0, 10, 1000)]);
    expect(long[0]?.state.ratePerSec).toBe(116);
    expect(short.at(-1)?.state.ratePerSec).toBe(116);
  });

  it('a pace cut to a small share grows back within seconds although its windows last a second each', () => {
    // A fleet process cut to 30 req/s: a window needs its 30 answers, a second each. When the rest of the
    // fleet is done, 2 quiet seconds take it to 3.2 × the cut (the second one probing; growth per window
    // would be 34.8: +16 %).
    const steps = run(paced(30), Array.from({ length: 2 }, () => win(30, 0, 20, 1000)));
    expect(steps.map((s) => s.state.ratePerSec)).toEqual([34.8, 96.1]);
  });

  it('grow from the learned rate, not from the pace, and never shrink a pace already above the target', () => {
    const above = nextPace(paced(130, { learnedRate: 100, quietMs: 250 }), win(25, 0, 10, 250), settings);
    // Target 100 × (1 + 0.01 × 2²) = 104 is under the pace: the pace stays.
    expect(above.state.ratePerSec).toBe(130);
    expect(above.change).toBeUndefined();
  });

  it('never grow the pace by more than ×1.5 per 250 ms of window', () => {
    // Target 100 × (1 + 0.01 × 10²) = 200, but the pace is 10: 15 at most.
    const step = nextPace(paced(10, { learnedRate: 100, quietMs: 2250 }), win(25, 0, 10, 250), settings);
    expect(step.change).toEqual({ ratePerSec: 15, cause: 'recovering' });
    // A 500 ms window: ×1.5² at most.
    expect(nextPace(paced(10, { learnedRate: 100, quietMs: 2000 }), win(25, 0, 10, 500), settings).state.ratePerSec).toBe(22.5);
  });

  it('drop the pace after four quiet windows in which nobody waited (cause idle)', () => {
    const steps = run(paced(100), [win(50, 0, 0, 250), win(50, 0, 0, 250), win(50, 0, 0, 250), win(50, 0, 0, 250)]);
    expect(steps.map((s) => s.change)).toEqual([
      { ratePerSec: 101, cause: 'recovering' },
      { ratePerSec: 104, cause: 'recovering' },
      { ratePerSec: 109, cause: 'recovering' },
      { ratePerSec: null, cause: 'idle' },
    ]);
    expect(steps.at(-1)?.state).toEqual(unpacedState());
  });

  it('keep the pace while anyone waits for it: a window with a waiter restarts the idle count', () => {
    const steps = run(paced(100), [win(50, 0, 0), win(50, 0, 0), win(50, 0, 0), win(50, 0, 1), win(50, 0, 0), win(50, 0, 0), win(50, 0, 0)]);
    expect(steps.map((s) => s.state.idleWindows)).toEqual([1, 2, 3, 0, 1, 2, 3]);
    expect(steps.every((s) => s.state.ratePerSec !== null)).toBe(true);
  });

  it('a cut restarts the idle count', () => {
    const steps = run(paced(100), [win(50, 0, 0), win(50, 0, 0), win(50, 0, 0), win(100, 10, 0), win(50, 0, 0)]);
    expect(steps.map((s) => s.state.idleWindows)).toEqual([1, 2, 3, 0, 1]);
    expect(steps.at(-1)?.state.ratePerSec).not.toBeNull();
  });

  it('let the noise floor decay by 1 % per window, paced or not, and keep it when the pace is dropped as idle', () => {
    const unpaced = run({ ...unpacedState(), noiseFloor: 0.2 }, [win(100, 0), win(100, 0)]);
    expect(unpaced[0]?.state.noiseFloor).toBeCloseTo(0.198, 10);
    expect(unpaced[1]?.state.noiseFloor).toBeCloseTo(0.19602, 10);
    expect(unpaced.every((s) => s.change === undefined)).toBe(true);
    const idle = run(paced(100, { noiseFloor: 0.2 }), [win(50, 0), win(50, 0), win(50, 0), win(50, 0)]);
    expect(idle.at(-1)?.change).toEqual({ ratePerSec: null, cause: 'idle' });
    expect(idle.at(-1)?.state.noiseFloor).toBeCloseTo(0.2 * 0.99 ** 4, 10);
  });

  it('leave an unpaced endpoint unpaced, with nothing to report', () => {
    const step = nextPace(unpacedState(), win(100, 1, 0), settings);
    expect(step).toEqual({ state: unpacedState(), change: undefined } satisfies PaceStep);
  });

  it('lift a pace under minRatePerSec to the floor', () => {
    const step = nextPace(paced(0.5, { learnedRate: 0.5 }), win(10, 0, 1), { minRatePerSec: 2 });
    expect(step.state.ratePerSec).toBe(2);
  });
});
