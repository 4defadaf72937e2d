/**
 * The fleet verdict's growth for processes that joined the window's sum
 * (`withJoiningReporters`): only a pace that held requests back, on a window
 * with nothing throttled, grows, in step with the reporters and at most
 * doubling per window; anything else keeps the estimator's verdict.
 */
import { describe, expect, it } from '@jest/globals';
import { withJoiningReporters } from '../../src/fleet/joining-reporters.js';
import { nextPace, unpacedState, type PaceState, type PaceWindow } from '../../src/throttle/pace-estimator.js';

const PACED: PaceState = { ...unpacedState(), ratePerSec: 300, learnedRate: 300, quietMs: 500 };
/** A quiet window in which the pace held requests back. */
const HELD: PaceWindow = { sent: 80, throttled: 0, waited: 60, durationMs: 260, goodputPerSec: 300 };
const SETTINGS = { minRatePerSec: 1 };

function judged(state: PaceState, window: PaceWindow, reporters: { now: number; before: number } | undefined) {
  return withJoiningReporters(state, nextPace(state, window, SETTINGS), window, reporters);
}

describe('withJoiningReporters', () => {
  it('grows a held-back pace in step with the processes that joined, and restarts the growth from there', () => {
    const step = judged(PACED, HELD, { now: 6, before: 4 });
    expect(step.change).toEqual({ ratePerSec: 450, cause: 'recovering' });
    expect(step.state).toMatchObject({ ratePerSec: 450, learnedRate: 450, quietMs: 0 });
  });

  it('at most doubles the pace in one window', () => {
    expect(judged(PACED, HELD, { now: 32, before: 4 }).state.ratePerSec).toBe(600);
  });

  it("keeps the estimator's verdict when nobody joined, when the window was throttled, when nobody waited, or without counts", () => {
    const plain = nextPace(PACED, HELD, SETTINGS);
    expect(judged(PACED, HELD, { now: 4, before: 4 })).toEqual(plain);
    expect(judged(PACED, HELD, { now: 3, before: 4 })).toEqual(plain);
    expect(judged(PACED, HELD, undefined)).toEqual(plain);
    expect(judged(PACED, HELD, { now: 4, before: 0 })).toEqual(plain);
    const throttled: PaceWindow = { ...HELD, throttled: 8 };
    expect(judged(PACED, throttled, { now: 8, before: 4 })).toEqual(nextPace(PACED, throttled, SETTINGS));
    const unheld: PaceWindow = { ...HELD, waited: 0 };
    expect(judged(PACED, unheld, { now: 8, before: 4 })).toEqual(nextPace(PACED, unheld, SETTINGS));
  });

  it('never paces a fleet that is not paced', () => {
    const state = unpacedState();
    expect(judged(state, HELD, { now: 8, before: 4 })).toEqual(nextPace(state, HELD, SETTINGS));
  });

  it('keeps a verdict that grew further on its own', () => {
    const long: PaceState = { ...PACED, quietMs: 10_000 };
    const plain = nextPace(long, HELD, SETTINGS);
    expect(plain.state.ratePerSec).toBeGreaterThan(330);
    expect(judged(long, HELD, { now: 5, before: 4 })).toEqual(plain);
  });
});
