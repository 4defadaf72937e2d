/**
 * `obsSigner`: OBS's own header signature, `Authorization: OBS AK:signature`
 * with signature = Base64(HMAC-SHA1(SK, StringToSign)), for every attempt
 * and redirect hop. Web Crypto only, so it runs in Node and in browsers.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import type { SignContext, SignHook } from '../options/types.js';
import { settleFinalUrl } from './final-url.js';
import { headerEntries, headerText } from './header-entries.js';
import { obsCanonicalResource, obsTarget } from './obs-resource.js';
import { obsStringToSign } from './obs-string-to-sign.js';
import { settleBody } from './request-body.js';
import type { CredentialsProvider, SigningCredentials, SigningKeys } from './credentials.js';
import { signerCredentials } from './signer-options.js';
import { hmacSha1Base64, hmacSha1Key } from './web-crypto.js';

/**
 * Options of {@link obsSigner}.
 * @example
 * ```ts
 * const options: ObsSignerOptions = { accessKeyId: 'AK', secretAccessKey: 'SK', securityToken: 'token of temporary credentials' };
 * ```
 */
export interface ObsSignerOptions {
  /** The access key id (AK); required unless `credentials` is given. */
  accessKeyId?: string | undefined;
  /** The secret access key (SK), required unless `credentials` is given; it only ever feeds the HMAC. */
  secretAccessKey?: string | undefined;
  /** The security token of temporary credentials, sent (and signed) as `x-obs-security-token`. */
  securityToken?: string | undefined;
  /**
   * Instead of the three fields above: static keys, or a provider of temporary credentials,
   * called on the first request, again ahead of their `expiration` and when OBS refuses them
   * (one call at a time, however many requests wait). See docs/signing.md. @default none
   */
  credentials?: SigningCredentials | CredentialsProvider | undefined;
  /**
   * With a provider: how long before `expiration` it is asked again, at most half the
   * credentials' lifetime. @default 300000 (5 minutes)
   */
  refreshBeforeExpiryMs?: number | undefined;
  /** The signer's clock, epoch ms: the requests' date and the credentials' expiry are judged by it (plus the learned offset). @default Date.now */
  now?: (() => number) | undefined;
  /**
   * Hostnames bound to a bucket as user domains (CNAME): OBS signs their
   * resource as `/<domain>/object`. Other hosts are virtual-hosted
   * (`<bucket>.obs.…`) or path style (`…/<bucket>/object`). @default []
   */
  customDomains?: readonly string[] | undefined;
}

/**
 * A `sign` hook that signs every request with OBS's header signature. For
 * each attempt and hop it:
 * 1. resolves the final URL with axios's serializer and puts it in
 *    `config.url` (strictly encoded; `config.params` is removed), so the
 *    signed query is the sent one;
 * 2. settles the body (a string is sent as its UTF-8 bytes, so no adapter
 *    adds a `Content-Type` after signing);
 * 3. takes the credentials: the static keys, or the provider's, kept until
 *    shortly before they expire and fetched afresh when OBS refused them
 *    (`context.refreshCredentials`);
 * 4. sets `x-obs-date` to `now() + context.clockOffsetMs` (the handle's
 *    learned clock offset; `Date` itself cannot be set in browsers) and the
 *    security token, both signed;
 * 5. signs VERB, Content-MD5, Content-Type, the `x-obs-*` headers and the
 *    bucket, key and sub-resources, and replaces any `Authorization`.
 * @throws TypeError at once when a credential is missing or given twice; the
 *   hook rejects with an Error when the credentials provider fails or answers
 *   without usable credentials
 * @example
 * ```ts
 * import { attachObsPolicies } from 'obs-axios-policies';
 * import { obsSigner } from 'obs-axios-policies/sign';
 *
 * const client = axios.create({ baseURL: 'https://photos.obs.cn-north-4.myhuaweicloud.com' });
 * attachObsPolicies(client, {
 *   sign: obsSigner({ accessKeyId: process.env.OBS_AK!, secretAccessKey: process.env.OBS_SK! }),
 * });
 * await client.put('/cat.txt', 'meow', { headers: { 'x-obs-meta-owner': 'tom' } });
 * ```
 */
export function obsSigner(options: ObsSignerOptions): SignHook {
  const credentials = signerCredentials(options, 'obsSigner', ['securityToken', options.securityToken]);
  const customDomains = [...(options.customDomains ?? [])].map((host) => host.toLowerCase());
  /** The HMAC key of each set of credentials, imported once. */
  const hmacKeys = new WeakMap<SigningKeys, Promise<CryptoKey>>();

  return async (config: InternalAxiosRequestConfig, context: SignContext): Promise<InternalAxiosRequestConfig> => {
    const { url, query } = settleFinalUrl(config);
    settleBody(config);
    const keys = await credentials.keysFor(context);
    const { accessKeyId, secretAccessKey, securityToken } = keys;
    const headers = config.headers;
    // axios's `auth` would overwrite the signature with Basic credentials in the adapter.
    delete config.auth;
    headers.delete('Authorization');
    headers.set('x-obs-date', new Date(credentials.now() + context.clockOffsetMs).toUTCString());
    if (securityToken !== undefined) headers.set('x-obs-security-token', securityToken);
    const stringToSign = obsStringToSign({
      method: config.method ?? 'get',
      contentMd5: headerText(headers, 'Content-MD5'),
      contentType: headerText(headers, 'Content-Type'),
      headers: headerEntries(headers),
      resource: obsCanonicalResource(obsTarget(url, customDomains), query),
    });
    let key = hmacKeys.get(keys);
    if (key === undefined) {
      key = hmacSha1Key(secretAccessKey);
      hmacKeys.set(keys, key);
    }
    headers.set('Authorization', `OBS ${accessKeyId}:${await hmacSha1Base64(await key, stringToSign)}`);
    return config;
  };
}
