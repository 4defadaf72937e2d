/**
 * Object-level default answers of the local OBS server: GET/HEAD, PUT (and
 * copy), DELETE, and POST append, on the in-memory store, answered as OBS does
 * (multipart requests are multipart-routes.ts's).
 */
import { copySourceOf } from './addressing.js';
import type { ObjectStore, StoredObject } from './object-store.js';
import { successXml, xmlElement } from './obs-responses.js';
import { byteRangeOf, ifMatchPasses } from './range-request.js';
import type { RecordedRequest } from './recorded-request.js';
import { errorReply, okReply, type Reply } from './reply.js';
import { responseOverrides } from './response-overrides.js';

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function objectReply(object: StoredObject, request: RecordedRequest): Reply {
  const extra: Record<string, string> = {
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
  };
  if (object.appendable) {
    extra['x-obs-object-type'] = 'Appendable';
    extra['x-obs-next-append-position'] = String(object.body.length);
  }
  const size = object.body.length;
  const range = byteRangeOf(headerText(request.headers.range), size);
  if (range === 'unsatisfiable') {
    return errorReply({ error: 'InvalidRange', headers: { 'content-range': `bytes */${String(size)}` } }, request);
  }
  const overrides = responseOverrides(request.query);
  if (range === undefined) return okReply(200, object.body, { ...extra, ...overrides });
  // A view of the stored bytes, not a copy: a 256 MiB object is served from its one Buffer.
  const part = object.body.subarray(range.start, range.end + 1);
  return okReply(206, part, { ...extra, 'content-range': `bytes ${String(range.start)}-${String(range.end)}/${String(size)}`, ...overrides });
}

/**
 * GET / HEAD object: the object (headers as the `response-*` parameters ask), or 404 NoSuchKey;
 * 412 PreconditionFailed when `If-Match` names another ETag; with a single `Range: bytes=…`,
 * 206 and that part (416 InvalidRange past the end).
 */
export function readObject(store: ObjectStore, request: RecordedRequest): Reply {
  const object = store.get(request.bucket, request.key);
  if (object === undefined) return errorReply({ error: 'NoSuchKey' }, request);
  if (!ifMatchPasses(headerText(request.headers['if-match']), object.etag)) return errorReply({ error: 'PreconditionFailed' }, request);
  return objectReply(object, request);
}

/** PUT with `x-obs-copy-source` (or `x-amz-copy-source`): 200 with `<CopyObjectResult>`. */
function copyObject(store: ObjectStore, request: RecordedRequest, sourceHeader: string): Reply {
  const source = copySourceOf(sourceHeader);
  if (!store.hasBucket(source.bucket)) return errorReply({ error: 'NoSuchBucket' }, { ...request, ...source });
  const from = store.get(source.bucket, source.key);
  if (from === undefined) return errorReply({ error: 'NoSuchKey' }, { ...request, ...source });
  const directive = headerText(request.headers['x-obs-metadata-directive'] ?? request.headers['x-amz-metadata-directive']);
  const contentType = directive?.toUpperCase() === 'REPLACE' ? (request.headers['content-type'] ?? from.contentType) : from.contentType;
  const copy = store.put(request.bucket, request.key, from.body, contentType);
  const inner = xmlElement('LastModified', copy.lastModified.toISOString()) + xmlElement('ETag', copy.etag);
  return okReply(200, successXml('CopyObjectResult', inner));
}

/** PUT object: store the body (200 + ETag), or copy when a copy-source header is present; a body not kept is answered, not stored. */
export function writeObject(store: ObjectStore, request: RecordedRequest): Reply {
  const source = headerText(request.headers['x-obs-copy-source'] ?? request.headers['x-amz-copy-source']);
  if (source !== undefined) return copyObject(store, request, source);
  // A body the server did not keep (`keepBodiesUpTo`): answered as stored, nothing stored.
  if (request.bodyDigest !== undefined) return okReply(200, '', { etag: `"${request.bodyDigest.md5}"` });
  const object = store.put(request.bucket, request.key, request.body, request.headers['content-type'] ?? 'application/octet-stream');
  return okReply(200, '', { etag: object.etag });
}

/** DELETE object: 204, whether or not it existed (OBS does not say). */
export function deleteObject(store: ObjectStore, request: RecordedRequest): Reply {
  store.delete(request.bucket, request.key);
  return okReply(204);
}

/**
 * POST `?append&position=N` (AppendObject): appends when N equals the current
 * length (0 for a new object), answering `x-obs-next-append-position`;
 * otherwise 409 PositionNotEqualToLength, or 409 ObjectNotAppendable for an
 * object written by PUT.
 */
export function appendObject(store: ObjectStore, request: RecordedRequest): Reply {
  const raw = request.query.get('position') ?? '0';
  if (!/^\d+$/.test(raw)) return errorReply({ error: 'InvalidArgument', message: `Invalid append position: ${raw}.` }, request);
  const existing = store.get(request.bucket, request.key);
  if (existing !== undefined && !existing.appendable) return errorReply({ error: 'ObjectNotAppendable' }, request);
  const length = existing?.body.length ?? 0;
  if (Number(raw) !== length) {
    return errorReply({ error: 'PositionNotEqualToLength', headers: { 'x-obs-next-append-position': String(length) } }, request);
  }
  const body = Buffer.concat([existing?.body ?? Buffer.alloc(0), request.body]);
  const contentType = existing?.contentType ?? request.headers['content-type'] ?? 'application/octet-stream';
  const object = store.put(request.bucket, request.key, body, contentType, { appendable: true });
  return okReply(200, '', { etag: object.etag, 'x-obs-next-append-position': String(body.length) });
}
