/**
 * Checks OBS's own signatures as OBS does: in the header
 * (`Authorization: OBS AK:signature`) and in a presigned URL
 * (`?AccessKeyId=&Expires=&Signature=`). The StringToSign is rebuilt from the
 * request as received (method, Content-MD5, Content-Type, Date / x-obs-date
 * or Expires, the `x-obs-*` headers, `/bucket/key` and the sub-resources) and
 * the HMAC-SHA1 recomputed with node:crypto.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { obsCanonicalResource } from '../../sign/obs-resource.js';
import { obsStringToSign } from '../../sign/obs-string-to-sign.js';
import { strictEncode } from '../../sign/uri-encoding.js';
import type { RecordedRequest } from '../recorded-request.js';
import { checkExpiry, checkKey, checkRequestTime, type Verdict, type VerifyContext } from './verdict.js';

/** One header of the request as received, or `undefined`. */
function header(record: RecordedRequest, name: string): string | undefined {
  const value = record.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The request's headers as `[name, value]` (names lower-cased by Node). */
function headerList(record: RecordedRequest): [string, string][] {
  return Object.entries(record.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]]));
}

/** `/bucket/key?sub-resources`: the key encoded segment by segment, as OBS canonicalizes it. */
function resourceOf(record: RecordedRequest): string {
  const key = record.key.split('/').map(strictEncode).join('/');
  const query = [...record.query].map(([name, value]) => ({ name, value }));
  return obsCanonicalResource({ bucket: record.bucket, key }, query);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Compares the provided signature with the one computed over `stringToSign`. */
function checkSignature(provided: string, stringToSign: string, secretAccessKey: string): Verdict {
  const expected = createHmac('sha1', secretAccessKey).update(stringToSign, 'utf8').digest('base64');
  return sameText(provided, expected) ? undefined : { code: 'SignatureDoesNotMatch', details: [['StringToSign', stringToSign]] };
}

function stringToSignOf(record: RecordedRequest, date: string | undefined): string {
  return obsStringToSign({
    method: record.method,
    contentMd5: header(record, 'content-md5'),
    contentType: header(record, 'content-type'),
    date,
    headers: headerList(record),
    resource: resourceOf(record),
  });
}

/**
 * Checks a request signed in its `Authorization: OBS AK:signature` header: the
 * key (and security token), the date against the server clock, the signature.
 */
export function verifyObsHeader(record: RecordedRequest, authorization: string, context: VerifyContext): Verdict {
  const parts = /^OBS\s+([^:\s]+):(\S+)$/.exec(authorization.trim());
  if (parts?.[1] === undefined || parts[2] === undefined) return { code: 'AccessDenied', message: 'The Authorization header is malformed.' };
  const key = checkKey(parts[1], header(record, 'x-obs-security-token'), context);
  if (key.denial !== undefined) return key.denial;
  const date = header(record, 'x-obs-date') ?? header(record, 'date');
  const timeVerdict = checkRequestTime(date === undefined ? NaN : Date.parse(date), context);
  if (timeVerdict !== undefined) return timeVerdict;
  return checkSignature(parts[2], stringToSignOf(record, header(record, 'date')), key.secretAccessKey);
}

/** True when the query carries an OBS presigned signature. */
export function hasObsQuerySignature(record: RecordedRequest): boolean {
  return record.query.has('AccessKeyId') && record.query.has('Signature');
}

/**
 * Checks a presigned URL (`?AccessKeyId=&Expires=&Signature=`, optionally
 * `&x-obs-security-token=`): the key (and token), the expiry, the signature
 * over the StringToSign with Expires in place of the date.
 */
export function verifyObsQuery(record: RecordedRequest, context: VerifyContext): Verdict {
  const { query } = record;
  const key = checkKey(query.get('AccessKeyId') ?? '', query.get('x-obs-security-token') ?? header(record, 'x-obs-security-token'), context);
  if (key.denial !== undefined) return key.denial;
  const expires = query.get('Expires') ?? '';
  const expiryVerdict = checkExpiry(/^\d+$/.test(expires) ? Number(expires) * 1000 : NaN, context);
  if (expiryVerdict !== undefined) return expiryVerdict;
  return checkSignature(query.get('Signature') ?? '', stringToSignOf(record, expires), key.secretAccessKey);
}
