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
import { requireText } from './signer-options.js';
import { hmacSha1Base64, hmacSha1Key } from './web-crypto.js';

/**
 * Options of {@link obsSigner}.
 * @example
 * ```ts
 * const options: ObsSignerOptions = { accessKeyId: 'AK', secretAccessKey: 'SK', securityToken: 'token of temporary credentials' };
 * ```
 */
export interface ObsSignerOptions {
  /** The access key id (AK). */
  accessKeyId: string;
  /** The secret access key (SK); it only ever feeds the HMAC. */
  secretAccessKey: string;
  /** The security token of temporary credentials, sent (and signed) as `x-obs-security-token`. */
  securityToken?: string | undefined;
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
 * 3. sets `x-obs-date` to `Date.now() + context.clockOffsetMs` (the handle's
 *    learned clock offset; `Date` itself cannot be set in browsers) and the
 *    security token, both signed;
 * 4. signs VERB, Content-MD5, Content-Type, the `x-obs-*` headers and the
 *    bucket, key and sub-resources, and replaces any `Authorization`.
 * @throws TypeError at once when a credential is missing
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
  const accessKeyId = requireText(options.accessKeyId, 'obsSigner', 'accessKeyId');
  const secretAccessKey = requireText(options.secretAccessKey, 'obsSigner', 'secretAccessKey');
  const securityToken = options.securityToken === undefined ? undefined : requireText(options.securityToken, 'obsSigner', 'securityToken');
  const customDomains = [...(options.customDomains ?? [])].map((host) => host.toLowerCase());
  let key: Promise<CryptoKey> | undefined;

  return async (config: InternalAxiosRequestConfig, context: SignContext): Promise<InternalAxiosRequestConfig> => {
    const { url, query } = settleFinalUrl(config);
    settleBody(config);
    const headers = config.headers;
    // axios's `auth` would overwrite the signature with Basic credentials in the adapter.
    delete config.auth;
    headers.delete('Authorization');
    headers.set('x-obs-date', new Date(Date.now() + context.clockOffsetMs).toUTCString());
    if (securityToken !== undefined) headers.set('x-obs-security-token', securityToken);
    const stringToSign = obsStringToSign({
      method: config.method ?? 'get',
      contentMd5: headerText(headers, 'Content-MD5'),
      contentType: headerText(headers, 'Content-Type'),
      headers: headerEntries(headers),
      resource: obsCanonicalResource(obsTarget(url, customDomains), query),
    });
    key ??= hmacSha1Key(secretAccessKey);
    headers.set('Authorization', `OBS ${accessKeyId}:${await hmacSha1Base64(await key, stringToSign)}`);
    return config;
  };
}
