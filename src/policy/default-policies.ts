/**
 * DEFAULT_POLICIES: the one table that says what happens to each OBS outcome.
 * Built from the catalog so that every catalog code has an entry; the rules
 * below name only the codes that do not simply fail fast.
 */
import { OBS_ERROR_CODES } from '../catalog/error-codes.js';
import { NETWORK_ERROR_CODE, TIMEOUT_CODE } from '../classify/stand-in-codes.js';
import type { PolicyAction, PolicyOverride, PolicyTable } from './types.js';

/** Codes that are not simply `fail`, with the reason a reader of the README sees. */
const RULES: Readonly<Record<string, PolicyAction | PolicyOverride>> = {
  // Load shedding: back off and try again (throttleMultiplier lengthens the waits).
  SlowDown: 'retry',
  ServiceUnavailable: 'retry',
  TooManyRequests: 'retry',
  // The request did not reach the server in time: nothing was processed.
  RequestTimeout: 'retry',
  // The body was cut in transit; a replayable body can simply be sent again (the Solution says so).
  IncompleteBody: 'retry',
  // "A conflicting operation is being performed … Try again later": transient by definition.
  OperationAborted: 'retry',
  // The bucket moved: follow (301 is remembered, 307 is not).
  PermanentRedirect: 'redirect',
  TemporaryRedirect: 'redirect',
  // A sick endpoint: count towards its breaker, retry while it is closed.
  InternalError: 'circuit',
  // Stand-ins for outcomes without an OBS code.
  HTTP_408: 'retry',
  HTTP_429: 'retry',
  HTTP_503: 'retry',
  // 304 answers a conditional request; when validateStatus rejects it there is nothing to retry.
  HTTP_304: 'fail',
  // Status-class fallbacks for any code not in this table (including unknown OBS codes).
  HTTP_3xx: 'redirect',
  HTTP_4xx: 'fail',
  HTTP_5xx: 'circuit',
  [NETWORK_ERROR_CODE]: 'circuit',
  [TIMEOUT_CODE]: 'circuit',
};

/**
 * Builds the table with own data properties only (`Object.fromEntries`, never
 * assignment): it is read with `Object.hasOwn` by codes servers send, so no
 * key may land on, or be found through, the prototype.
 */
function buildDefaultPolicies(): PolicyTable {
  // Every catalog code fails fast unless a rule says otherwise: this covers all
  // other 4xx (WebsiteRedirect, TooManyWrongSignature, RequestTimeTooSkewed, …)
  // and ServiceNotImplemented / NotImplemented (501: retrying cannot implement a feature).
  const entries = new Map<string, PolicyAction | PolicyOverride>(OBS_ERROR_CODES.map((entry) => [entry.code, 'fail']));
  for (const [code, rule] of Object.entries(RULES)) entries.set(code, rule);
  for (const value of entries.values()) if (typeof value === 'object') Object.freeze(value);
  return Object.freeze(Object.fromEntries(entries));
}

/**
 * The default policy table: OBS error code (or stand-in code) → action.
 *
 * Every code of `OBS_ERROR_CODES` has an entry. Codes that are not in the table
 * fall back to `HTTP_<status>` and then to the status-class entries `HTTP_3xx`,
 * `HTTP_4xx`, `HTTP_5xx`. The README's policy table is generated from this object.
 */
export const DEFAULT_POLICIES: PolicyTable = buildDefaultPolicies();
