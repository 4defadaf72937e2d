/**
 * The absolute URL of a call, resolved the way axios resolves it (baseURL,
 * allowAbsoluteUrls), without `params` (they stay separate for the adapter).
 */
import type { InternalAxiosRequestConfig } from 'axios';

const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/** @returns the call's URL, or `undefined` when it is not absolute (then axios itself reports the error). */
export function resolveRequestUrl(config: InternalAxiosRequestConfig): URL | undefined {
  const url = config.url ?? '';
  const baseURL = config.baseURL;
  let full = url;
  if (baseURL !== undefined && baseURL !== '' && (!ABSOLUTE_URL.test(url) || config.allowAbsoluteUrls === false)) {
    full = url !== '' ? `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
  }
  try {
    return new URL(full);
  } catch {
    return undefined;
  }
}
