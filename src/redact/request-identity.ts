/**
 * What a request addresses, read off its absolute URL so operators can filter
 * events and errors without parsing URLs: the endpoint (`protocol://host[:port]`,
 * the key of its breaker and pace), the bucket and the object key.
 *
 * The bucket is in the host name (virtual-hosted style,
 * `photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg`) or first in the path (path
 * style, `127.0.0.1:9000/photos/cat.jpg`), as `isPathStyleHost` says for the
 * host. Bucket and key are percent-decoded (as OBS stores them) and their
 * control characters escaped, like every printed field. Userinfo, the query and
 * the fragment never show in any of the three. Pure; never throws.
 */
import { isPathStyleHost } from '../redirect/path-style-host.js';
import { escapeControls } from './escape-controls.js';

/** The endpoint, bucket and key a request addresses. */
export interface RequestIdentity {
  /** `protocol://host[:port]` (the default port left out, as `URL.origin` writes it); `undefined` when the URL has no host. */
  endpoint: string | undefined;
  /** The bucket; `undefined` for a service-level request (`GET /` on an endpoint) or a URL that cannot be read. */
  bucket: string | undefined;
  /** The object key; `undefined` for a bucket-level or service-level request. */
  key: string | undefined;
}

/** Where a path's bucket and key lie (raw, still percent-encoded). */
interface PathParts {
  /** The bucket segment of a path-style path (`undefined` when virtual-hosted or service-level). */
  bucket: string | undefined;
  /** Everything after the bucket (`undefined` when empty: a bucket-level or service-level request). */
  key: string | undefined;
}

const NOTHING: RequestIdentity = Object.freeze({ endpoint: undefined, bucket: undefined, key: undefined });

/** A run of percent-escapes, decoded together so multi-byte UTF-8 sequences come back whole. */
const ESCAPE_RUN = /(?:%[\da-f]{2})+/gi;

function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run;
  }
}

/** Percent-decodes `raw`; an escape run that is not valid UTF-8 (`%E0%A4`, `%zz`) stays as written. */
function decodeLeniently(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw.replace(ESCAPE_RUN, decodeRun);
  }
}

/** Decoded and printable. */
function printable(raw: string): string {
  return escapeControls(decodeLeniently(raw));
}

/**
 * Splits a URL path (its `pathname`, still percent-encoded) into bucket and key:
 * path style, `/bucket` and `/bucket/` are the bucket, anything after its slash
 * is the key, and an empty first segment (`/`, `//k`) is the service; virtual-hosted,
 * the whole path after the leading slash is the key. Raw segments are returned.
 * @param path a path starting with `/` (or empty)
 * @param pathStyle whether the host carries the bucket in the path (`isPathStyleHost`)
 */
function splitBucketPath(path: string, pathStyle: boolean): PathParts {
  const rest = path.startsWith('/') ? path.slice(1) : path;
  if (!pathStyle) return { bucket: undefined, key: rest === '' ? undefined : rest };
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (bucket === '') return { bucket: undefined, key: undefined };
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  return { bucket, key: key === '' ? undefined : key };
}

/**
 * The bucket of a virtual-hosted host name: the labels before the last `obs`
 * label (`my.logs.obs.cn-north-4.myhuaweicloud.com` → `my.logs`, since bucket names
 * may hold dots), else the first label (`photos.example.test` → `photos`).
 */
function bucketOfHost(hostname: string): string {
  const labels = hostname.split('.');
  const obs = labels.lastIndexOf('obs');
  return obs > 0 ? labels.slice(0, obs).join('.') : (labels[0] ?? '');
}

/** `url` parsed (a `URL` is only read, never changed). */
function parse(url: string | URL): URL | undefined {
  try {
    return typeof url === 'string' ? new URL(url) : url;
  } catch {
    return undefined;
  }
}

/**
 * The endpoint, bucket and key of an absolute URL.
 *
 * | URL | endpoint | bucket | key |
 * | --- | --- | --- | --- |
 * | `https://photos.obs.cn-north-4.myhuaweicloud.com/a/b.jpg?versionId=1` | `https://photos.obs.cn-north-4.myhuaweicloud.com` | `photos` | `a/b.jpg` |
 * | `https://obs.cn-north-4.myhuaweicloud.com/photos/a%20b.jpg` | `https://obs.cn-north-4.myhuaweicloud.com` | `photos` | `a b.jpg` |
 * | `http://127.0.0.1:9000/photos/` | `http://127.0.0.1:9000` | `photos` | `undefined` |
 * | `http://127.0.0.1:9000/` | `http://127.0.0.1:9000` | `undefined` | `undefined` |
 *
 * A key is data: one that looks like a credential is kept as it is; the query
 * (where presigned credentials live) never shows. A key holds `?` only when the
 * path encoded one (`%3F`), as OBS stores such a key. Text that is not an
 * absolute URL with a host gives all three `undefined`. Never throws.
 * @param url the request's absolute URL, as a string or a `URL`
 */
export function requestIdentity(url: string | URL | undefined): RequestIdentity {
  try {
    if (url === undefined || (typeof url !== 'string' && !(url instanceof URL))) return NOTHING;
    const parsed = parse(url);
    if (parsed === undefined || parsed.host === '') return NOTHING;
    const origin = parsed.origin;
    const endpoint = origin === 'null' ? `${parsed.protocol}//${parsed.host}` : origin;
    const hostname = parsed.hostname;
    const pathStyle = isPathStyleHost(hostname);
    const parts = splitBucketPath(parsed.pathname, pathStyle);
    const bucket = pathStyle ? parts.bucket : bucketOfHost(hostname);
    return {
      endpoint: escapeControls(endpoint),
      bucket: bucket === undefined || bucket === '' ? undefined : printable(bucket),
      key: parts.key === undefined ? undefined : printable(parts.key),
    };
  } catch {
    return NOTHING;
  }
}
