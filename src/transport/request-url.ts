/**
 * The absolute URL of a call, resolved by axios itself (`getUri`: baseURL,
 * allowAbsoluteUrls), without `params` (they stay separate for the adapter).
 */
import axios, { type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';

/** @returns the call's URL, or `undefined` when it is not absolute (then axios itself reports the error). */
export function resolveRequestUrl(config: InternalAxiosRequestConfig): URL | undefined {
  try {
    const parts: AxiosRequestConfig = {};
    if (config.baseURL !== undefined) parts.baseURL = config.baseURL;
    if (config.url !== undefined) parts.url = config.url;
    if (config.allowAbsoluteUrls !== undefined) parts.allowAbsoluteUrls = config.allowAbsoluteUrls;
    const full = axios.getUri(parts);
    return new URL(full);
  } catch {
    return undefined;
  }
}
