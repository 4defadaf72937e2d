/**
 * Code → kind for OBS codes whose kind is not implied by their status, and the
 * transport error codes that mean "no response".
 */
import type { FaultKind } from './fault.js';

/** A frozen copy of `entries` with no prototype: only its own keys can be found in it. */
function nullPrototype<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/**
 * Codes whose kind is fixed by the code itself, whatever status carried them.
 * A frozen object without a prototype: it is indexed by the code a server
 * sent, and `constructor`, `__proto__` or `toString` must find nothing here
 * (an unknown code, whose kind comes from its status), not a member of
 * `Object.prototype`.
 */
export const KIND_BY_CODE: Readonly<Record<string, FaultKind>> = nullPrototype({
  SlowDown: 'throttled',
  ServiceUnavailable: 'throttled',
  TooManyRequests: 'throttled',
  // OEF JSON throttling code.
  'SYS.0011': 'throttled',
  RequestTimeout: 'transient',
  PermanentRedirect: 'redirect',
  TemporaryRedirect: 'redirect',
  // 301 like PermanentRedirect, but a static-website error, not a target to follow.
  WebsiteRedirect: 'client',
  InternalError: 'server',
});

/** Kind of an outcome known only by its status. */
export function kindForStatus(status: number): FaultKind {
  if (status === 429 || status === 503) return 'throttled';
  if (status === 408) return 'transient';
  if (status >= 500) return 'server';
  if (status >= 300 && status < 400 && status !== 304) return 'redirect';
  return 'client';
}

/** Transport error codes that are timeouts rather than plain network errors. */
export const TIMEOUT_ERROR_CODES: ReadonlySet<string> = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * axios codes raised before or without a server answer that no policy can fix:
 * bad options, an invalid URL, an unsupported feature, a body over maxContentLength.
 */
export const LOCAL_ERROR_CODES: ReadonlySet<string> = new Set([
  'ERR_BAD_OPTION',
  'ERR_BAD_OPTION_VALUE',
  'ERR_INVALID_URL',
  'ERR_NOT_SUPPORT',
  'ERR_DEPRECATED',
  'ERR_FORM_DATA_DEPTH_EXCEEDED',
  'ERR_FR_TOO_MANY_REDIRECTS',
  'ERR_FR_MAX_BODY_LENGTH_EXCEEDED',
]);
