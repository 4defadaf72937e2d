/**
 * A fleet verdict's correction for processes that joined the fleet's sum
 * since the last verdict. A fleet window's goodput is the sum over the live
 * processes that reported; right after the fleet is first throttled, only a
 * few have (a process reports once it has 20 answers, and most callers sit in
 * backoff), so the first cut is to what those few got through. Every process
 * then paces at its share of that, and the pace grows back only as slowly as
 * a pace near a learned limit must (32 processes under 1,000 req/s: cut to
 * 304 req/s on 4 reports, 4.5 s to grow back). While the pace holds requests
 * back and nothing is throttled, a window summed over more processes than the
 * last one grows the pace in step with them instead.
 */
import type { PaceState, PaceStep, PaceWindow } from '../throttle/pace-estimator.js';

/** One window grows the pace by at most this factor for joining processes. */
const MAX_JOIN_STEP = 2;

/**
 * The verdict `step` on a fleet window, grown for the processes that joined the window's sum.
 * @param before the fleet's state the window was judged with
 * @param window the fleet's window
 * @param reporters the live processes the window's goodput sums, and those the window before summed
 */
export function withJoiningReporters(before: PaceState, step: PaceStep, window: PaceWindow, reporters: { now: number; before: number } | undefined): PaceStep {
  const rate = before.ratePerSec;
  const next = step.state.ratePerSec;
  if (reporters === undefined || rate === null || next === null) return step;
  if (!(reporters.now > reporters.before && reporters.before > 0) || window.throttled > 0 || window.waited === 0 || next < rate) return step;
  const joined = Math.round(rate * Math.min(MAX_JOIN_STEP, reporters.now / reporters.before) * 10) / 10;
  if (joined <= next) return step;
  // The cubic growth starts again from here: the limit is not known to be near.
  const state: PaceState = { ...step.state, ratePerSec: joined, learnedRate: Math.max(step.state.learnedRate, joined), quietMs: 0 };
  return { state, change: { ratePerSec: joined, cause: 'recovering' } };
}
