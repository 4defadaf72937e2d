/**
 * The multipart listings of the local OBS server: ListParts (`GET
 * /key?uploadId=U`, paged by `max-parts` and `part-number-marker`) and
 * ListMultipartUploads (`GET /bucket?uploads`, filtered by `prefix`, one page).
 */
import type { MultipartUpload } from './multipart-store.js';
import type { ObjectStore } from './object-store.js';
import { OWNER_ID, successXml, xmlElement } from './obs-responses.js';
import type { RecordedRequest } from './recorded-request.js';
import { errorReply, okReply, type Reply } from './reply.js';

/** The most parts (and uploads) one listing page holds, as on OBS. */
const MAX_PAGE = 1000;

/** `<Initiator>` and `<Owner>`: the server's single account. */
const PEOPLE = `<Initiator>${xmlElement('ID', OWNER_ID)}</Initiator><Owner>${xmlElement('ID', OWNER_ID)}</Owner>`;

/** A non-negative integer query parameter, its default when absent, or `undefined` when malformed. */
function countParam(request: RecordedRequest, name: string, fallback: number): number | undefined {
  const raw = request.query.get(name);
  if (raw === null) return fallback;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/** ListParts of `upload`: the parts after `part-number-marker`, at most `max-parts` (≤ 1000) of them. */
export function listParts(upload: MultipartUpload, request: RecordedRequest): Reply {
  const maxParts = countParam(request, 'max-parts', MAX_PAGE);
  const marker = countParam(request, 'part-number-marker', 0);
  if (maxParts === undefined || marker === undefined) {
    return errorReply({ error: 'InvalidArgument', message: 'max-parts and part-number-marker must be non-negative integers.' }, request);
  }
  const after = [...upload.parts.values()].filter((part) => part.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, Math.min(maxParts, MAX_PAGE));
  const truncated = page.length < after.length;
  const parts = page
    .map(
      (part) =>
        `<Part>${xmlElement('PartNumber', part.partNumber)}${xmlElement('LastModified', part.lastModified.toISOString())}` +
        `${xmlElement('ETag', part.etag)}${xmlElement('Size', part.body.length)}</Part>`,
    )
    .join('');
  const head =
    xmlElement('Bucket', upload.bucket) +
    xmlElement('Key', upload.key) +
    xmlElement('UploadId', upload.uploadId) +
    PEOPLE +
    xmlElement('StorageClass', 'STANDARD') +
    xmlElement('PartNumberMarker', marker) +
    xmlElement('NextPartNumberMarker', page.at(-1)?.partNumber ?? marker) +
    xmlElement('MaxParts', maxParts) +
    xmlElement('IsTruncated', String(truncated));
  return okReply(200, successXml('ListPartsResult', head + parts));
}

/** ListMultipartUploads of the request's bucket: every upload in progress whose key starts with `prefix`. */
export function listUploads(store: ObjectStore, request: RecordedRequest): Reply {
  if (!store.hasBucket(request.bucket)) return errorReply({ error: 'NoSuchBucket' }, request);
  const prefix = request.query.get('prefix') ?? '';
  const uploads = store.uploads
    .list(request.bucket)
    .filter((upload) => upload.key.startsWith(prefix))
    .map(
      (upload) =>
        `<Upload>${xmlElement('Key', upload.key)}${xmlElement('UploadId', upload.uploadId)}${PEOPLE}` +
        `${xmlElement('StorageClass', 'STANDARD')}${xmlElement('Initiated', upload.initiated.toISOString())}</Upload>`,
    )
    .join('');
  const head =
    xmlElement('Bucket', request.bucket) +
    '<KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker>' +
    xmlElement('Prefix', prefix) +
    xmlElement('MaxUploads', MAX_PAGE) +
    '<IsTruncated>false</IsTruncated>';
  return okReply(200, successXml('ListMultipartUploadsResult', head + uploads));
}
