/**
 * Multipart upload on the local OBS server, with OBS semantics:
 *
 * - `POST /key?uploads`: initiate → `InitiateMultipartUploadResult` (Bucket, Key, UploadId);
 * - `PUT /key?partNumber=N&uploadId=U`: store part N (1..10000) → 200 with its ETag;
 * - `GET /key?uploadId=U`: ListParts;
 * - `POST /key?uploadId=U` with a `CompleteMultipartUpload` body: the listed parts,
 *   ascending, ETags matching, every one but the last at least the minimum size,
 *   become the object → `CompleteMultipartUploadResult` with the ETag
 *   `"<md5 of the parts' binary MD5s>-<count>"`;
 * - `DELETE /key?uploadId=U`: abort → 204.
 *
 * An unknown upload id (or one initiated for another key) is 404 NoSuchUpload.
 * Only a completion writes an object.
 */
import { createHash } from 'node:crypto';
import { readCompleteParts, unquoted, type CompletePart } from './complete-request.js';
import { listParts } from './multipart-listings.js';
import type { MultipartUpload, StoredPart } from './multipart-store.js';
import type { ObjectStore } from './object-store.js';
import { successXml, xmlElement } from './obs-responses.js';
import type { RecordedRequest } from './recorded-request.js';
import { errorReply, okReply, type Reply } from './reply.js';

/** Part numbers OBS accepts. */
const MAX_PART_NUMBER = 10000;

/** What the multipart routes need to know of the server's options. */
export interface MultipartOptions {
  /** The smallest size, in bytes, of every part but the last at completion (else EntityTooSmall). */
  minPartBytes: number;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** POST `?uploads`: starts an upload; its `Content-Type` becomes the completed object's. */
function initiate(store: ObjectStore, request: RecordedRequest): Reply {
  const upload = store.uploads.initiate(request.bucket, request.key, request.headers['content-type'] ?? 'application/octet-stream');
  const inner = xmlElement('Bucket', upload.bucket) + xmlElement('Key', upload.key) + xmlElement('UploadId', upload.uploadId);
  return okReply(200, successXml('InitiateMultipartUploadResult', inner));
}

/** PUT `?partNumber=N&uploadId=U`: stores the body as part N. UploadPartCopy (a copy-source header) is not modelled. */
function uploadPart(store: ObjectStore, request: RecordedRequest, upload: MultipartUpload | undefined): Reply {
  if (headerText(request.headers['x-obs-copy-source'] ?? request.headers['x-amz-copy-source']) !== undefined) {
    return errorReply({ error: 'NotImplemented', message: 'The local OBS server does not model UploadPartCopy (a part copied with a copy-source header); nothing was changed.' }, request);
  }
  const raw = request.query.get('partNumber') ?? '';
  const partNumber = /^\d{1,5}$/.test(raw) ? Number(raw) : 0;
  if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    return errorReply({ error: 'InvalidArgument', message: `Part number must be an integer between 1 and ${String(MAX_PART_NUMBER)}, inclusive; got "${raw}".` }, request);
  }
  if (upload === undefined) return errorReply({ error: 'NoSuchUpload' }, request);
  const part = store.uploads.putPart(upload, partNumber, request.body);
  return okReply(200, '', { etag: part.etag });
}

/** Why a part list cannot complete `upload`, or the stored parts it names, in order. */
function checkParts(upload: MultipartUpload, listed: readonly CompletePart[], options: MultipartOptions, request: RecordedRequest): Reply | StoredPart[] {
  const parts: StoredPart[] = [];
  for (const [index, entry] of listed.entries()) {
    const previous = listed[index - 1];
    if (previous !== undefined && entry.partNumber <= previous.partNumber) return errorReply({ error: 'InvalidPartOrder' }, request);
    const stored = upload.parts.get(entry.partNumber);
    if (stored === undefined || unquoted(stored.etag) !== entry.etag.toLowerCase()) return errorReply({ error: 'InvalidPart' }, request);
    parts.push(stored);
  }
  const small = parts.slice(0, -1).find((part) => part.body.length < options.minPartBytes);
  if (small !== undefined) {
    const message = `Part ${String(small.partNumber)} has ${String(small.body.length)} bytes; every part but the last must have at least ${String(options.minPartBytes)}.`;
    return errorReply({ error: 'EntityTooSmall', message }, request);
  }
  return parts;
}

/** The S3/OBS multipart ETag: the MD5 of the parts' binary MD5s, a dash, the part count, quoted. */
function multipartEtag(parts: readonly Pick<StoredPart, 'md5'>[]): string {
  const digest = createHash('md5').update(Buffer.concat(parts.map((part) => part.md5))).digest('hex');
  return `"${digest}-${String(parts.length)}"`;
}

/** POST `?uploadId=U`: assembles the listed parts into the object and ends the upload. */
function complete(store: ObjectStore, request: RecordedRequest, upload: MultipartUpload, options: MultipartOptions): Reply {
  const listed = readCompleteParts(request.body);
  if (listed === undefined) {
    return errorReply({ error: 'MalformedXML', message: 'The body is not a CompleteMultipartUpload document listing at least one part.' }, request);
  }
  const parts = checkParts(upload, listed, options, request);
  if (!Array.isArray(parts)) return parts;
  const object = store.put(
    upload.bucket,
    upload.key,
    Buffer.concat(parts.map((part) => part.body)),
    upload.contentType,
    { etag: multipartEtag(parts) },
  );
  store.uploads.remove(upload.uploadId);
  const inner =
    xmlElement('Location', `http://${request.host}${request.path}`) +
    xmlElement('Bucket', upload.bucket) +
    xmlElement('Key', upload.key) +
    xmlElement('ETag', object.etag);
  return okReply(200, successXml('CompleteMultipartUploadResult', inner));
}

/**
 * The answer to a multipart request on an object (`?uploads` or `?uploadId`),
 * or `undefined` when the request is not one. The sub-resource check has
 * already refused every other combination.
 */
export function serveMultipart(store: ObjectStore, request: RecordedRequest, options: MultipartOptions): Reply | undefined {
  if (request.method === 'POST' && request.query.has('uploads')) return initiate(store, request);
  const uploadId = request.query.get('uploadId');
  if (uploadId === null) return undefined;
  const upload = store.uploads.find(request.bucket, request.key, uploadId);
  if (request.method === 'PUT') return uploadPart(store, request, upload);
  if (upload === undefined) return errorReply({ error: 'NoSuchUpload' }, request);
  switch (request.method) {
    case 'GET':
      return listParts(upload, request);
    case 'POST':
      return complete(store, request, upload, options);
    case 'DELETE':
      store.uploads.remove(upload.uploadId);
      return okReply(204);
    default:
      return errorReply({ error: 'MethodNotAllowed' }, request);
  }
}
