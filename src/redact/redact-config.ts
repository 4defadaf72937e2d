/**
 * A log-safe snapshot of an axios request config: method, URL, headers and
 * params, with credentials redacted. The body is never included, and neither
 * are `auth` or `proxy` (they are credentials whole).
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { escapeControls } from './escape-controls.js';
import { redactRecord } from './redact-record.js';
import { redactText } from './redact-text.js';
import { redactUrl } from './redact-url.js';
import { isSecretHeader } from './secret-headers.js';
import { isSecretQueryName } from './secret-query.js';

/** The log-safe view of a request config. */
interface RedactedConfig {
  method: string | undefined;
  /** `config.url` through `redactUrl`: no userinfo, fragment or secret query value. */
  url: string;
  baseURL: string | undefined;
  /** Every header as a string; `SECRET_HEADERS` (any case) are `[REDACTED]`. */
  headers: Record<string, string>;
  /**
   * `config.params` (sent as the query string) as strings; secret query names
   * (`Signature`, `X-Amz-Signature`, … in any case, percent-encoded too) are
   * `[REDACTED]`. Present only when the config has params.
   */
  params?: Record<string, string>;
  timeout: number | undefined;
}

/** The headers as plain entries: AxiosHeaders through its `toJSON`, fetch `Headers` through its entries, a plain object as it is. */
function plainHeaders(headers: unknown): unknown {
  if (headers === null || typeof headers !== 'object') return undefined;
  const toJSON = (headers as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return (toJSON as () => unknown).call(headers);
  const entries = (headers as { entries?: unknown }).entries;
  if (typeof entries === 'function' && !(headers instanceof Map)) return Object.fromEntries((entries as () => Iterable<[string, unknown]>).call(headers));
  return headers;
}

/**
 * Every header of `headers` (AxiosHeaders, fetch `Headers`, or a plain object)
 * as a string, the values of secret names (`isSecretHeader`) `[REDACTED]`, and
 * the others through `redactText` (a `Location` or `Referer` may quote a
 * presigned URL) with control characters escaped (response headers are server
 * text). Never throws (`{}` for headers that cannot be read).
 */
export function redactHeaders(headers: unknown): Record<string, string> {
  try {
    return headerStrings(headers);
  } catch {
    return {};
  }
}

/** `redactHeaders` without the guard: throws when the headers do. */
function headerStrings(headers: unknown): Record<string, string> {
  const record = redactRecord(plainHeaders(headers), isSecretHeader);
  for (const [name, value] of Object.entries(record)) {
    // defineProperty: a `__proto__` name stays plain data.
    Object.defineProperty(record, name, { value: escapeControls(redactText(value)), enumerable: true, writable: true, configurable: true });
  }
  return record;
}

/** Returns a snapshot of `config` that carries no credential; never throws. */
export function redactConfigSnapshot(config: InternalAxiosRequestConfig | undefined): RedactedConfig | undefined {
  if (config === undefined) return undefined;
  try {
    const snapshot: RedactedConfig = {
      method: config.method,
      url: redactUrl(config.url),
      baseURL: config.baseURL !== undefined ? redactUrl(config.baseURL) : undefined,
      headers: headerStrings(config.headers),
      timeout: config.timeout,
    };
    const params: unknown = config.params;
    if (params !== undefined && params !== null) snapshot.params = redactRecord(params, isSecretQueryName);
    return snapshot;
  } catch {
    return undefined;
  }
}
