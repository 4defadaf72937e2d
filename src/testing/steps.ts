/**
 * Scripted answers of the local OBS server: a FIFO queue of steps, each consumed
 * by the next request that matches it, and helpers for the common broken ones.
 */

/** Which requests a step (or an outage) applies to; every given field must match. */
export interface StepMatch {
  /** HTTP method, case-insensitive. */
  method?: string | undefined;
  /** Path prefix (string) or pattern (RegExp) of the request path, e.g. `/photos/`. */
  path?: string | RegExp | undefined;
  /** Host header (hostname, with or without port). */
  host?: string | undefined;
}

/** Fields every step may carry. */
export interface StepCommon {
  /** Only requests matching this consume the step; others fall through. */
  match?: StepMatch | undefined;
  /** Answer this many matching requests the same way. @default 1 */
  times?: number | undefined;
  /** Wait this long before answering. */
  delayMs?: number | undefined;
}

/** An OBS error answer, e.g. `{ error: 'SlowDown' }`. */
export interface ErrorStep extends StepCommon {
  /** The OBS code; status and message come from the catalog unless given. */
  error: string;
  status?: number | undefined;
  message?: string | undefined;
  /** Extra or overriding headers (e.g. `date`). */
  headers?: Record<string, string> | undefined;
  /** `Retry-After`: seconds, or an HTTP date string. */
  retryAfter?: number | string | undefined;
  /** Adds `<Endpoint>` to the body (a 301 PermanentRedirect without Location). */
  endpoint?: string | undefined;
  /** A `Location` header. */
  location?: string | undefined;
  /** No body, only `x-obs-error-code` / `x-obs-error-message` headers (as for HEAD). */
  bodyless?: boolean | undefined;
  /** An OEF JSON body `{"code","message","request_id"}`. */
  json?: boolean | undefined;
  /** S3-style `x-amz-request-id` / `x-amz-id-2` instead of the `x-obs-*` ones. */
  amz?: boolean | undefined;
}

/** A redirect: 301 PermanentRedirect, 302, or 307 TemporaryRedirect, with Location and/or Endpoint. */
export interface RedirectStep extends StepCommon {
  redirect: 301 | 302 | 307;
  location?: string | undefined;
  endpoint?: string | undefined;
  headers?: Record<string, string> | undefined;
}

/** A raw answer: any status, body and headers (HTML 502, empty 503, broken XML, huge bodies). */
export interface RawStep extends StepCommon {
  status: number;
  body?: string | Buffer | undefined;
  headers?: Record<string, string> | undefined;
}

/** A transport fault: the socket is destroyed before or after the response head. */
export interface ResetStep extends StepCommon {
  reset: 'before-head' | 'after-head';
}

/** Never answer (the client's timeout or abort ends it; `close()` still closes cleanly). */
export interface HangStep extends StepCommon {
  hang: true;
}

/** Answer normally (from the store), optionally after `delayMs`. */
export interface OkStep extends StepCommon {
  ok: true;
}

/** One scripted answer. */
export type ObsServerStep = ErrorStep | RedirectStep | RawStep | ResetStep | HangStep | OkStep;

/** An HTML 502 from a load balancer, no OBS code. */
export function html502(): RawStep {
  return {
    status: 502,
    body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body>\r\n</html>\r\n',
    headers: { 'content-type': 'text/html' },
  };
}

/** A 500 whose body is not XML at all. */
export function malformedXml(status = 500): RawStep {
  return { status, body: '<Error><Code>Internal<<<Error</Code><Mess', headers: { 'content-type': 'application/xml' } };
}

/** An OBS error body cut off in the middle (the code survives, the rest does not). */
export function truncatedXml(code: string, status = 500): RawStep {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Error><Code>${code}</Code><Message>We encountered an inter`,
    headers: { 'content-type': 'application/xml' },
  };
}

/** CopyObject's failure mode: 200 OK with an `<Error>` body. */
export function copyFailure(code = 'InternalError'): RawStep {
  return {
    status: 200,
    body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Error><Code>${code}</Code><Message>The copy failed.</Message><RequestId>0000019A00000000000000000000C0PY</RequestId></Error>`,
    headers: { 'content-type': 'application/xml' },
  };
}

/** True when `step` applies to a request. */
export function stepMatches(match: StepMatch | undefined, method: string, path: string, host: string): boolean {
  if (match === undefined) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
  if (match.host !== undefined && match.host !== host && match.host !== host.replace(/:\d+$/, '')) return false;
  if (match.path !== undefined) {
    if (typeof match.path === 'string' ? !path.startsWith(match.path) : !match.path.test(path)) return false;
  }
  return true;
}
