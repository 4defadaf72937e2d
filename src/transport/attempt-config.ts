/**
 * The axios config of one request of a call: absolute URL, no auto-redirects
 * (outside browsers), every status settled by the policies. Nearly every
 * request goes to the call's own URL without a sign hook: for those the call's
 * config is lent to the adapter with two fields changed, instead of copied.
 */
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';

/**
 * True in a browser (a window or a worker), where redirects belong to the browser:
 * XHR always follows them, and fetch's `redirect: 'manual'` (what axios's fetch
 * adapter makes of `maxRedirects: 0`) turns every 3xx into an opaque response
 * (status 0, no headers, no Location) that nobody can follow. There the call keeps
 * its own `maxRedirects`, so the browser follows, and only a 3xx it does not follow
 * (a 301 with an `<Endpoint>` but no Location) reaches the redirect policy.
 * In Node both adapters hand every 3xx over with `maxRedirects: 0`.
 */
const BROWSER_FOLLOWS_REDIRECTS =
  typeof (globalThis as { document?: unknown }).document !== 'undefined' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

/**
 * Derives the config of one request from the call's config.
 * Headers are copied only when a sign hook will change them per attempt; without
 * one, every attempt sends the call's own headers (what the adapter adds to them,
 * such as User-Agent and Content-Length, is the same each time).
 * @param call the call's config, as the caller's interceptors left it
 * @param url where this request goes
 * @param keepParams false for a redirect target that carries its own query
 * @param copyHeaders true when a sign hook will run on the result
 */
export function attemptConfig(call: InternalAxiosRequestConfig, url: URL, keepParams: boolean, copyHeaders: boolean): InternalAxiosRequestConfig {
  const source = call.headers;
  const Headers = (source.constructor as typeof AxiosHeaders | undefined) ?? AxiosHeaders;
  // A key-by-key copy, not `{ ...call }`: axios's merged config is a slow (dictionary) object, which
  // spread copies about 4× slower, and the copy built here is a fast one that the adapter reads
  // many times. `baseURL` and `params` are set to undefined rather than deleted, for the same reason.
  const attempt: Record<string, unknown> = {};
  for (const key in call) attempt[key] = call[key as keyof InternalAxiosRequestConfig];
  attempt.url = url.href;
  attempt.baseURL = undefined;
  if (!keepParams) attempt.params = undefined;
  attempt.headers = copyHeaders ? new Headers(source) : source;
  // axios must not follow 3xx itself: the redirect policy sees every hop (in Node; see above).
  attempt.maxRedirects = BROWSER_FOLLOWS_REDIRECTS ? call.maxRedirects : 0;
  attempt.validateStatus = null;
  return attempt as unknown as InternalAxiosRequestConfig;
}

/** The two fields a lent config had before the loan, put back when the adapter settles. */
export interface LentFields {
  readonly maxRedirects: number | undefined;
  readonly validateStatus: InternalAxiosRequestConfig['validateStatus'];
}

/**
 * Lends the call's own config to the adapter for a request to the call's own URL
 * (with its params) that no sign hook will change. Only `maxRedirects` and
 * `validateStatus` change; `giveBack` restores them the moment the adapter
 * settles, before anyone else reads the config. Saves copying axios's ~30-key
 * merged config on every request (the copy is most of the success path's cost).
 * Safe because axios builds a fresh merged config for every call and a call has
 * one request in flight at a time.
 */
export function lendCallConfig(call: InternalAxiosRequestConfig): LentFields {
  const lent: LentFields = { maxRedirects: call.maxRedirects, validateStatus: call.validateStatus };
  if (!BROWSER_FOLLOWS_REDIRECTS) call.maxRedirects = 0;
  call.validateStatus = null;
  return lent;
}

/** The two lent fields, writable with `undefined` (what they held when the caller's config had none). */
interface LoanedFields {
  maxRedirects?: number | undefined;
  validateStatus?: InternalAxiosRequestConfig['validateStatus'] | undefined;
}

/** Puts back what `lendCallConfig` changed. */
export function giveBack(call: InternalAxiosRequestConfig, lent: LentFields): void {
  const fields = call as LoanedFields;
  fields.maxRedirects = lent.maxRedirects;
  fields.validateStatus = lent.validateStatus;
}
