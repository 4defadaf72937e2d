/**
 * Retry-After: either delta-seconds or an HTTP date. A date is read against the
 * response's own `Date` header when present, so a skewed local clock does not
 * turn "in 5 s" into "in 5 min" or "already past".
 */

/** Longest Retry-After we even represent; the policies cap it by maxDelayMs anyway. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * @param value the `Retry-After` header
 * @param serverDateMs the response's `Date` header in epoch ms, if any
 * @param nowMs the local clock, used only when the response has no `Date`
 * @returns the wait in ms (≥ 0), or `undefined` when absent or unreadable
 */
export function parseRetryAfter(value: string | undefined, serverDateMs: number | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const reference = serverDateMs ?? nowMs;
  return Math.min(Math.max(0, at - reference), MAX_RETRY_AFTER_MS);
}

/** Parses an HTTP date header into epoch ms, or `undefined`. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}
