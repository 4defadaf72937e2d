/**
 * The fleet's verdict on one fleet window (`src/fleet/fleet-verdict.ts`): the
 * window's goodput read for every live process, the pace a held-back fleet
 * without one starts from, one growth step per verdict, cuts no deeper than
 * twice the throttled share, no noise verdict, and growth for processes that
 * joined. Pure functions: every input is built here.
 */
import { describe, expect, it } from '@jest/globals';
import { fleetVerdict, judgedState, withLiveGoodput } from '../../src/fleet/fleet-verdict.js';
import type { FleetPaceJudge } from '../../src/fleet/fleet-store.js';
import { GROWTH_STEP_MS, nextPace, unpacedState, type PaceState, type PaceWindow } from '../../src/throttle/pace-estimator.js';

const MIN = { minRatePerSec: 1 };

/** A state paced at `rate`, just cut there (no quiet time yet). */
function pacedAt(rate: number, more: Partial<PaceState> = {}): PaceState {
  return { ...unpacedState(), ratePerSec: rate, learnedRate: rate, ...more };
}

/** A window nothing was throttled in, whose requests waited for the pace. */
function quietWindow(durationMs: number, more: Partial<PaceWindow> = {}): PaceWindow {
  return { sent: 600, throttled: 0, waited: 50, durationMs, ...more };
}

describe('withLiveGoodput', () => {
  const window: PaceWindow = { sent: 400, throttled: 0, waited: 10, durationMs: 1000, goodputPerSec: 400 };

  it("reads the window's goodput as the reporters' mean times the live count", () => {
    expect(withLiveGoodput({ window, state: undefined, reporters: 8 }, 32)).toEqual({ ...window, goodputPerSec: 1600 });
  });

  it('leaves the window as it is when the reporters are unknown, none, all live, or the live count is not finite', () => {
    expect(withLiveGoodput({ window, state: undefined }, 32)).toBe(window);
    expect(withLiveGoodput({ window, state: undefined, reporters: 0 }, 32)).toBe(window);
    expect(withLiveGoodput({ window, state: undefined, reporters: 32 }, 32)).toBe(window);
    expect(withLiveGoodput({ window, state: undefined, reporters: 40 }, 32)).toBe(window);
    expect(withLiveGoodput({ window, state: undefined, reporters: 8 }, Number.POSITIVE_INFINITY)).toBe(window);
    expect(withLiveGoodput({ window, state: undefined, reporters: 8 }, Number.NaN)).toBe(window);
  });

  it('counts the goodput from sent minus throttled over the duration when the window has no goodputPerSec', () => {
    // (120 − 20) answers in 500 ms: 200 req/s from 4 of 8 live processes.
    const counted: PaceWindow = { sent: 120, throttled: 20, waited: 5, durationMs: 500 };
    expect(withLiveGoodput({ window: counted, state: undefined, reporters: 4 }, 8).goodputPerSec).toBe(400);
  });
});

describe('judgedState', () => {
  it("is the fleet's own state when it has a pace", () => {
    const state = pacedAt(800, { quietMs: 500 });
    expect(judgedState(state, quietWindow(250, { goodputPerSec: 300 }))).toBe(state);
  });

  it("is a pace at the window's goodput when the fleet has none but the window's requests waited", () => {
    const expected = { ...unpacedState(), ratePerSec: 123.5, learnedRate: 123.5 };
    expect(judgedState(undefined, quietWindow(250, { goodputPerSec: 123.456 }))).toEqual(expected);
    const noisy = { ...unpacedState(), noiseFloor: 0.04 };
    expect(judgedState(noisy, quietWindow(250, { goodputPerSec: 123.456 }))).toEqual({ ...expected, noiseFloor: 0.04 });
    // Counted from the window: 250 answers in 500 ms.
    expect(judgedState(undefined, quietWindow(500, { sent: 250 })).ratePerSec).toBe(500);
  });

  it("stays unpaced when nobody waited or the window's goodput is 0 or not finite", () => {
    expect(judgedState(undefined, quietWindow(250, { waited: 0, goodputPerSec: 500 }))).toEqual(unpacedState());
    expect(judgedState(undefined, quietWindow(250, { goodputPerSec: 0 }))).toEqual(unpacedState());
    expect(judgedState(undefined, quietWindow(250, { goodputPerSec: Number.POSITIVE_INFINITY }))).toEqual(unpacedState());
    expect(judgedState(undefined, quietWindow(250, { goodputPerSec: Number.NaN }))).toEqual(unpacedState());
  });
});

describe('fleetVerdict', () => {
  describe('grows the pace one growth step per verdict', () => {
    it('grows a 600 ms quiet window as a 250 ms one', () => {
      const state = pacedAt(1000);
      const verdict = fleetVerdict({ window: quietWindow(600), state }, 1, 32);
      expect(verdict).toEqual(nextPace(state, quietWindow(GROWTH_STEP_MS), MIN));
      expect(verdict.state.ratePerSec).toBe(1010);
      expect(nextPace(state, quietWindow(600), MIN).state.ratePerSec).toBeCloseTo(1057.6, 1);
    });

    it('grows by 1 + 0.01·n² of the learned pace after n quiet verdicts', () => {
      let state: PaceState | undefined = pacedAt(1000);
      const rates: (number | null)[] = [];
      for (let n = 0; n < 7; n += 1) {
        state = fleetVerdict({ window: quietWindow(600), state }, 1, 32).state;
        rates.push(state.ratePerSec);
      }
      // Past five quiet verdicts too: a fleet's verdicts never probe like a lone process's estimator.
      expect(rates).toEqual([1010, 1040, 1090, 1160, 1250, 1360, 1490]);
      // Counted in quiet time (and without the lone estimator's probing), the same verdicts would reach
      // 1057.6, 1230.4, 1518.4.
      let timed = pacedAt(1000);
      for (let n = 0; n < 3; n += 1) timed = nextPace(timed, quietWindow(600), { ...MIN, probe: false }).state;
      expect(timed.ratePerSec).toBeCloseTo(1518.4, 1);
    });
  });

  describe('cuts no deeper than twice the throttled share', () => {
    it('keeps 94 % of the pace when 3 % was throttled, however low the goodput reads', () => {
      const window: PaceWindow = { sent: 1000, throttled: 30, waited: 100, durationMs: 250, goodputPerSec: 700 };
      const verdict = fleetVerdict({ window, state: pacedAt(1000) }, 1, 32);
      expect(verdict.state).toMatchObject({ ratePerSec: 940, learnedRate: 940 });
      expect(verdict.change).toEqual({ ratePerSec: 940, cause: 'throttled' });
    });

    it("cuts a window 40 % throttled to its goodput, within the estimator's own 0.7 floor", () => {
      const state = pacedAt(1000);
      const cases: [goodputPerSec: number, rate: number][] = [
        [800, 800],
        [500, 700],
      ];
      for (const [goodputPerSec, rate] of cases) {
        const window: PaceWindow = { sent: 1000, throttled: 400, waited: 100, durationMs: 250, goodputPerSec };
        const verdict = fleetVerdict({ window, state }, 1, 32);
        expect(verdict).toEqual(nextPace(state, window, MIN));
        expect(verdict.state.ratePerSec).toBe(rate);
      }
    });

    it("reads a long window's goodput from its counts over its whole length, not over the growth step it is credited", () => {
      // 600 answers, 240 throttled, in 1.2 s (no goodputPerSec from the store): 300 req/s got through.
      const window: PaceWindow = { sent: 600, throttled: 240, waited: 100, durationMs: 1200 };
      const verdict = fleetVerdict({ window, state: pacedAt(400) }, 1, 32);
      expect(verdict.state.ratePerSec).toBe(300);
    });
  });

  it("keeps the pace where the estimator alone would give a noise verdict", () => {
    // Verifying after two cuts, the share unmoved at 5 %, 10 + 10 throttled answers of evidence.
    const state = pacedAt(800, { verifying: { share: 0.05, cuts: 2, throttled: 10 } });
    const window: PaceWindow = { sent: 200, throttled: 10, waited: 50, durationMs: 250 };
    expect(nextPace(state, window, MIN).change?.cause).toBe('noise');
    expect(fleetVerdict({ window, state }, 1, 32)).toEqual({ state: { ...state, verifying: undefined }, change: undefined });
  });

  describe('grows the pace for processes that joined since the last verdict', () => {
    const state = pacedAt(500);
    const grownOnly = nextPace(state, quietWindow(GROWTH_STEP_MS), MIN);

    it('grows in step with the live count, at most doubling, and grows on from there', () => {
      for (const liveBefore of [16, 8]) {
        const verdict = fleetVerdict({ window: quietWindow(250), state, liveBefore }, 1, 32);
        expect(verdict.state).toMatchObject({ ratePerSec: 1000, quietMs: 0, verifying: undefined });
        expect(verdict.state.learnedRate).toBeGreaterThanOrEqual(1000);
        expect(verdict.change).toEqual({ ratePerSec: 1000, cause: 'recovering' });
      }
    });

    it("grows no further than the window's goodput when some answers were throttled", () => {
      // 5 of 500 throttled (1 %): no cut, and the window got 800 req/s through.
      const window = quietWindow(250, { sent: 500, throttled: 5, goodputPerSec: 800 });
      const verdict = fleetVerdict({ window, state, liveBefore: 16 }, 1, 32);
      expect(verdict.state.ratePerSec).toBe(800);
      expect(verdict.change?.cause).toBe('recovering');
    });

    it('does not grow on a cut, when nobody waited, without a live count before, or without processes that joined', () => {
      const cutWindow: PaceWindow = { sent: 1000, throttled: 30, waited: 100, durationMs: 250, goodputPerSec: 450 };
      expect(fleetVerdict({ window: cutWindow, state, liveBefore: 16 }, 1, 32).state.ratePerSec).toBe(470);
      const idle = quietWindow(250, { waited: 0 });
      expect(fleetVerdict({ window: idle, state, liveBefore: 16 }, 1, 32)).toEqual(nextPace(state, idle, MIN));
      const judges: [FleetPaceJudge, number][] = [
        [{ window: quietWindow(250), state }, 32],
        [{ window: quietWindow(250), state, liveBefore: 0 }, 32],
        [{ window: quietWindow(250), state, liveBefore: 16 }, 16],
        [{ window: quietWindow(250), state, liveBefore: 16 }, 8],
      ];
      for (const [judge, live] of judges) expect(fleetVerdict(judge, 1, live)).toEqual(grownOnly);
    });
  });

  it("paces a fleet without a pace from the window's goodput when its requests waited", () => {
    // 8 of 32 live processes reported 250 req/s: the fleet got about 1,000 through.
    const window = quietWindow(250, { sent: 250, goodputPerSec: 250 });
    const verdict = fleetVerdict({ window, state: undefined, reporters: 8 }, 1, 32);
    expect(verdict.state.ratePerSec).not.toBeNull();
    expect(verdict.state).toMatchObject({ ratePerSec: 1010, learnedRate: 1000 });
  });
});
