/**
 * Reading the answers of the store's scripts. A script answers JSON it built
 * itself, but from records any client of the Redis can write: a record that
 * does not read back (an estimator state from an incompatible writer, say) is
 * left out, and an answer that is not what the script returns at all throws
 * {@link UnexpectedAnswer}, which the store treats as a fault of Redis.
 */
import type { FleetPaceAnswer, FleetState, FleetStreakAnswer } from '../fleet/fleet-store.js';
import type { OperationClass } from '../throttle/operation-class.js';
import type { PaceState } from '../throttle/pace-estimator.js';
import { countOf, fieldsOf, holdOf, offsetOf, openBreakerOf, paceOf, rateOf, redirectOf, sharedAmongOf, type Fields } from '../fleet/fleet-items.js';
import { paceStateOf, paceWindowOf } from '../fleet/pace-items.js';

/** An answer of Redis that is not what the script returns. */
export class UnexpectedAnswer extends Error {
  override readonly name = 'UnexpectedAnswer';
}

function jsonFields(reply: unknown): Fields {
  let fields: Fields | undefined;
  try {
    fields = typeof reply === 'string' ? fieldsOf(JSON.parse(reply)) : undefined;
  } catch {
    fields = undefined;
  }
  if (fields === undefined) throw new UnexpectedAnswer('the store answered something else than a JSON object');
  return fields;
}

/** The items of a JSON list that read back; Redis's cjson writes an empty list as `{}`. */
function listOf<T>(value: unknown, item: (value: unknown) => T | undefined): T[] {
  if (!Array.isArray(value)) return [];
  return value.map(item).filter((read): read is T => read !== undefined);
}

/** An estimator state stored as JSON, or `undefined` when it does not read back as one. */
export function decodePaceState(text: unknown): PaceState | undefined {
  try {
    return typeof text === 'string' ? paceStateOf(JSON.parse(text)) : undefined;
  } catch {
    return undefined;
  }
}

/** The answer of `REPORT_STREAK`: `''` (not opened) or the opened breaker. */
export function decodeStreakAnswer(reply: unknown): FleetStreakAnswer {
  if (reply === '') return { opened: undefined };
  const opened = openBreakerOf(jsonFields(reply));
  if (opened === undefined) throw new UnexpectedAnswer('the store answered an open breaker that does not read back');
  return { opened };
}

/** The answer of `REPORT_PACE` for `endpoint` and `cls`. */
export function decodePaceAnswer(reply: unknown, endpoint: string, cls: OperationClass): FleetPaceAnswer {
  const fields = jsonFields(reply);
  const fleetRatePerSec = rateOf(fields.rate);
  const live = countOf(fields.live, 1);
  if (fleetRatePerSec === undefined || live === undefined) throw new UnexpectedAnswer('the store answered a pace that does not read back');
  const pace = { endpoint, class: cls, fleetRatePerSec, live, ...sharedAmongOf(fields.sharedAmong, live) };
  if (fields.judge === undefined) return { pace, judge: undefined };
  const window = paceWindowOf(fields.judge);
  if (window === undefined) throw new UnexpectedAnswer('the store answered a window that does not read back');
  const judged = fieldsOf(fields.judge);
  const reporters = countOf(judged?.reporters);
  const liveBefore = countOf(judged?.liveBefore);
  const state = decodePaceState(fields.state);
  return { pace, judge: { window, state, ...(reporters === undefined ? {} : { reporters }), ...(liveBefore === undefined ? {} : { liveBefore }) } };
}

/** The answer of `LOAD`. */
export function decodeFleetState(reply: unknown): FleetState {
  const fields = jsonFields(reply);
  return {
    breakers: listOf(fields.breakers, openBreakerOf),
    paces: listOf(fields.paces, paceOf),
    holds: listOf(fields.holds, holdOf),
    redirects: listOf(fields.redirects, redirectOf),
    serverMinusStoreMs: offsetOf(fields.serverMinusStoreMs),
  };
}
