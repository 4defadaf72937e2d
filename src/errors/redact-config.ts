/**
 * A log-safe snapshot of an axios request config: method, URL and headers,
 * with credentials redacted. The body is never included.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { REDACTED, redactUrl, SECRET_HEADERS } from '../redact/redact-url.js';

/** The log-safe view of a request config. */
export interface RedactedConfig {
  method: string | undefined;
  url: string;
  baseURL: string | undefined;
  headers: Record<string, string>;
  timeout: number | undefined;
}

function headerEntries(headers: unknown): [string, unknown][] {
  if (headers === null || typeof headers !== 'object') return [];
  const json = typeof (headers as { toJSON?: unknown }).toJSON === 'function' ? (headers as { toJSON(): unknown }).toJSON() : headers;
  return json !== null && typeof json === 'object' ? Object.entries(json) : [];
}

/** Returns a snapshot of `config` that carries no credential; never throws. */
export function redactConfigSnapshot(config: InternalAxiosRequestConfig | undefined): RedactedConfig | undefined {
  if (config === undefined) return undefined;
  try {
    const headers: Record<string, string> = {};
    for (const [name, value] of headerEntries(config.headers)) {
      if (value === undefined || value === null) continue;
      headers[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : typeof value === 'string' ? value : JSON.stringify(value);
    }
    return {
      method: config.method,
      url: redactUrl(config.url),
      baseURL: config.baseURL !== undefined ? redactUrl(config.baseURL) : undefined,
      headers,
      timeout: config.timeout,
    };
  } catch {
    return undefined;
  }
}
