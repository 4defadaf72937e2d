/**
 * Scripted answers of the local OBS server. A step is a plain object; which
 * kind it is follows from its one distinguishing field (`error`, `redirect`,
 * `status`, `reset`, `hang`, `ok`), so test scripts stay short:
 *
 *     server.enqueue({ error: 'SlowDown', retryAfter: 1 }, { reset: 'before-head' }, { ok: true, delayMs: 50 });
 *     server.enqueue({ ok: true, resetAfterBytes: 65536 }, { ok: true, stallAfterBytes: 1024 });
 *
 * Plus helpers for the broken answers real deployments produce.
 */
import { newHostId, newRequestId, xmlEscape, XML_DECLARATION } from './obs-responses.js';
import type { StepMatch } from './recorded-request.js';

/** Fields every step may carry. */
export interface StepCommon {
  /** Only requests matching this consume the step; the others pass it by (to later steps or the defaults). */
  match?: StepMatch | undefined;
  /** Answer this many matching requests the same way (`Infinity`: until `reset()`). @default 1 */
  times?: number | undefined;
  /** Wait this long (ms) before answering; the record is kept, its `response` is set when answered. */
  delayMs?: number | undefined;
}

/** The answer fields of an OBS error; shared by error steps and the server's own errors. */
export interface ErrorAnswer {
  /** The OBS code (`SlowDown`); status and message come from the catalog unless given. Unknown codes: 500. */
  error: string;
  /** The HTTP status, overriding the catalog's. */
  status?: number | undefined;
  /** `<Message>` / `x-obs-error-message`, overriding the catalog's. */
  message?: string | undefined;
  /** Extra headers; they win over the server's (name case does not matter). */
  headers?: Record<string, string> | undefined;
  /** A `Retry-After` header: seconds, an HTTP-date string, or a `Date`. */
  retryAfter?: number | string | Date | undefined;
  /** Adds `<Endpoint>` to the body: where the bucket lives (a 301 PermanentRedirect without Location). */
  endpoint?: string | undefined;
  /** A `Location` header. */
  location?: string | undefined;
  /** No body, only `x-obs-error-code` / `x-obs-error-message` headers. HEAD requests always get this form. */
  bodyless?: boolean | undefined;
  /** An OEF JSON body `{"code","message","request_id"}` with `Content-Type: application/json`. */
  json?: boolean | undefined;
  /** S3-compatible mode: `x-amz-request-id` / `x-amz-id-2` (and `x-amz-error-*`) instead of the `x-obs-*` headers. */
  amz?: boolean | undefined;
}

/** An OBS error answer, e.g. `{ error: 'SlowDown' }` or `{ error: 'InternalError', status: 502 }`. */
export interface ErrorStep extends StepCommon, ErrorAnswer {}

/**
 * A redirect as OBS words it: 301 `PermanentRedirect`, 307 `TemporaryRedirect`
 * (302: `Found`), with an XML error body (none for HEAD) and a `Location` and/or `<Endpoint>`.
 */
export interface RedirectStep extends StepCommon {
  /** The redirect status; it picks the code. */
  redirect: 301 | 302 | 307;
  /** The `Location` header (omit it for an S3-style 301 that only names an `endpoint`). */
  location?: string | undefined;
  /** `<Endpoint>` in the body. */
  endpoint?: string | undefined;
  /** Extra headers; they win over the server's. */
  headers?: Record<string, string> | undefined;
}

/** A raw answer: any status, body and headers (HTML 502, empty 503, broken XML, huge bodies, 200 with `<Error>`). */
export interface RawStep extends StepCommon {
  /** The HTTP status. */
  status: number;
  /** The body. @default '' */
  body?: string | Buffer | undefined;
  /** Headers; they win over the server's, `content-length` included (a wrong one is yours to keep). */
  headers?: Record<string, string> | undefined;
  /**
   * `false`: no `Server: OBS` and no request/host ids, as when a load balancer
   * answers and OBS never saw the request. @default true
   */
  obsHeaders?: boolean | undefined;
}

/**
 * A transport fault. `before-head`: the connection is reset before a byte of the
 * answer is written. `after-head`: status and headers (with a `Content-Length`
 * larger than what follows) and part of the body are written, then the
 * connection is reset. Both reset with a TCP RST, so clients see `ECONNRESET`.
 */
export interface ResetStep extends StepCommon {
  /** When the connection dies. */
  reset: 'before-head' | 'after-head';
  /** `after-head` only: the status of the head. @default 200 */
  status?: number | undefined;
  /** `after-head` only: extra headers of the head. */
  headers?: Record<string, string> | undefined;
}

/** Never answer: the client's timeout or abort ends it, and `close()` still closes cleanly. */
export interface HangStep extends StepCommon {
  /** Always `true`. */
  hang: true;
}

/**
 * Answer normally (from the store); with `delayMs`, a slow but correct answer.
 * With `resetAfterBytes` or `stallAfterBytes`, a body that breaks mid-way: the
 * head (status, `Content-Length`, ETag) is the real answer's, then only that many
 * body bytes are written before the connection is reset (TCP RST: the client
 * sees `ECONNRESET`) or goes silent, open, until the client or `close()` ends
 * it. A cut at or past the body's length does nothing. With `replaceWith`, the
 * object is replaced once the head is out: later requests see a new version.
 */
export interface OkStep extends StepCommon {
  /** Always `true`. */
  ok: true;
  /** Reset the connection after this many body bytes of the answer. */
  resetAfterBytes?: number | undefined;
  /** Stop sending after this many body bytes of the answer, keeping the connection open. */
  stallAfterBytes?: number | undefined;
  /** New content for the requested object, stored once this answer's head is written (a new ETag, so `If-Match` on the old one fails). */
  replaceWith?: Buffer | string | undefined;
}

/** One scripted answer. */
export type ObsServerStep = ErrorStep | RedirectStep | RawStep | ResetStep | HangStep | OkStep;

/** An HTML 502 from a load balancer in front of OBS: no OBS code, no OBS ids. */
export function html502(): RawStep {
  return {
    status: 502,
    body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
    headers: { 'content-type': 'text/html', server: 'elb' },
    obsHeaders: false,
  };
}

/** An error answer whose body claims to be XML but is not well-formed, with no readable code. */
export function malformedXml(status = 500): RawStep {
  return { status, body: '<Error><Code>Internal<<<Error</Code><Mess', headers: { 'content-type': 'application/xml' } };
}

/** An OBS error body cut off after `<Code>` (the code survives, the rest does not). */
export function truncatedXml(code: string, status = 500): RawStep {
  return {
    status,
    body: `${XML_DECLARATION}<Error><Code>${xmlEscape(code)}</Code><Message>We encountered an inter`,
    headers: { 'content-type': 'application/xml' },
  };
}

/** CopyObject's failure mode (and UploadPartCopy's): 200 OK whose body is an `<Error>`. */
export function copyFailure(code = 'InternalError'): RawStep {
  const body =
    `${XML_DECLARATION}<Error><Code>${xmlEscape(code)}</Code><Message>The copy did not complete.</Message>` +
    `<RequestId>${newRequestId()}</RequestId><HostId>${newHostId()}</HostId></Error>`;
  return { status: 200, body, headers: { 'content-type': 'application/xml' } };
}

/** A large body (default 8 MiB of `x`) with the given status, to test bounded body reading. */
export function hugeBody(status = 500, bytes = 8 * 1024 * 1024): RawStep {
  return { status, body: Buffer.alloc(bytes, 'x'), headers: { 'content-type': 'application/xml' } };
}
