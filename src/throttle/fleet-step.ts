/**
 * One step of a fleet's pace from one window: the estimator of
 * `pace-estimator.ts` as a fleet's verdicts apply it (`src/fleet/fleet-verdict.ts`
 * argues each rule), and as a process that follows a fleet's pace applies it
 * to its own windows while its store is down, so that its share moves as the
 * fleet's pace would.
 *
 * - One growth step of quiet time per window, however long the window; the
 *   goodput stays what the whole window got through.
 * - No probing, and no noise verdict.
 * - A cut is at most twice the window's throttled share.
 */
import { GROWTH_STEP_MS, goodputOf, nextPace, type PaceState, type PaceStep, type PaceWindow } from './pace-estimator.js';

/** A fleet's cut keeps at least `1 − CUT_PER_THROTTLED × throttled share` of its pace. */
const CUT_PER_THROTTLED = 2;

/**
 * The pace after one window, judged as a fleet's pace is.
 * @param before the pace before the window
 * @param window what the window saw
 * @param minRatePerSec the floor of the pace
 */
export function fleetStep(before: PaceState, window: PaceWindow, minRatePerSec: number): PaceStep {
  const credited = { ...window, goodputPerSec: goodputOf(window), durationMs: Math.min(window.durationMs, GROWTH_STEP_MS) };
  const step = nextPace(before, credited, { minRatePerSec, probe: false });
  if (step.change?.cause === 'noise') return { state: { ...before, verifying: undefined }, change: undefined };
  return noDeeperThanThrottled(before, step, window);
}

/**
 * `step`, with a cut no deeper than twice the window's throttled share: a pace that sent 3 % past the
 * limit got about 3 % throttled, and a window whose goodput read low (a process stalled, a report late)
 * cut a pace near the limit by a fifth, which then took seconds to grow back.
 */
function noDeeperThanThrottled(before: PaceState, step: PaceStep, window: PaceWindow): PaceStep {
  const rate = before.ratePerSec;
  const next = step.state.ratePerSec;
  if (rate === null || next === null || next >= rate || window.sent === 0) return step;
  const floor = Math.round(rate * (1 - (CUT_PER_THROTTLED * window.throttled) / window.sent) * 10) / 10;
  if (next >= floor) return step;
  return { state: { ...step.state, ratePerSec: floor, learnedRate: floor }, change: { ratePerSec: floor, cause: 'throttled' } };
}
