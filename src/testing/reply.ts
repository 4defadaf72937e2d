/**
 * Answers as values: the store routes and scripted steps build a `Reply`, and
 * one writer puts it on the wire. Keeping the building pure keeps the OBS
 * wording (ids, error documents, HEAD rules) in one place.
 */
import type http from 'node:http';
import { catalogEntry, errorJson, errorXml, newHostId, newRequestId } from './obs-responses.js';
import type { ErrorAnswer } from './steps.js';

/** A complete answer, ready to write. */
export interface Reply {
  /** HTTP status. */
  status: number;
  /** Headers, lower-case names. */
  headers: Record<string, string>;
  /** The body (not sent for HEAD; its length is still announced, as for a GET). */
  body: string | Buffer;
  /** The OBS code, when this is an OBS error answer (recorded on the request). */
  code?: string | undefined;
}

/** The request fields an answer depends on. */
export interface ReplyContext {
  method: string;
  bucket: string;
  key: string;
}

/** `base` with `extra` laid over it; `extra`'s names are lower-cased so `Retry-After` replaces `retry-after`. */
export function withHeaders(base: Record<string, string>, extra: Record<string, string> | undefined): Record<string, string> {
  const merged = { ...base };
  for (const [name, value] of Object.entries(extra ?? {})) merged[name.toLowerCase()] = value;
  return merged;
}

/** The headers every OBS answer carries: `Server`, `Date`, a fresh request id and host id. */
export function obsHeaders(amz = false): Record<string, string> {
  const prefix = amz ? 'x-amz' : 'x-obs';
  return { server: 'OBS', date: new Date().toUTCString(), [`${prefix}-request-id`]: newRequestId(), [`${prefix}-id-2`]: newHostId() };
}

/** A success answer with OBS headers. */
export function okReply(status: number, body: string | Buffer = '', extra: Record<string, string> = {}): Reply {
  const headers = obsHeaders();
  if (body.length > 0) headers['content-type'] = 'application/xml';
  return { status, headers: withHeaders(headers, extra), body };
}

/** Header values must be visible ASCII; messages with other characters would make `writeHead` throw. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, ' ');
}

function retryAfterValue(value: number | string | Date): string {
  return value instanceof Date ? value.toUTCString() : String(value);
}

/**
 * An OBS error answer: catalog status and message unless overridden, the same
 * request id in header and body, `<Key>` or `<BucketName>` naming the resource,
 * the code in `x-reserved-indicator` (OBS-signed answers), and no body (codes in
 * `x-obs-error-*` headers) for HEAD requests or `bodyless`.
 */
export function errorReply(answer: ErrorAnswer, request: ReplyContext): Reply {
  const entry = catalogEntry(answer.error);
  const amz = answer.amz === true;
  const prefix = amz ? 'x-amz' : 'x-obs';
  const headers = obsHeaders(amz);
  const requestId = headers[`${prefix}-request-id`] ?? newRequestId();
  const message = answer.message ?? entry.message;
  // OBS names the detailed error code for its own troubleshooting in `x-reserved-indicator` (S3-mode answers carry `x-reserved` instead).
  if (!amz) headers['x-reserved-indicator'] = headerSafe(answer.error);
  if (answer.location !== undefined) headers.location = answer.location;
  if (answer.retryAfter !== undefined) headers['retry-after'] = retryAfterValue(answer.retryAfter);
  let body = '';
  if (answer.bodyless === true || request.method === 'HEAD') {
    headers[`${prefix}-error-code`] = answer.error;
    headers[`${prefix}-error-message`] = headerSafe(message);
  } else {
    // A missing bucket is about the bucket even when the request named a key.
    const aboutBucket = request.key === '' || answer.error === 'NoSuchBucket';
    const fields = {
      code: answer.error,
      message,
      requestId,
      hostId: newHostId(),
      bucket: request.bucket === '' ? undefined : request.bucket,
      key: aboutBucket ? undefined : request.key,
      endpoint: answer.endpoint,
    };
    body = answer.json === true ? errorJson(fields) : errorXml(fields);
    headers['content-type'] = answer.json === true ? 'application/json' : 'application/xml';
  }
  return { status: answer.status ?? entry.status, headers: withHeaders(headers, answer.headers), body, code: answer.error };
}

/**
 * Writes a reply's status and headers: `Content-Length` is the body's unless the
 * reply sets one; 204/304 (and 1xx) carry none.
 * @returns false when the status carries no body
 */
export function writeReplyHead(res: http.ServerResponse, reply: Reply): boolean {
  const headers = { ...reply.headers };
  const noBody = reply.status === 204 || reply.status === 304 || (reply.status >= 100 && reply.status < 200);
  if (noBody) delete headers['content-length'];
  else headers['content-length'] ??= String(Buffer.byteLength(reply.body));
  res.writeHead(reply.status, headers);
  return !noBody;
}
