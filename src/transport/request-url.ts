/**
 * The full URL string of a call, resolved the way axios resolves it (baseURL,
 * allowAbsoluteUrls), without `params` (they stay separate for the adapter);
 * `request-target.ts` turns it into the call's destination.
 *
 * axios's own `getUri()` gives the same answer but merges the whole default
 * config on every call (≈ 8 µs, most of this package's success-path cost), so
 * this is axios's rule written out, and test/transport/request-url.test.ts
 * checks it against `getUri()` over generated inputs.
 */

/** axios's test for an absolute URL: a scheme followed by `//`, or protocol-relative `//`. */
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/** axios's `combineURLs`: exactly one slash between the base and the relative URL. */
function combine(baseURL: string, relativeURL: string): string {
  return relativeURL !== '' ? `${baseURL.replace(/\/+$/, '')}/${relativeURL.replace(/^\/+/, '')}` : baseURL;
}

/** axios's `buildFullPath`: the base applies to relative URLs, and to absolute ones when `allowAbsoluteUrls` is false. */
export function fullPath(baseURL: string | undefined, url: string | undefined, allowAbsoluteUrls: boolean | undefined): string {
  const requested = url ?? '';
  const isRelative = !ABSOLUTE_URL.test(requested);
  if (baseURL !== undefined && baseURL !== '' && (isRelative || allowAbsoluteUrls === false)) return combine(baseURL, requested);
  return requested;
}
