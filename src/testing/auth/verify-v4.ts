/**
 * Checks AWS Signature V4 (which OBS accepts, service `s3`) in the
 * `Authorization` header, by re-signing the request as received with
 * `@smithy/signature-v4` at the request's own `x-amz-date`, over the headers
 * it says it signed, and comparing.
 */
import { createHash } from 'node:crypto';
import { canonicalPath } from '../../sign/uri-encoding.js';
import type { RecordedRequest } from '../recorded-request.js';
import { amzDateMs, header, headersOf, mismatch, queryOf, scopeOf, signerFor } from './v4-request.js';
import { checkKey, checkRequestTime, type Verdict, type VerifyContext } from './verdict.js';

/**
 * Checks `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`:
 * the key (and security token), `x-amz-date` against the server clock, the body
 * against `x-amz-content-sha256` (400 XAmzContentSHA256Mismatch; `UNSIGNED-PAYLOAD`,
 * as S3 and OBS allow, leaves the body unchecked and is signed as that value), the signature.
 */
export async function verifyV4Header(record: RecordedRequest, authorization: string, context: VerifyContext): Promise<Verdict> {
  const fields = new Map(
    authorization.replace(/^AWS4-HMAC-SHA256\s+/, '').split(',').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as const;
    }),
  );
  const scope = scopeOf(fields.get('Credential') ?? '');
  const signature = fields.get('Signature');
  const signedHeaders = (fields.get('SignedHeaders') ?? '').split(';').filter((name) => name !== '');
  if (scope === undefined || signature === undefined || !signedHeaders.includes('host')) {
    return { code: 'AccessDenied', message: 'The Authorization header is malformed.' };
  }
  const key = checkKey(scope.accessKeyId, header(record, 'x-amz-security-token'), context);
  if (key.denial !== undefined) return key.denial;
  const signingDate = amzDateMs(header(record, 'x-amz-date'));
  const timeVerdict = checkRequestTime(signingDate, context);
  if (timeVerdict !== undefined) return timeVerdict;
  const declared = header(record, 'x-amz-content-sha256');
  if (declared !== undefined && /^[0-9a-f]{64}$/.test(declared) && declared !== (record.bodyDigest?.sha256 ?? createHash('sha256').update(record.body).digest('hex'))) {
    return { code: 'XAmzContentSHA256Mismatch', status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  const signer = signerFor(scope, key.secretAccessKey);
  const request = { method: record.method, protocol: 'http:', hostname: record.host, path: canonicalPath(record.path), query: queryOf(record), headers: headersOf(record, signedHeaders), body: record.body };
  const signed = await signer.sign(request, { signingDate: new Date(signingDate), signingRegion: scope.region, signingService: scope.service, signableHeaders: new Set(signedHeaders) });
  return mismatch(signature, signer, /Signature=([0-9a-f]+)/.exec(signed.headers.authorization ?? '')?.[1]);
}
