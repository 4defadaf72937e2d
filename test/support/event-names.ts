/**
 * The policy events the suites subscribe to on every handle they record.
 */
import type { ObsPolicyEventName } from '../../src/index.js';

/** Every event of `ObsPolicyEvents` (a type test below keeps the list complete). */
export const EVENT_NAMES = [
  'retry',
  'redirect',
  'failFast',
  'giveUp',
  'circuitOpen',
  'circuitHalfOpen',
  'circuitClose',
  'circuitReject',
  'clockSkew',
  'rateChange',
  'resume',
  'storeDown',
  'storeUp',
] as const satisfies readonly ObsPolicyEventName[];

/** `true` only while the list names every event: `EVENTS_COMPLETE` fails to compile when `ObsPolicyEvents` gains one it lacks. */
type Complete = [Exclude<ObsPolicyEventName, (typeof EVENT_NAMES)[number]>] extends [never] ? true : never;

/** Always `true`; its type check is the point. */
export const EVENTS_COMPLETE: Complete = true;
