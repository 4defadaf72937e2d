/**
 * How axios joins `baseURL` and `url` (its `buildFullPath`, without `params`:
 * they stay separate for the adapter); `request-target.ts` uses it to find the
 * call's destination, joining only when the URL is needed.
 *
 * axios's own `getUri()` gives the same answer but merges the whole default
 * config on every call (≈ 8 µs, most of this package's success-path cost), so
 * this is axios's rule written out, and test/transport/request-url.test.ts
 * checks it against `getUri()` over generated inputs.
 */

/** axios's test for an absolute URL: a scheme followed by `//`, or protocol-relative `//`. */
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/** axios's `combineURLs`: exactly one slash between the base and the relative URL. */
export function combine(baseURL: string, relativeURL: string): string {
  return relativeURL !== '' ? `${baseURL.replace(/\/+$/, '')}/${relativeURL.replace(/^\/+/, '')}` : baseURL;
}

/** True when axios puts `baseURL` in front of `url`: a relative `url`, or any `url` when `allowAbsoluteUrls` is false. */
export function usesBase(baseURL: string | undefined, url: string, allowAbsoluteUrls: boolean | undefined): baseURL is string {
  return baseURL !== undefined && baseURL !== '' && (allowAbsoluteUrls === false || !ABSOLUTE_URL.test(url));
}
