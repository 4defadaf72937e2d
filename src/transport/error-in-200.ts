/**
 * Which requests OBS (like S3) may answer `200 OK` with an `<Error>` body, so
 * that a 2xx to them must be read before it counts as a success:
 * - CopyObject: `PUT` with `x-obs-copy-source` (`x-amz-copy-source`). OBS: "If 200
 *   is returned … the body shows whether the copy succeeds";
 * - UploadPartCopy: `PUT ?partNumber&uploadId` with the same copy-source header
 *   (the header alone tells both copies apart from every other PUT);
 * - CompleteMultipartUpload: `POST ?uploadId=…`. The 200 head is sent when the
 *   server starts assembling the parts; a failure after it arrives in the body.
 *
 * These three are the operations S3 documents this for, and the ones the AWS
 * SDKs check. DeleteObjects (`POST ?delete`) is not one of them: its 200 body is
 * a `<DeleteResult>` whose per-key `<Error>` entries are a partial failure the
 * caller reads in the result, not a failure of the call. Every other operation
 * reports failures in the status line.
 *
 * The fault found in such a body is judged like any other. A copy is a PUT and
 * is retried as the policy says. CompleteMultipartUpload is a POST, so it goes
 * again only when the code says the server did not process it (SlowDown,
 * ServiceUnavailable, RequestTimeout): S3's SDKs also retry an InternalError
 * there, but OBS says that after a 500 on Complete the object may have been
 * assembled (HEAD it and compare `x-obs-uploadId`), and a Complete sent again
 * after one that landed answers 404 NoSuchUpload, which would turn a success
 * into a failure. The caller gets the InternalError with its upload id intact.
 */
import { readHeader } from '../parse/headers.js';

/** The query parameter of CompleteMultipartUpload (InitiateMultipartUpload's is `uploads`). */
const UPLOAD_ID = 'uploadId';

/** The parts of a request config this looks at. */
export interface ErrorIn200Request {
  url?: string | undefined;
  params?: unknown;
  headers?: unknown;
}

/** True when the query of `url` (after `?`, before `#`) has an `uploadId` parameter. */
function urlHasUploadId(url: string | undefined): boolean {
  // The common URL has no such text at all: no parsing.
  if (!url?.includes(UPLOAD_ID)) return false;
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return false;
  const hash = url.indexOf('#', queryStart);
  return new URLSearchParams(url.slice(queryStart + 1, hash < 0 ? undefined : hash)).has(UPLOAD_ID);
}

/** True when axios's `params` will put an `uploadId` in the query (it skips `null` and `undefined` values). */
function paramsHaveUploadId(params: unknown): boolean {
  if (params === null || typeof params !== 'object') return false;
  try {
    // URLSearchParams (and anything with its `has`).
    const has = (params as { has?: unknown }).has;
    if (typeof has === 'function') return (has as (name: string) => unknown).call(params, UPLOAD_ID) === true;
    if (!Object.prototype.hasOwnProperty.call(params, UPLOAD_ID)) return false;
    const value = (params as Record<string, unknown>)[UPLOAD_ID];
    return value !== undefined && value !== null;
  } catch {
    // A hostile getter: the body is read anyway, which costs a little and misses nothing.
    return true;
  }
}

/** True for CopyObject and UploadPartCopy: a PUT with a copy source. */
function isCopy(headers: unknown): boolean {
  return readHeader(headers, 'x-obs-copy-source') !== undefined || readHeader(headers, 'x-amz-copy-source') !== undefined;
}

/**
 * Whether a 2xx answer to this request must be read for an `<Error>` root
 * before it counts as a success.
 * @param method the upper-case method
 * @param request the config the adapter sent (its URL, params and headers)
 */
export function mayAnswerErrorIn200(method: string, request: ErrorIn200Request): boolean {
  if (method === 'PUT') return isCopy(request.headers);
  if (method === 'POST') return urlHasUploadId(request.url) || paramsHaveUploadId(request.params);
  return false;
}
