/**
 * The `response-*` query parameters of GetObject: a GET or HEAD may ask OBS to
 * answer with other values of six headers (`?response-content-type=text/plain`),
 * e.g. for a presigned download link. They shape the answer only, so they are
 * not sub-resources.
 */

/** Query parameter → the answer header it replaces. */
const OVERRIDES: readonly (readonly [string, string])[] = [
  ['response-content-type', 'content-type'],
  ['response-content-language', 'content-language'],
  ['response-expires', 'expires'],
  ['response-cache-control', 'cache-control'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
];

/** The headers the `response-*` parameters of `query` ask for (lower-case names; values with control characters are dropped). */
export function responseOverrides(query: URLSearchParams): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [param, header] of OVERRIDES) {
    const value = query.get(param);
    // A header value Node refuses to write would turn the answer into a 500.
    if (value !== null && !/[^\t\x20-\x7e]/.test(value)) headers[header] = value;
  }
  return headers;
}
