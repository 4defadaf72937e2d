/**
 * Stand-in codes for outcomes that carry no OBS code, and the names of the
 * per-status-class fallback entries of the policy table.
 */

/** A transport failure: reset, refused, DNS, socket hang up. */
export const NETWORK_ERROR_CODE = 'NetworkError';
/** An axios timeout (`ECONNABORTED`) or `ETIMEDOUT`. */
export const TIMEOUT_CODE = 'Timeout';
/** A call refused because the endpoint's breaker is open. */
export const CIRCUIT_OPEN_CODE = 'CircuitOpen';

/** `HTTP_<status>`: the stand-in for a response without an OBS code (an HTML 502, an empty 503). */
export function httpStandInCode(status: number): string {
  return `HTTP_${status}`;
}

/** `HTTP_<class>xx`: the table entry every unknown code of that status class falls back to. */
export function statusClassCode(status: number): string {
  return `HTTP_${Math.floor(status / 100)}xx`;
}
