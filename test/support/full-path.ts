/**
 * axios's `buildFullPath` from the package's two pieces (`usesBase`, `combine`):
 * the oracle the URL tests compare against, itself checked against
 * `axios.getUri()` in test/transport/request-url.test.ts.
 */
import { combine, usesBase } from '../../src/transport/request-url.js';

/** The full URL string axios builds from `baseURL`, `url` and `allowAbsoluteUrls`. */
export function fullPath(baseURL: string | undefined, url: string | undefined, allowAbsoluteUrls: boolean | undefined): string {
  const requested = url ?? '';
  return usesBase(baseURL, requested, allowAbsoluteUrls) ? combine(baseURL, requested) : requested;
}
