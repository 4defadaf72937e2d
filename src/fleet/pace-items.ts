/**
 * Reading a fleet pace's estimator state and windows from what a store
 * handed over (as `fleet-items.ts` reads the other records): each field is
 * checked for its type and range, and a record with a wrong field is
 * `undefined`.
 */
import type { PaceState, PaceWindow } from '../throttle/pace-estimator.js';
import type { FleetPaceJudge } from './fleet-store.js';
import { countOf, durationOf, fieldsOf, finiteAtLeastZero, rateOf } from './fleet-items.js';

function shareOf(value: unknown): number | undefined {
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : undefined;
}

/** An estimator state, or `undefined`. */
export function paceStateOf(value: unknown): PaceState | undefined {
  const fields = fieldsOf(value);
  if (fields === undefined) return undefined;
  const ratePerSec = rateOf(fields.ratePerSec);
  const learnedRate = finiteAtLeastZero(fields.learnedRate);
  const noiseFloor = shareOf(fields.noiseFloor);
  const quietMs = finiteAtLeastZero(fields.quietMs);
  const idleWindows = countOf(fields.idleWindows);
  if (ratePerSec === undefined || learnedRate === undefined || noiseFloor === undefined || quietMs === undefined || idleWindows === undefined) return undefined;
  let verifying: PaceState['verifying'];
  if (fields.verifying !== undefined) {
    const read = fieldsOf(fields.verifying);
    const share = shareOf(read?.share);
    const cuts = countOf(read?.cuts);
    const throttled = countOf(read?.throttled);
    if (share === undefined || cuts === undefined || throttled === undefined) return undefined;
    verifying = { share, cuts, throttled };
  }
  return { ratePerSec, learnedRate, verifying, noiseFloor, quietMs, idleWindows };
}

/** A pacing window, or `undefined`. */
export function paceWindowOf(value: unknown): PaceWindow | undefined {
  const fields = fieldsOf(value);
  const sent = countOf(fields?.sent);
  const throttled = countOf(fields?.throttled);
  const waited = countOf(fields?.waited);
  const durationMs = durationOf(fields?.durationMs);
  if (sent === undefined || throttled === undefined || waited === undefined || durationMs === undefined || throttled > sent) return undefined;
  const goodputPerSec = finiteAtLeastZero(fields?.goodputPerSec);
  return goodputPerSec === undefined ? { sent, throttled, waited, durationMs } : { sent, throttled, waited, durationMs, goodputPerSec };
}

/** A fleet window to judge and the state to judge it with (`state` undefined: not paced yet), or `undefined`; `reporters` and `liveBefore` are kept only when they read as counts. */
export function paceJudgeOf(value: unknown): FleetPaceJudge | undefined {
  const fields = fieldsOf(value);
  const window = paceWindowOf(fields?.window);
  if (fields === undefined || window === undefined) return undefined;
  const state = paceStateOf(fields.state);
  const reporters = countOf(fields.reporters);
  const liveBefore = countOf(fields.liveBefore);
  return { window, state, ...(reporters === undefined ? {} : { reporters }), ...(liveBefore === undefined ? {} : { liveBefore }) };
}
