/**
 * How long a process counts as live in a fleet's pace of a class of an
 * endpoint, and so takes a share of it (`fleet pace ÷ live processes`). A
 * process that stops sending tells the store at once (`ObsFleetStore.leave`);
 * these bounds keep a process that still sends counted between its reports,
 * and let one that died without a word give its share back.
 */
import { FLEET_REPORT_MIN } from '../throttle/endpoint-pacer.js';
import { MAX_TIMER_DELAY_MS } from '../util/timer-limit.js';

/** A process counts as live at least this many pace windows after its last report (2 s at the default 250 ms). */
const LIVE_WINDOWS = 8;

/**
 * And at least this many of the intervals its next report needs at its share (`FLEET_REPORT_MIN`
 * answers): at 32 processes under 1,000 req/s a share is 30 req/s and a report comes every ~650 ms,
 * and after a cut later still. A process that lapses out of the live count while it still sends makes
 * the others' shares jump, and its goodput drops out of the fleet's: a cut below the limit.
 */
const LIVE_REPORTS = 3;

/** Answers a process collects over the reports it stays live for: what a new fleet pace keeps every live process live for, at its share. */
export const LIVE_ANSWERS = LIVE_REPORTS * FLEET_REPORT_MIN;

/**
 * How long a process that reports now counts as live, ms.
 * @param windowMs the pace window (`throttle.windowMs`)
 * @param ratePerSec the process's pace now (`null`: unpaced)
 */
export function liveMsOf(windowMs: number, ratePerSec: number | null): number {
  const reportMs = ratePerSec === null ? windowMs : Math.max(windowMs, (FLEET_REPORT_MIN * 1000) / ratePerSec);
  // A store keeps it as an expiry, which a timer's range bounds.
  return Math.min(MAX_TIMER_DELAY_MS, Math.max(windowMs * LIVE_WINDOWS, LIVE_REPORTS * reportMs));
}
