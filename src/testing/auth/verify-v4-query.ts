/**
 * Checks a V4 presigned URL (`?X-Amz-Algorithm=…&X-Amz-Credential=…&X-Amz-Date=…
 * &X-Amz-Expires=…&X-Amz-SignedHeaders=…&X-Amz-Signature=…`) by presigning the
 * request as received again with `@smithy/signature-v4` and comparing.
 */
import { canonicalPath } from '../../sign/uri-encoding.js';
import type { RecordedRequest } from '../recorded-request.js';
import { amzDateMs, headersOf, mismatch, queryOf, scopeOf, signerFor } from './v4-request.js';
import { checkExpiry, checkKey, type Verdict, type VerifyContext } from './verdict.js';

/** The query parameters a V4 presigned URL adds (the presigner adds them back when re-signing). */
const PRESIGN_PARAMS: ReadonlySet<string> = new Set([
  'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token',
]);

/** The longest validity of a V4 presigned URL: 7 days. */
const MAX_PRESIGN_SECONDS = 604_800;

/** True when the query carries a V4 presigned signature. */
export function hasV4QuerySignature(record: RecordedRequest): boolean {
  return record.query.has('X-Amz-Signature');
}

/** Checks a V4 presigned URL: the key (and token), the expiry, the signature (payload `UNSIGNED-PAYLOAD`, as S3 presigns). */
export async function verifyV4Query(record: RecordedRequest, context: VerifyContext): Promise<Verdict> {
  const { query } = record;
  const scope = scopeOf(query.get('X-Amz-Credential') ?? '');
  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';').filter((name) => name !== '');
  if (scope === undefined || query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return { code: 'AccessDenied', message: 'The presigned URL is malformed.' };
  const token = query.get('X-Amz-Security-Token') ?? undefined;
  const key = checkKey(scope.accessKeyId, token, context);
  if (key.denial !== undefined) return key.denial;
  const signingDate = amzDateMs(query.get('X-Amz-Date') ?? undefined);
  const expiresIn = Number(query.get('X-Amz-Expires'));
  if (!(Number.isInteger(expiresIn) && expiresIn >= 1 && expiresIn <= MAX_PRESIGN_SECONDS)) {
    return { code: 'AccessDenied', message: `X-Amz-Expires must be between 1 and ${MAX_PRESIGN_SECONDS} seconds.` };
  }
  const expiryVerdict = checkExpiry(Number.isNaN(signingDate) ? NaN : signingDate + expiresIn * 1000, context);
  if (expiryVerdict !== undefined) return expiryVerdict;
  const signer = signerFor(scope, key.secretAccessKey, token);
  const headers = { ...headersOf(record, signedHeaders), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const request = { method: record.method, protocol: 'http:', hostname: record.host, path: canonicalPath(record.path), query: queryOf(record, PRESIGN_PARAMS), headers };
  const presigned = await signer.presign(request, {
    signingDate: new Date(signingDate),
    expiresIn,
    signingRegion: scope.region,
    signingService: scope.service,
    signableHeaders: new Set(signedHeaders),
    unsignableHeaders: new Set(signedHeaders.includes('x-amz-content-sha256') ? [] : ['x-amz-content-sha256']),
    unhoistableHeaders: new Set([...signedHeaders, 'x-amz-content-sha256']),
  });
  const computed = presigned.query?.['X-Amz-Signature'];
  return mismatch(query.get('X-Amz-Signature') ?? '', signer, typeof computed === 'string' ? computed : undefined);
}
