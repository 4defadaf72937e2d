/**
 * OBS's CanonicalizedResource: `/bucket/object` plus the sub-resources of the
 * query, sorted (API reference, "Authentication of Signature in a Header",
 * obs_04_0010). The bucket comes from the host in virtual-hosted style
 * (`photos.obs.<region>.myhuaweicloud.com`), from the path in path style, and
 * a user domain (CNAME) signs as `/<domain>/object`.
 */
import type { QueryParam } from './final-url.js';

/**
 * The query parameters OBS signs as sub-resources: the list of the API
 * reference (obs_04_0010, obs_04_0011) plus `append` and `x-image-process`,
 * which OBS's SDKs sign too. Names are matched exactly.
 */
const OBS_SUB_RESOURCES: ReadonlySet<string> = new Set([
  'CDNNotifyConfiguration', 'acl', 'append', 'attname', 'cors', 'customdomain', 'delete', 'deletebucket', 'encryption',
  'length', 'lifecycle', 'location', 'logging', 'metadata', 'mirrorBackToSource', 'modify', 'name', 'notification',
  'obscompresspolicy', 'object-lock', 'partNumber', 'policy', 'position', 'quota', 'rename', 'replication',
  'requestPayment', 'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  'response-content-language', 'response-content-type', 'response-expires', 'restore', 'retention', 'storageClass',
  'storagePolicy', 'storageinfo', 'tagging', 'torrent', 'truncate', 'uploadId', 'uploads', 'versionId', 'versioning',
  'versions', 'website', 'x-image-process', 'x-obs-security-token',
]);

/**
 * The bucket and the object key of a request, as OBS signs them.
 * @example
 * ```ts
 * const target: ObsTarget = { bucket: 'photos', key: 'cats/tom%20cat.jpg' }; // signs as /photos/cats/tom%20cat.jpg
 * ```
 */
export interface ObsTarget {
  /** The bucket name, the user domain, or `''` for the service root. */
  bucket: string;
  /** The object key, percent-encoded as on the wire (`''` for bucket-level requests). */
  key: string;
}

/** A virtual-hosted OBS host: the bucket, then `.obs.`, then the endpoint. */
const VIRTUAL_HOSTED = /^(.+?)\.obs\./;

/**
 * The bucket and key of a (strictly encoded) URL: the part of the host before
 * `.obs.` is the bucket (virtual-hosted style); a host listed in
 * `customDomains` is itself the "bucket" (`/<domain>/key`); otherwise the first
 * path segment is the bucket (path style: an IP, `localhost`, `obs.<region>…`).
 * @example
 * ```ts
 * obsTarget(new URL('https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg')); // { bucket: 'photos', key: 'cat.jpg' }
 * obsTarget(new URL('http://127.0.0.1:9000/photos/a%20b.txt')); // { bucket: 'photos', key: 'a%20b.txt' }
 * ```
 */
export function obsTarget(url: URL, customDomains: readonly string[] = []): ObsTarget {
  const host = url.hostname;
  const path = url.pathname.startsWith('/') ? url.pathname.slice(1) : url.pathname;
  if (customDomains.includes(host)) return { bucket: host, key: path };
  const hosted = VIRTUAL_HOSTED.exec(host);
  if (hosted?.[1] !== undefined) return { bucket: hosted[1], key: path };
  const slash = path.indexOf('/');
  return slash < 0 ? { bucket: path, key: '' } : { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/**
 * The CanonicalizedResource: `/bucket/key` (`/bucket/` for a bucket, `/` for
 * the service), then `?` and the sub-resources among `query`, sorted by name,
 * each `name` or `name=value` (decoded), joined by `&`. Only the first
 * occurrence of a repeated sub-resource counts, as on OBS.
 * @example
 * ```ts
 * obsCanonicalResource({ bucket: 'bucket-test', key: 'object-test' }, [
 *   { name: 'versionId', value: 'xxx' }, { name: 'response-content-type', value: 'text/plain' }, { name: 'x-id', value: '1' },
 * ]); // "/bucket-test/object-test?response-content-type=text/plain&versionId=xxx"
 * ```
 */
export function obsCanonicalResource(target: ObsTarget, query: readonly QueryParam[]): string {
  const path = target.bucket === '' ? '/' : `/${target.bucket}/${target.key}`;
  const picked = new Map<string, string | undefined>();
  for (const { name, value } of query) {
    if (OBS_SUB_RESOURCES.has(name) && !picked.has(name)) picked.set(name, value);
  }
  if (picked.size === 0) return path;
  const names = [...picked.keys()].sort();
  const parts = names.map((name) => {
    const value = picked.get(name);
    return value === undefined || value === '' ? name : `${name}=${value}`;
  });
  return `${path}?${parts.join('&')}`;
}
