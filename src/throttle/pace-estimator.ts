/**
 * The learning half of pacing, pure: from what one window of requests to an
 * endpoint saw (how many were sent, how many were throttled, whether the pace
 * held anyone back) to the next pace.
 *
 * The rule, argued in docs/throttling.md:
 * - Throttled beyond the tolerated share → pace at the rate that got through
 *   (the goodput of the window): under a real rate limit, that is the limit.
 * - The windows after a cut verify it: if the throttled share did not fall
 *   across two cuts, on enough throttled answers to tell, the throttling does
 *   not depend on our rate (random shedding): drop the pace and remember that
 *   share as noise, so random SlowDowns never shrink the pace step by step
 *   (the collapse of AWS's adaptive mode).
 * - Quiet windows grow the pace back, cubic-like in the quiet time since the
 *   cut (not in windows, which last longer at a low pace): slowly near the
 *   learned limit, faster the longer it stays quiet; a pace nobody waits for
 *   is dropped.
 * - Quiet for longer than a shared limit stays quiet while its clients are at
 *   it, the pace probes: each further step multiplies it, so a client finds the
 *   room others left (they finished) within a second or two.
 */

/** What one window of requests to an endpoint saw. */
export interface PaceWindow {
  /** Requests whose answer arrived in the window. */
  sent: number;
  /** Of those, answers that were throttling (SlowDown, ServiceUnavailable, 429, 408). */
  throttled: number;
  /** Requests that had to wait for the pace in the window. */
  waited: number;
  /** Length of the window, ms. */
  durationMs: number;
  /**
   * The rate that got through, requests per second, when it is known better than `(sent − throttled)
   * / durationMs`: a fleet's window sums each process's own rate (its reports arrive late, so its
   * counts do not all fall inside the fleet's window).
   */
  goodputPerSec?: number;
}

/** What the estimator remembers between windows. */
export interface PaceState {
  /** Requests per second, or `null`: not paced. */
  ratePerSec: number | null;
  /** The last rate learned from throttling (growth is measured against it). */
  learnedRate: number;
  /**
   * While the windows after a cut verify it: the throttled share that triggered
   * it, the cuts made since (a share that stays put over two cuts is noise), and
   * the throttled answers the verifying windows held (the evidence for a verdict).
   */
  verifying: { share: number; cuts: number; throttled: number } | undefined;
  /** The throttled share known to be noise (decays back to 0). */
  noiseFloor: number;
  /** Quiet time since the last cut, ms: the summed length of the quiet windows. */
  quietMs: number;
  /** Consecutive quiet windows in which nobody waited for the pace. */
  idleWindows: number;
}

/** Knobs of the estimator. */
export interface PaceSettings {
  /** The pace never goes below this. */
  minRatePerSec: number;
  /**
   * Whether a long quiet spell probes past the cubic-like growth (default `true`). A fleet's verdicts
   * do not: processes that leave hand their share to the others through the live count.
   */
  probe?: boolean;
}

/** Why the pace changed. */
export type PaceCause = 'throttled' | 'recovering' | 'noise' | 'idle';

/** The next state, and the change to report (if the rate changed). */
export interface PaceStep {
  state: PaceState;
  change: { ratePerSec: number | null; cause: PaceCause } | undefined;
}

/** Share of throttled answers tolerated above the noise floor before the pace is cut. */
const TOLERANCE = 0.02;
/** A cut is real when the next window's throttled share falls below this fraction of the one that triggered it. */
const VERIFY_RATIO = 0.6;
/** A share that rose past this multiple of the trigger after a cut is a limit still exceeded, not noise. */
const RISE_RATIO = 1.5;
/**
 * Throttled answers the windows verifying a cut must hold before a noise verdict.
 * A fleet of clients sharing one limit leaves each a few throttled answers per
 * window whatever it does (the others take up the room its cut leaves); on 2–4
 * answers a share reads "unmoved" by chance, and a client that drops its pace
 * for noise takes a large share of the limit from the others.
 */
const NOISE_EVIDENCE = 16;
/** Shares above this never trigger a noise verdict: random shedding of most requests is not noise. */
const MAX_NOISE_SHARE = 0.3;
/** The throttled share must exceed the noise floor by this factor (plus TOLERANCE) to count. */
const NOISE_ROOM = 1.3;
/** The noise floor decays by this factor per quiet window, so a later real limit is noticed. */
const NOISE_DECAY = 0.99;
/**
 * Growth after a cut, cubic-like: `learned × (1 + GROWTH × n²)` after n ×
 * GROWTH_STEP_MS of quiet: +1 % in the first 250 ms after the cut (the limit is
 * probably close), then faster (a cut from a window where callers sat in
 * backoff underestimates the limit, and the pace must find it again within
 * seconds).
 */
const GROWTH = 0.01;
/**
 * The time unit of growth, ms. Growth follows quiet time, not windows: a window
 * lasts until it holds enough answers, so at a low pace (a fleet process cut to
 * a small share) it lasts a second or more, and growth counted per window
 * crawled back long after the rest of the fleet had finished.
 */
export const GROWTH_STEP_MS = 250;
/**
 * Growth steps of quiet after which the pace probes. Clients sharing a limit cut
 * their paces every 0.3–1 s while all of them send (8 processes under 1,000
 * req/s), so 1.25 s of quiet means room: others stopped sending.
 */
const PROBE_AFTER_STEPS = 5;
/**
 * Each growth step past PROBE_AFTER_STEPS multiplies the pace by this on top of
 * the cubic-like growth: a pace triples in 2 s of quiet instead of 3.5 s. The
 * first window past the room cuts it back to what got through.
 */
const PROBE_FACTOR = 1.25;
/** One cut keeps at least this share of the current pace. */
const CUT_FLOOR = 0.7;
/** No GROWTH_STEP_MS of quiet grows the pace by more than this factor (a window no more than once this). */
const MAX_STEP = 1.5;
/** Quiet windows without anyone waiting before the pace is dropped. */
const IDLE_WINDOWS_TO_UNPACE = 4;

/** The rate a window got through, requests per second: its `goodputPerSec`, or what its counts say. */
export function goodputOf(window: PaceWindow): number {
  return window.goodputPerSec ?? ((window.sent - window.throttled) * 1000) / Math.max(1, window.durationMs);
}

/** The state of an endpoint nobody has throttled yet. */
export function unpacedState(): PaceState {
  return { ratePerSec: null, learnedRate: 0, verifying: undefined, noiseFloor: 0, quietMs: 0, idleWindows: 0 };
}

function round(rate: number): number {
  return Math.round(rate * 10) / 10;
}

/**
 * The pace after one window.
 * @param state what the estimator knew before the window
 * @param window what the window saw (at least a few answers)
 * @param settings the floor of the pace
 */
export function nextPace(state: PaceState, window: PaceWindow, settings: PaceSettings): PaceStep {
  const share = window.sent > 0 ? window.throttled / window.sent : 0;
  const goodput = goodputOf(window);
  // Above the known noise with room for its window-to-window swing (3 σ of a binomial share:
  // small windows swing more). Without known noise, any share past the tolerance counts.
  const floor = state.noiseFloor;
  const swing = floor > 0 ? 3 * Math.sqrt((floor * (1 - floor)) / Math.max(1, window.sent)) : 0;
  const throttledNow = window.throttled >= 2 && share > floor * NOISE_ROOM + TOLERANCE + swing;
  let verifying: PaceState['verifying'];
  const trigger = state.verifying ?? { share: Number.POSITIVE_INFINITY, cuts: 0, throttled: 0 };
  const unmoved = share >= VERIFY_RATIO * trigger.share && share <= RISE_RATIO * trigger.share + TOLERANCE;
  if (state.ratePerSec !== null && throttledNow && trigger.share <= MAX_NOISE_SHARE && unmoved) {
    // Slowing down did not help. Once may be a cut from a burst-inflated goodput:
    // cut again; twice, on enough answers to tell, means the throttling does not follow our rate.
    const evidence = trigger.throttled + window.throttled;
    if (trigger.cuts >= 2 && evidence >= NOISE_EVIDENCE) return { state: { ...unpacedState(), noiseFloor: share }, change: { ratePerSec: null, cause: 'noise' } };
    verifying = { share: trigger.share, cuts: trigger.cuts + 1, throttled: evidence };
  }
  if (throttledNow) {
    const current = state.ratePerSec;
    // Paced already: never cut by more than CUT_FLOOR in one window. Callers sitting in
    // backoff make a window's goodput read low; a real overshoot is cut again next window.
    const floor = current === null ? 0 : current * CUT_FLOOR;
    const rate = round(Math.max(settings.minRatePerSec, Math.min(current ?? Number.POSITIVE_INFINITY, Math.max(goodput, floor))));
    const next: PaceState = { ...state, ratePerSec: rate, learnedRate: rate, verifying: verifying ?? { share, cuts: 1, throttled: 0 }, quietMs: 0, idleWindows: 0 };
    return { state: next, change: rate !== state.ratePerSec ? { ratePerSec: rate, cause: 'throttled' } : undefined };
  }
  const quiet: PaceState = { ...state, verifying: undefined, noiseFloor: state.noiseFloor * NOISE_DECAY };
  if (state.ratePerSec === null) return { state: quiet, change: undefined };
  quiet.quietMs = state.quietMs + window.durationMs;
  quiet.idleWindows = window.waited === 0 ? state.idleWindows + 1 : 0;
  if (quiet.idleWindows >= IDLE_WINDOWS_TO_UNPACE) {
    return { state: { ...unpacedState(), noiseFloor: quiet.noiseFloor }, change: { ratePerSec: null, cause: 'idle' } };
  }
  const steps = quiet.quietMs / GROWTH_STEP_MS;
  const probing = settings.probe === false ? 1 : PROBE_FACTOR ** Math.max(0, steps - PROBE_AFTER_STEPS);
  const target = state.learnedRate * (1 + GROWTH * steps ** 2) * probing;
  // A long window (a low pace) may grow as much as its quiet time allows, a short one once the step.
  const maxGrowth = MAX_STEP ** Math.max(1, window.durationMs / GROWTH_STEP_MS);
  const grown = Math.min(Math.max(target, state.ratePerSec), state.ratePerSec * maxGrowth);
  quiet.ratePerSec = round(Math.max(settings.minRatePerSec, grown));
  return { state: quiet, change: quiet.ratePerSec !== state.ratePerSec ? { ratePerSec: quiet.ratePerSec, cause: 'recovering' } : undefined };
}
