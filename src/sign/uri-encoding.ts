/**
 * The one URI encoding both signers sign and send: RFC 3986 with only the
 * unreserved characters (`A-Z a-z 0-9 - . _ ~`) left as they are, which is
 * what OBS and S3 expect in a canonical path and query. Web platform only
 * (no Buffer), so it runs in browsers too.
 */

/** Characters `encodeURIComponent` leaves alone but RFC 3986 reserves. */
const LOOSE = /[!'()*]/g;

/**
 * Percent-encodes everything but the RFC 3986 unreserved characters
 * (UTF-8, upper-case hex): a space becomes `%20`, never `+`.
 * @example
 * ```ts
 * strictEncode("it's a b+c/d"); // "it%27s%20a%20b%2Bc%2Fd"
 * ```
 */
export function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(LOOSE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Percent-decodes one path segment; text that is not valid encoding (a stray
 * `%`) is taken literally, as servers do.
 * @example
 * ```ts
 * decodeSegment('a%20b'); // "a b"
 * decodeSegment('100%');  // "100%"
 * ```
 */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Decodes one query name or value the way servers read a query string: `+`
 * is a space (axios's serializer writes spaces as `+`), then percent-decoding.
 * @example
 * ```ts
 * decodeQueryPart('a+b%2Bc'); // "a b+c"
 * ```
 */
export function decodeQueryPart(part: string): string {
  return decodeSegment(part.replace(/\+/g, ' '));
}

/**
 * A URL path with each segment decoded and strictly re-encoded: the form
 * OBS (`/bucket/key`) and S3 Signature V4 (canonical URI) sign. Slashes
 * between segments stay; an encoded slash (`%2F`) stays inside its segment.
 * @example
 * ```ts
 * canonicalPath('/photos/my%20cat (1).jpg'); // "/photos/my%20cat%20%281%29.jpg"
 * ```
 */
export function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) => strictEncode(decodeSegment(segment)))
    .join('/');
}
