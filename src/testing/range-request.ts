/**
 * The conditional and partial reads of the local OBS server: `If-Match`
 * (412 PreconditionFailed when the stored ETag is not among those named) and a
 * single `Range: bytes=…` (206 with `Content-Range`, or 416 InvalidRange), read
 * as RFC 9110 says. A `Range` the server does not understand (several ranges,
 * another unit, bad syntax) is ignored: the whole object is the answer.
 */

/** The inclusive byte range of an object an answer carries. */
interface ByteRange {
  /** First byte, 0-based. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/** What a `Range` header asks of an object of `size` bytes: a range, `'unsatisfiable'` (416), or `undefined` (the whole object). */
export type RangeVerdict = ByteRange | 'unsatisfiable' | undefined;

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/i;

/** The range `header` asks of an object of `size` bytes (see {@link RangeVerdict}). */
export function byteRangeOf(header: string | undefined, size: number): RangeVerdict {
  if (header === undefined) return undefined;
  const match = SINGLE_RANGE.exec(header.trim());
  if (match === null) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // A suffix: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/**
 * True when `If-Match` lets the read go on: absent, `*`, or naming `etag`.
 * The comparison is strong: a weak tag (`W/"…"`) never matches.
 */
export function ifMatchPasses(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const tags = header.split(',').map((tag) => tag.trim());
  return tags.some((tag) => tag === '*' || (!tag.startsWith('W/') && tag === etag));
}
