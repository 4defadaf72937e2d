/**
 * Log-safe summaries of the live request and response an error refers to:
 * what a reader needs (method, redacted URL, status, headers without
 * credentials), never the objects themselves, which hold sockets, the raw
 * header block and the signed config.
 */
import { escapeControls } from './escape-controls.js';
import { redactUrl } from './redact-url.js';
import { redactHeaders } from './redact-config.js';

/** The log-safe view of an adapter's request (`ClientRequest`, fetch `Request`, XHR). */
export interface RedactedRequest {
  /** The class of the live object, e.g. `ClientRequest`, `Request`, `XMLHttpRequest`. */
  type: string;
  method: string | undefined;
  /** The request's URL through `redactUrl`, when the object tells it. */
  url: string | undefined;
}

/** The log-safe view of a response: status and headers, no body, no config, no request. */
export interface RedactedResponse {
  status: number | undefined;
  statusText: string | undefined;
  /** Every header as a string, `Set-Cookie` and other secret names `[REDACTED]`, control characters escaped. */
  headers: Record<string, string>;
}

function read(source: object, key: string): unknown {
  try {
    return (source as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function typeName(value: object): string {
  const constructor = read(value, 'constructor');
  const name = typeof constructor === 'function' ? (constructor as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

/** The URL of a `ClientRequest` (`protocol`, `host`, `path`), a fetch `Request` (`url`) or an XHR (`responseURL`). */
function requestUrl(request: object): string | undefined {
  const url = text(read(request, 'url')) ?? text(read(request, 'responseURL'));
  if (url !== undefined && url !== '') return redactUrl(url);
  const path = text(read(request, 'path'));
  if (path === undefined) return undefined;
  // A ClientRequest's `host` has no port; its Host header has.
  const getHeader = read(request, 'getHeader');
  const hostHeader: unknown = typeof getHeader === 'function' ? (getHeader as (name: string) => unknown).call(request, 'host') : undefined;
  const host = text(hostHeader) ?? text(read(request, 'host'));
  const protocol = text(read(request, 'protocol')) ?? 'http:';
  return redactUrl(host !== undefined ? `${protocol}//${host}${path}` : path);
}

/** Returns a summary of an adapter's request object, or `undefined` for none; never throws. */
export function redactRequest(request: unknown): RedactedRequest | undefined {
  if (request === null || typeof request !== 'object') return undefined;
  try {
    const method = text(read(request, 'method'));
    return { type: typeName(request), method: method !== undefined ? escapeControls(method) : undefined, url: requestUrl(request) };
  } catch {
    return undefined;
  }
}

/** Returns a summary of an axios response, or `undefined` for none; never throws. */
export function redactResponse(response: unknown): RedactedResponse | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  try {
    const status = read(response, 'status');
    const statusText = text(read(response, 'statusText'));
    return {
      status: typeof status === 'number' ? status : undefined,
      statusText: statusText !== undefined ? escapeControls(statusText) : undefined,
      headers: redactHeaders(read(response, 'headers')),
    };
  } catch {
    return undefined;
  }
}
