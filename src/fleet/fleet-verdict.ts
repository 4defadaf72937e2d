/**
 * The fleet's verdict on one fleet window: the estimator of
 * `src/throttle/pace-estimator.ts`, with the corrections a window summed over
 * many processes needs.
 *
 * - **Live processes whose goodput is not in the sum yet.** A process joins
 *   the live count at its first throttled answer, and its goodput joins the
 *   sum with its first full report; a store closes a window once the sum
 *   holds most live processes (all of them for the fleet's first verdict). The verdict reads the window's goodput as the
 *   reporters' mean times the live count: the fleet's pace is shared among
 *   all live processes, and a sum over a few of them read low (at 32
 *   processes' cold start, one report among nine live processes: 82 req/s
 *   of 1,000).
 * - **Held back without a fleet pace.** When the fleet knows no pace (a store
 *   restarted empty, or a pace dropped while some processes kept theirs) but
 *   the window's requests waited for a pace, the processes pace themselves
 *   from what they learned alone. The verdict starts from what they got
 *   through together instead of from "unpaced": dropping their paces would
 *   send the whole fleet at once (32 processes after a Redis restart: 1.75×
 *   the limit for 300 ms, and calls that ran out of retries).
 * - **One growth step per verdict, and cuts no deeper than the throttling.**
 *   A fleet window lasts as long as it takes most live processes to report
 *   (about 600 ms at 32 processes sharing 1,000 req/s), and each report covers
 *   its process's own last window, so the fleet hears of a new pace a window
 *   late. Growth counted in quiet time took the pace 20–50 % past the limit
 *   before a window could show it (bursts of 150–350 SlowDowns every few
 *   seconds); growth counted in verdicts (+1 %, +4 %, +9 % … of the learned
 *   pace) is seen before it goes far. A cut is at most twice the throttled
 *   share, so a window whose goodput reads low does not send the pace far
 *   below the limit, to grow back as slowly.
 * - **Processes that joined since the last verdict** grow a pace that holds
 *   requests back in step with the live count.
 * - **No noise verdict.** A fleet window mixes answers from before and after
 *   a cut (reports lag by a process's window), so throttling that seems not to
 *   follow the fleet's pace is not evidence of random shedding.
 *
 * The growth, noise and cut rules are `src/throttle/fleet-step.ts`, which a
 * process that follows the fleet's pace also applies to its own windows while
 * its store is down.
 */
import { goodputOf, unpacedState, type PaceState, type PaceStep, type PaceWindow } from '../throttle/pace-estimator.js';
import { fleetStep } from '../throttle/fleet-step.js';
import type { FleetPaceJudge } from './fleet-store.js';

/**
 * The window with its goodput read for all `live` processes: the reporters' mean times the live count
 * (unchanged when the store did not say how many processes the sum holds).
 */
export function withLiveGoodput(judge: FleetPaceJudge, live: number): PaceWindow {
  const { window, reporters } = judge;
  if (reporters === undefined || reporters === 0 || !(live > reporters) || !Number.isFinite(live)) return window;
  return { ...window, goodputPerSec: (goodputOf(window) * live) / reporters };
}

/**
 * The state a fleet window is judged with: the fleet's own, or, when it knows no pace and the window's
 * requests were held back anyway, a pace at what the window got through.
 */
export function judgedState(state: PaceState | undefined, window: PaceWindow): PaceState {
  const known = state ?? unpacedState();
  if (known.ratePerSec !== null || window.waited === 0) return known;
  const goodput = goodputOf(window);
  if (!(goodput > 0) || !Number.isFinite(goodput)) return known;
  const rate = Math.round(goodput * 10) / 10;
  return { ...unpacedState(), noiseFloor: known.noiseFloor, ratePerSec: rate, learnedRate: rate };
}

/**
 * The fleet's next pace after `judge`'s window.
 * @param judge the fleet's window and the state to judge it with
 * @param minRatePerSec the floor of the pace
 * @param live the processes that count as live now (the store's answer to the report)
 * @returns the fleet's next state (its `ratePerSec` is the pace every live process takes its share of)
 */
export function fleetVerdict(judge: FleetPaceJudge, minRatePerSec: number, live: number): PaceStep {
  const window = withLiveGoodput(judge, live);
  const before = judgedState(judge.state, window);
  // One growth step per verdict, no probing (a process that leaves hands its share to the others through
  // the live count), no noise verdict, a cut no deeper than the throttling: see the file's comment.
  const step = fleetStep(before, window, minRatePerSec);
  return withJoinedProcesses(before, step, window, judge.liveBefore, live);
}

/** One verdict grows the pace by at most this factor for processes that joined. */
const MAX_JOIN_STEP = 2;
/**
 * The verdict, grown for processes that joined the live count since the last verdict: the fleet's pace
 * was set for `liveBefore` processes, and each of `live` takes a share of it. While the pace holds
 * requests back, it grows in step with them (at most doubling), and, when anything was throttled, no
 * further than the window got through (so never past a cut, which keeps at least that much). A verdict taken while a fleet was
 * still starting, or coming back to a restarted store (14 of 32 processes live), read low, and every
 * process that joined after it shrank the others' shares: the others' answers, throttled while they did
 * not follow the pace yet, kept the pace at half the limit for seconds.
 */
function withJoinedProcesses(before: PaceState, step: PaceStep, window: PaceWindow, liveBefore: number | undefined, live: number): PaceStep {
  const rate = before.ratePerSec;
  const next = step.state.ratePerSec;
  if (liveBefore === undefined || !(liveBefore > 0) || rate === null || next === null || window.waited === 0) return step;
  const grown = rate * Math.min(MAX_JOIN_STEP, live / liveBefore);
  const joined = Math.round((window.throttled > 0 ? Math.min(grown, goodputOf(window)) : grown) * 10) / 10;
  if (joined <= next) return step;
  // The cubic growth starts again from here: the limit is not known to be near.
  return { state: { ...step.state, ratePerSec: joined, learnedRate: Math.max(step.state.learnedRate, joined), verifying: undefined, quietMs: 0 }, change: { ratePerSec: joined, cause: 'recovering' } };
}
