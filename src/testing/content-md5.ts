/**
 * The `Content-MD5` check of the local OBS server, as OBS does it: the header
 * must be the base64 of the body's 16-byte MD5. A value that is not base64 of
 * 16 bytes is 400 InvalidDigest; a well-formed value that does not match the
 * body is 400 BadDigest. Either way nothing is stored. A body the server did
 * not keep is checked against its digest.
 */
import { createHash } from 'node:crypto';
import type { RecordedRequest } from './recorded-request.js';
import type { ErrorAnswer } from './steps.js';

/** Base64 of 16 bytes: 22 characters, then `==`. */
const MD5_BASE64 = /^[A-Za-z0-9+/]{22}==$/;

/** The refusal of a request whose `Content-MD5` is malformed or does not match its body; `undefined` when it has none or it matches. */
export function contentMd5Refusal(request: Pick<RecordedRequest, 'headers' | 'body' | 'bodyDigest'>): ErrorAnswer | undefined {
  const header = request.headers['content-md5'];
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (!MD5_BASE64.test(value)) {
    return { error: 'InvalidDigest', status: 400, message: 'The Content-MD5 you specified is not valid: it must be the base64 of the 16-byte MD5 of the body.' };
  }
  const digest = request.bodyDigest;
  const actual = digest === undefined ? createHash('md5').update(request.body).digest() : Buffer.from(digest.md5, 'hex');
  return actual.equals(Buffer.from(value, 'base64')) ? undefined : { error: 'BadDigest' };
}
