/**
 * `sigV4Signer`: AWS Signature Version 4 (service `s3`, which OBS accepts),
 * computed by `@smithy/signature-v4` for every attempt and redirect hop.
 * Pure JavaScript SHA-256 underneath, Web Crypto for large payload hashes
 * when present: runs in Node and in browsers.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { InternalAxiosRequestConfig } from 'axios';
import type { SignContext, SignHook } from '../options/types.js';
import { settleFinalUrl, type QueryParam } from './final-url.js';
import { headerEntries } from './header-entries.js';
import { settleBody, type SettledBody } from './request-body.js';
import type { CredentialsProvider, SigningCredentials, SigningKeys } from './credentials.js';
import { requireText, signerCredentials } from './signer-options.js';
import { hasWebCrypto, sha256Hex, toHex } from './web-crypto.js';

/**
 * Options of {@link sigV4Signer}.
 * @example
 * ```ts
 * const options: SigV4SignerOptions = { accessKeyId: 'AK', secretAccessKey: 'SK', region: 'cn-north-4' };
 * ```
 */
export interface SigV4SignerOptions {
  /** The access key id (AK); required unless `credentials` is given. */
  accessKeyId?: string | undefined;
  /** The secret access key (SK), required unless `credentials` is given; it only ever feeds the HMAC chain. */
  secretAccessKey?: string | undefined;
  /** The session (security) token of temporary credentials, sent (and signed) as `x-amz-security-token`. */
  sessionToken?: string | undefined;
  /**
   * Instead of the three fields above: static keys, or a provider of temporary credentials
   * (its `securityToken` is sent as `x-amz-security-token`), called on the first request, again
   * ahead of their `expiration` and when OBS refuses them (one call at a time, however many
   * requests wait). See docs/signing.md. @default none
   */
  credentials?: SigningCredentials | CredentialsProvider | undefined;
  /**
   * With a provider: how long before `expiration` it is asked again, at most half the
   * credentials' lifetime. @default 300000 (5 minutes)
   */
  refreshBeforeExpiryMs?: number | undefined;
  /** The signer's clock, epoch ms: the requests' date and the credentials' expiry are judged by it (plus the learned offset). @default Date.now */
  now?: (() => number) | undefined;
  /** The region of the endpoint, e.g. `cn-north-4`: part of the credential scope. */
  region: string;
}

/** The payload hash of a body that is not read (a stream, a Blob). */
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** SHA-256 of nothing. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Headers that are signed besides `host`: those that say what is stored or
 * read (`content-type`, `content-md5`, `range`) and every `x-amz-*` / `x-obs-*`.
 * Not the ones adapters and browsers add or rewrite on their own
 * (`content-length`, `accept-encoding`, `user-agent`, …).
 */
const SIGNED_HEADERS: ReadonlySet<string> = new Set(['content-type', 'content-md5', 'range']);

function isSignedHeader(name: string): boolean {
  return SIGNED_HEADERS.has(name) || name.startsWith('x-amz-') || name.startsWith('x-obs-');
}

async function payloadHash(body: SettledBody): Promise<string> {
  if (body.kind === 'none') return EMPTY_SHA256;
  if (body.kind === 'unread') return UNSIGNED_PAYLOAD;
  if (hasWebCrypto()) return sha256Hex(body.bytes);
  const hash = new Sha256();
  hash.update(body.bytes);
  return toHex(await hash.digest());
}

/** The query as smithy takes it: decoded, a bare name as `''`, repeated names as lists. */
function queryRecord(query: readonly QueryParam[]): Record<string, string | string[]> {
  const record = Object.create(null) as Record<string, string | string[]>;
  for (const { name, value = '' } of query) {
    const seen = record[name];
    record[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return record;
}

/**
 * A `sign` hook that signs every request with AWS Signature V4 for service
 * `s3`. For each attempt and hop it:
 * 1. resolves the final URL with axios's serializer and puts it in
 *    `config.url` (strictly encoded; `config.params` is removed), so the
 *    signed query is the sent one;
 * 2. settles the body and sets `x-amz-content-sha256`: the SHA-256 of a
 *    string, ArrayBuffer or Buffer/typed-array body (cheap, and it protects
 *    the bytes even over plain http), `UNSIGNED-PAYLOAD` for streams and
 *    Blobs (which cannot be read twice or would be read whole into memory;
 *    S3 and OBS accept it, and TLS protects the bytes); a value you set
 *    yourself is kept;
 * 3. takes the credentials: the static keys, or the provider's, kept until
 *    shortly before they expire and fetched afresh when OBS refused them
 *    (`context.refreshCredentials`);
 * 4. sets the security token, then signs `host`, `content-type`,
 *    `content-md5`, `range` and every `x-amz-*` / `x-obs-*` header (not the
 *    headers adapters and browsers add or rewrite) at `now() +
 *    context.clockOffsetMs`, setting `x-amz-date` and replacing any
 *    `Authorization`.
 * @throws TypeError at once when a credential or the region is missing, or a
 *   credential is given twice; the hook rejects with an Error when the
 *   credentials provider fails or answers without usable credentials
 * @example
 * ```ts
 * import { attachObsPolicies } from 'obs-axios-policies';
 * import { sigV4Signer } from 'obs-axios-policies/sign';
 *
 * const client = axios.create({ baseURL: 'https://photos.obs.cn-north-4.myhuaweicloud.com' });
 * attachObsPolicies(client, {
 *   sign: sigV4Signer({ accessKeyId: process.env.OBS_AK!, secretAccessKey: process.env.OBS_SK!, region: 'cn-north-4' }),
 * });
 * await client.get('/', { params: { prefix: 'cats/' } });
 * ```
 */
export function sigV4Signer(options: SigV4SignerOptions): SignHook {
  const credentials = signerCredentials(options, 'sigV4Signer', ['sessionToken', options.sessionToken]);
  const region = requireText(options.region, 'sigV4Signer', 'region');
  /** The smithy signer of each set of credentials, made once. */
  const signers = new WeakMap<SigningKeys, SignatureV4>();
  const signerOf = (keys: SigningKeys): SignatureV4 => {
    let signer = signers.get(keys);
    if (signer === undefined) {
      const { accessKeyId, secretAccessKey, securityToken: sessionToken } = keys;
      signer = new SignatureV4({
        service: 's3',
        region,
        credentials: sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken },
        sha256: Sha256,
        // S3 signs the path as sent, each segment encoded once (final-url.ts did that), never twice.
        uriEscapePath: false,
      });
      signers.set(keys, signer);
    }
    return signer;
  };

  return async (config: InternalAxiosRequestConfig, context: SignContext): Promise<InternalAxiosRequestConfig> => {
    const { url, query } = settleFinalUrl(config);
    const body = settleBody(config);
    const keys = await credentials.keysFor(context);
    const sessionToken = keys.securityToken;
    const headers = config.headers;
    // axios's `auth` would overwrite the signature with Basic credentials in the adapter.
    delete config.auth;
    headers.delete('Authorization');
    if (sessionToken !== undefined) headers.set('x-amz-security-token', sessionToken);
    if (!headers.has('x-amz-content-sha256')) headers.set('x-amz-content-sha256', await payloadHash(body));
    const signable: Record<string, string> = { host: url.host };
    for (const [name, value] of headerEntries(headers)) {
      const lower = name.toLowerCase();
      if (isSignedHeader(lower)) signable[lower] = value;
    }
    const signed = await signerOf(keys).sign(
      { method: (config.method ?? 'get').toUpperCase(), protocol: url.protocol, hostname: url.hostname, path: url.pathname, query: queryRecord(query), headers: signable },
      { signingDate: new Date(credentials.now() + context.clockOffsetMs) },
    );
    for (const name of ['x-amz-date', 'authorization']) {
      const value = signed.headers[name];
      if (value !== undefined) headers.set(name === 'authorization' ? 'Authorization' : name, value);
    }
    return config;
  };
}
