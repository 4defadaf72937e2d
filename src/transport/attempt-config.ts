/**
 * The axios config of one request of a call: absolute URL, no auto-redirects
 * (outside browsers), every status settled by the policies.
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
  // `baseURL` and `params` are set to undefined rather than deleted: `delete` turns the object
  // into a slow dictionary, and axios reads this config many times per request.
  return {
    ...call,
    url: url.href,
    baseURL: undefined,
    params: keepParams ? (call.params as unknown) : undefined,
    headers: copyHeaders ? new Headers(source) : source,
    // axios must not follow 3xx itself: the redirect policy sees every hop (in Node; see above).
    maxRedirects: BROWSER_FOLLOWS_REDIRECTS ? call.maxRedirects : 0,
    validateStatus: null,
  } as unknown as InternalAxiosRequestConfig;
}
