/**
 * What a signer signs must be exactly what axios sends. So before signing,
 * the request's final URL is resolved with axios's own serializer
 * (`axios.getUri`: `params` and `paramsSerializer` applied), its path and
 * query are written in the strict RFC 3986 form OBS and S3 canonicalize to,
 * and that URL replaces `config.url` while `config.params` is dropped: the
 * adapter then sends the signed URL byte for byte.
 */
import axios, { type InternalAxiosRequestConfig } from 'axios';
import { canonicalPath, decodeQueryPart, strictEncode } from './uri-encoding.js';

/**
 * One query parameter, decoded; `value` is `undefined` for a bare name (`?acl`).
 * @example
 * ```ts
 * // ?uploadId=u%201&uploads
 * const params: QueryParam[] = [{ name: 'uploadId', value: 'u 1' }, { name: 'uploads', value: undefined }];
 * ```
 */
export interface QueryParam {
  /** The decoded name. */
  name: string;
  /** The decoded value, or `undefined` when the parameter has no `=`. */
  value: string | undefined;
}

/**
 * The URL a signer signs, as it will go on the wire.
 * @example
 * ```ts
 * const { url, query } = settleFinalUrl(config); // url.href === config.url
 * ```
 */
export interface FinalUrl {
  /** The absolute URL (no fragment), strictly encoded; also the new `config.url`. */
  url: URL;
  /** The query parameters in wire order, decoded. */
  query: QueryParam[];
}

/** Splits a query string (without `?`) into decoded parameters, in order. */
function parseQuery(search: string): QueryParam[] {
  const params: QueryParam[] = [];
  for (const part of search.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    params.push(
      eq < 0 ? { name: decodeQueryPart(part), value: undefined } : { name: decodeQueryPart(part.slice(0, eq)), value: decodeQueryPart(part.slice(eq + 1)) },
    );
  }
  return params;
}

/** The query string (with `?`, or `''`) of `params`, strictly encoded, bare names kept bare. */
function formatQuery(params: readonly QueryParam[]): string {
  if (params.length === 0) return '';
  return `?${params.map(({ name, value }) => (value === undefined ? strictEncode(name) : `${strictEncode(name)}=${strictEncode(value)}`)).join('&')}`;
}

/**
 * Resolves the request's final URL and makes it the one axios sends: `params`
 * are serialized into it (with the client's `paramsSerializer`), path and
 * query are strictly encoded (fragment and `user:password@` dropped),
 * `config.url` is set to it and `config.params` is deleted. Signers call this
 * first, so the signature covers the query.
 * @throws TypeError when the URL is not absolute (the sign hook always receives an absolute one)
 * @example
 * ```ts
 * const config = { url: 'https://photos.obs.cn-north-4.myhuaweicloud.com/a b.txt', params: { versionId: 'v 1' }, headers } as InternalAxiosRequestConfig;
 * settleFinalUrl(config).url.href; // "https://photos.obs.cn-north-4.myhuaweicloud.com/a%20b.txt?versionId=v%201"
 * config.params; // undefined
 * ```
 */
export function settleFinalUrl(config: InternalAxiosRequestConfig): FinalUrl {
  const url = new URL(axios.getUri(config));
  const query = parseQuery(url.search.slice(1));
  url.hash = '';
  // Credentials in the URL would make an adapter replace the signature with Basic auth.
  url.username = '';
  url.password = '';
  url.pathname = canonicalPath(url.pathname);
  url.search = formatQuery(query);
  config.url = url.href;
  delete config.params;
  return { url, query };
}
