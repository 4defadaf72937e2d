/**
 * How the local OBS server finds the bucket and key of a request: virtual-hosted
 * style (`photos.obs.test/cat.jpg`) when the Host is a DNS name with an endpoint
 * after the bucket label, path style (`127.0.0.1/photos/cat.jpg`) otherwise.
 * Never throws: request lines from tests may be deliberately broken.
 */
import { isIP } from 'node:net';

/** The path and query of a request target, as received (not decoded). */
export interface RequestTarget {
  /** Everything before `?`, percent-encoding kept. */
  path: string;
  /** Everything after the first `?` (without it), or `''`. */
  search: string;
}

/** The bucket and object key a request addresses (`''` when absent). */
export interface BucketAndKey {
  bucket: string;
  key: string;
}

/**
 * Splits a request target into path and query. Handles the origin form
 * (`/b/k?x`), the absolute form a proxy-style client sends (`http://h/b/k?x`)
 * and anything else (`*`, garbage), which is kept whole as the path.
 */
export function splitTarget(url: string): RequestTarget {
  let rest = url;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (absolute !== null) rest = rest.slice(absolute[0].length) || '/';
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const queryAt = rest.indexOf('?');
  return queryAt < 0 ? { path: rest, search: '' } : { path: rest.slice(0, queryAt), search: rest.slice(queryAt + 1) };
}

/** Percent-decodes, keeping the raw text when it is not valid encoding (a test may send `%E0%A4%A`). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The hostname of a Host header value: port and IPv6 brackets removed, lower-cased, no trailing dot. */
export function hostnameOf(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) {
    const end = trimmed.indexOf(']');
    return end < 0 ? trimmed.slice(1) : trimmed.slice(1, end);
  }
  return trimmed.replace(/:\d*$/, '').replace(/\.$/, '');
}

/**
 * True when the Host names a bucket: a DNS name (not an IP literal, not
 * `localhost`) with at least two labels, the first being the bucket. A single
 * label (`obs`, a container name) has no endpoint to split off, so it is path style.
 */
export function isVirtualHosted(hostname: string): boolean {
  return hostname !== '' && hostname !== 'localhost' && isIP(hostname) === 0 && hostname.includes('.');
}

/** The bucket and key of a request, from its Host header and (undecoded) path. */
export function bucketAndKey(host: string, path: string): BucketAndKey {
  const hostname = hostnameOf(host);
  const withoutSlash = path.startsWith('/') ? path.slice(1) : path;
  if (isVirtualHosted(hostname)) {
    return { bucket: hostname.slice(0, hostname.indexOf('.')), key: decode(withoutSlash) };
  }
  // Split before decoding, so an encoded `%2F` stays inside the key instead of ending the bucket name.
  const slash = withoutSlash.indexOf('/');
  if (slash < 0) return { bucket: decode(withoutSlash), key: '' };
  return { bucket: decode(withoutSlash.slice(0, slash)), key: decode(withoutSlash.slice(slash + 1)) };
}

/**
 * The bucket and key named by a copy-source header (`/bucket/key`, `bucket/key`,
 * optionally `?versionId=…`, percent-encoded as OBS requires).
 */
export function copySourceOf(header: string): BucketAndKey {
  const { path } = splitTarget(header.startsWith('/') ? header : `/${header}`);
  return bucketAndKey('', path);
}
