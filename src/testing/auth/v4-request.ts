/**
 * What both V4 checks (header and presigned URL) share: reading the request as
 * received into the form `@smithy/signature-v4` re-signs, and a signer that
 * keeps the canonical request and string to sign for the SignatureDoesNotMatch
 * answer, as S3 and OBS show them.
 */
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RecordedRequest } from '../recorded-request.js';
import type { Verdict } from './verdict.js';

/** A V4 signer that remembers the canonical request and string to sign it built. */
export class RecordingSigner extends SignatureV4 {
  canonicalRequest = '';
  stringToSign = '';

  protected override createCanonicalRequest(...args: Parameters<SignatureV4['createCanonicalRequest']>): string {
    this.canonicalRequest = super.createCanonicalRequest(...args);
    return this.canonicalRequest;
  }

  protected override async createStringToSign(...args: Parameters<SignatureV4['createStringToSign']>): Promise<string> {
    this.stringToSign = await super.createStringToSign(...args);
    return this.stringToSign;
  }
}

/** The parts of a V4 credential scope `AK/yyyymmdd/region/service/aws4_request`. */
export interface Scope {
  /** The access key id. */
  accessKeyId: string;
  /** The signing region. */
  region: string;
  /** The signing service (`s3`). */
  service: string;
}

/** The scope of a `Credential` value, or `undefined` when it is not one. */
export function scopeOf(credential: string): Scope | undefined {
  const [accessKeyId, , region, service, terminator] = credential.split('/');
  if (accessKeyId === undefined || region === undefined || service === undefined || terminator !== 'aws4_request') return undefined;
  return { accessKeyId, region, service };
}

/** `20130524T000000Z` → epoch ms (NaN when malformed). */
export function amzDateMs(value: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** One header of the request as received (`host` from the Host header), or `undefined`. */
export function header(record: RecordedRequest, name: string): string | undefined {
  const value = name === 'host' ? record.host : record.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The request's query as smithy takes it, without the parameters listed in `drop`. */
export function queryOf(record: RecordedRequest, drop: ReadonlySet<string> = new Set()): Record<string, string | string[]> {
  const query = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of record.query) {
    if (drop.has(name)) continue;
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

/** The named headers of the request, for re-signing. */
export function headersOf(record: RecordedRequest, names: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = header(record, name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** `undefined` when the provided signature is the computed one, else SignatureDoesNotMatch with what the signer built. */
export function mismatch(provided: string, signer: RecordingSigner, computed: string | undefined): Verdict {
  const left = Buffer.from(provided);
  const right = Buffer.from(computed ?? '');
  if (computed !== undefined && left.length === right.length && timingSafeEqual(left, right)) return undefined;
  return { code: 'SignatureDoesNotMatch', details: [['StringToSign', signer.stringToSign], ['CanonicalRequest', signer.canonicalRequest]] };
}

/** A recording signer for the scope's region and service with the server's secret (and the request's token). */
export function signerFor(scope: Scope, secretAccessKey: string, sessionToken?: string): RecordingSigner {
  const credentials = sessionToken === undefined ? { accessKeyId: scope.accessKeyId, secretAccessKey } : { accessKeyId: scope.accessKeyId, secretAccessKey, sessionToken };
  return new RecordingSigner({ service: scope.service, region: scope.region, credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
}
