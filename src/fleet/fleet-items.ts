/**
 * Reading the fleet's records from what a store handed over (news
 * on the channel, the answers of the scripts, parsed from JSON): each field is checked for its
 * type and range, and a record with a wrong field is `undefined`. Nothing is
 * copied but the known fields, so a prototype-named field never reaches an
 * object, and an object holding one is refused as a whole.
 */
import type { FleetHold, FleetNews, FleetOpenBreaker, FleetPace, FleetRedirect } from './fleet-store.js';
import { MAX_TIMER_DELAY_MS } from '../util/timer-limit.js';
import { OPERATION_CLASSES, type OperationClass } from '../throttle/operation-class.js';

/** The own fields of a JSON object. */
export type Fields = Readonly<Record<string, unknown>>;

/** The longest string field accepted (endpoints, process ids, URLs). */
export const MAX_TEXT_LENGTH = 4096;

const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `value` as the fields of a plain JSON object, or `undefined` (arrays, other values, a prototype-named field). */
export function fieldsOf(value: unknown): Fields | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const key of Object.keys(value)) if (PROTOTYPE_NAMES.has(key)) return undefined;
  return value as Fields;
}

/** A non-empty string of at most {@link MAX_TEXT_LENGTH} characters. */
export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= MAX_TEXT_LENGTH ? value : undefined;
}

/** A finite number ≥ 0 (a rate that may be 0, a learned rate, a quiet time). */
export function finiteAtLeastZero(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A duration in ms a timer can hold (0 to 2³¹−1). */
export function durationOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TIMER_DELAY_MS ? value : undefined;
}

/** A count: a safe integer ≥ `min`. */
export function countOf(value: unknown, min = 0): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min ? value : undefined;
}

/** One of the operation classes. */
export function classOf(value: unknown): OperationClass | undefined {
  return OPERATION_CLASSES.find((cls) => cls === value);
}

/** A fleet's pace: a rate above 0, or `null` (not paced). */
export function rateOf(value: unknown): number | null | undefined {
  if (value === null) return null;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A clock difference in ms: any finite number. */
export function offsetOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** An open breaker, or `undefined`. */
export function openBreakerOf(value: unknown): FleetOpenBreaker | undefined {
  const fields = fieldsOf(value);
  if (fields === undefined) return undefined;
  const endpoint = textOf(fields.endpoint);
  const waitMs = durationOf(fields.waitMs);
  const intervalMs = durationOf(fields.intervalMs);
  if (endpoint === undefined || waitMs === undefined || intervalMs === undefined) return undefined;
  return { endpoint, waitMs, intervalMs };
}

/** A fleet pace, or `undefined`. */
export function paceOf(value: unknown): FleetPace | undefined {
  const fields = fieldsOf(value);
  if (fields === undefined) return undefined;
  const endpoint = textOf(fields.endpoint);
  const cls = classOf(fields.class);
  const fleetRatePerSec = rateOf(fields.fleetRatePerSec);
  const live = countOf(fields.live, 1);
  if (endpoint === undefined || cls === undefined || fleetRatePerSec === undefined || live === undefined) return undefined;
  return { endpoint, class: cls, fleetRatePerSec, live, ...sharedAmongOf(fields.sharedAmong, live) };
}

/**
 * The `sharedAmong` field of a pace with `live` processes: present only when it is a count above `live`
 * (anything else, garbage included, leaves the share at `fleetRatePerSec / live`).
 */
export function sharedAmongOf(value: unknown, live: number): { sharedAmong?: number } {
  const sharedAmong = countOf(value, 1);
  return sharedAmong !== undefined && sharedAmong > live ? { sharedAmong } : {};
}

/** A fleet hold, or `undefined`. */
export function holdOf(value: unknown): FleetHold | undefined {
  const fields = fieldsOf(value);
  if (fields === undefined) return undefined;
  const endpoint = textOf(fields.endpoint);
  const cls = classOf(fields.class);
  const pauseMs = durationOf(fields.pauseMs);
  if (endpoint === undefined || cls === undefined || pauseMs === undefined) return undefined;
  return { endpoint, class: cls, pauseMs };
}

/** A remembered redirect, or `undefined`. */
export function redirectOf(value: unknown): FleetRedirect | undefined {
  const fields = fieldsOf(value);
  if (fields === undefined) return undefined;
  const from = textOf(fields.from);
  const to = textOf(fields.to);
  return from === undefined || to === undefined ? undefined : { from, to };
}

/** One news item, or `undefined` when it is not a valid one (unknown kind, a bad field). Never throws. */
export function newsOf(value: unknown): FleetNews | undefined {
  const fields = fieldsOf(value);
  const origin = textOf(fields?.origin);
  if (fields === undefined || origin === undefined) return undefined;
  switch (fields.kind) {
    case 'open': {
      const breaker = openBreakerOf(fields);
      return breaker && { kind: 'open', origin, ...breaker };
    }
    case 'close': {
      const endpoint = textOf(fields.endpoint);
      return endpoint === undefined ? undefined : { kind: 'close', origin, endpoint };
    }
    case 'pace': {
      const pace = paceOf(fields);
      return pace && { kind: 'pace', origin, ...pace };
    }
    case 'hold': {
      const hold = holdOf(fields);
      return hold && { kind: 'hold', origin, ...hold };
    }
    case 'redirect': {
      const redirect = redirectOf(fields);
      return redirect && { kind: 'redirect', origin, ...redirect };
    }
    case 'clock': {
      const serverMinusStoreMs = offsetOf(fields.serverMinusStoreMs);
      return serverMinusStoreMs === undefined ? undefined : { kind: 'clock', origin, serverMinusStoreMs };
    }
    default:
      return undefined;
  }
}
