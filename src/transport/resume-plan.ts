/**
 * What a streamed GET can be resumed from, read off its first answer, and
 * whether a later answer continues it: the bytes the body covers (a 200's
 * `Content-Length`, a 206's `Content-Range`), the strong ETag that pins the
 * object's version, and the check that a resumed answer is a 206 of exactly
 * the missing bytes of that version. Pure: no I/O, no clock.
 */
import { readHeader } from '../parse/headers.js';

/** A response as far as resuming reads it: axios's, or any with the same fields. */
export interface ResponseLike {
  /** HTTP status. */
  status: number;
  /** Headers: `AxiosHeaders`, or a plain object. */
  headers: unknown;
  /** The body: a Node readable stream (http adapter) or a WHATWG `ReadableStream` (fetch adapter). */
  data: unknown;
}

/** Where the body of a first answer sits in the object, and which version it is. */
export interface ResumePlan {
  /** Offset in the object of the body's first byte (0 for a 200). */
  start: number;
  /** Offset of its last byte, inclusive. */
  end: number;
  /** The object's size. */
  size: number;
  /** The strong ETag the resumed reads must match (`If-Match`). */
  etag: string;
  /** True when the first answer was a 206: resumed reads name their end too. */
  ranged: boolean;
}

/** A parsed `Content-Range: bytes start-end/size`. */
interface ContentRange {
  start: number;
  end: number;
  size: number;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/i;

/** Digits only, as a safe integer; anything else is unreadable. */
function decimal(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return Number.isSafeInteger(value) ? value : undefined;
}

/** `Content-Range` of a 206, when it names one complete, consistent range. */
function contentRangeOf(headers: unknown): ContentRange | undefined {
  const match = CONTENT_RANGE.exec((readHeader(headers, 'content-range') ?? '').trim());
  if (match === null) return undefined;
  const [start, end, size] = [decimal(match[1]), decimal(match[2]), decimal(match[3])];
  if (start === undefined || end === undefined || size === undefined || end < start || end >= size) return undefined;
  return { start, end, size };
}

/** The ETag when it is strong (a weak one never passes `If-Match`). */
function strongEtagOf(headers: unknown): string | undefined {
  const etag = readHeader(headers, 'etag')?.trim();
  return etag === undefined || etag === '' || etag.startsWith('W/') ? undefined : etag;
}

/**
 * How the body of `first` could be resumed, or why it cannot: the answer must be a
 * 200 with a `Content-Length` or a 206 with a single `Content-Range`, carry a strong
 * ETag, and not be content-encoded (a decoded body's byte counts are not the object's).
 */
export function resumePlanOf(first: Pick<ResponseLike, 'status' | 'headers'>): ResumePlan | { unresumable: string } {
  const { headers } = first;
  const etag = strongEtagOf(headers);
  if (etag === undefined) return { unresumable: 'no strong ETag' };
  const encoding = readHeader(headers, 'content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') return { unresumable: `content-encoding ${encoding}` };
  if (first.status === 206) {
    const range = contentRangeOf(headers);
    if (range === undefined) return { unresumable: 'no single Content-Range' };
    return { ...range, etag, ranged: true };
  }
  if (first.status !== 200) return { unresumable: `status ${String(first.status)}` };
  const length = decimal(readHeader(headers, 'content-length'));
  if (length === undefined) return { unresumable: 'no Content-Length' };
  return { start: 0, end: length - 1, size: length, etag, ranged: false };
}

/** What a resumed read asks for: the missing bytes of the same version. */
export interface RangeRequest {
  /** Offset in the object of the first missing byte. */
  start: number;
  /** Offset of the last byte wanted, inclusive (the first answer's last byte). */
  end: number;
  /** The first answer's ETag. */
  etag: string;
  /**
   * The headers to send: `Range: bytes=<start>-` (`bytes=<start>-<end>` when the first
   * answer was a 206 itself) and `If-Match: <etag>`.
   */
  headers: { Range: string; 'If-Match': string };
}

/** The read that continues `plan` after `received` body bytes. */
export function rangeRequestOf(plan: ResumePlan, received: number): RangeRequest {
  const start = plan.start + received;
  const range = plan.ranged ? `bytes=${String(start)}-${String(plan.end)}` : `bytes=${String(start)}-`;
  return { start, end: plan.end, etag: plan.etag, headers: { Range: range, 'If-Match': plan.etag } };
}

/** Why an answer to a resumed read is refused; `undefined` when it continues the body. */
export type Continuation = { ok: true } | { ok: false; code: 'PreconditionFailed' | 'RangeNotHonoured' | 'RangeMismatch'; why: string };

/**
 * Checks that `answer` continues `wanted`: a 206 whose `Content-Range` starts at the
 * first missing byte, ends at the body's last byte, names the same object size, and
 * whose ETag (when it sends one) is the first answer's. A 412 means the object
 * changed; a 200 is the whole object (the server ignored `Range`): neither is spliced.
 */
export function continuationOf(plan: ResumePlan, wanted: RangeRequest, answer: Pick<ResponseLike, 'status' | 'headers'>): Continuation {
  if (answer.status === 412) return { ok: false, code: 'PreconditionFailed', why: `the object changed since its first answer (ETag ${plan.etag})` };
  if (answer.status !== 206) return { ok: false, code: 'RangeNotHonoured', why: `a resumed read was answered ${String(answer.status)}, not 206` };
  const etag = readHeader(answer.headers, 'etag')?.trim();
  if (etag !== undefined && etag !== plan.etag) return { ok: false, code: 'PreconditionFailed', why: `the resumed read answered ETag ${etag}, not ${plan.etag}` };
  const range = contentRangeOf(answer.headers);
  if (range === undefined) return { ok: false, code: 'RangeMismatch', why: 'a resumed read was answered without a readable Content-Range' };
  if (range.start !== wanted.start || range.end !== wanted.end || range.size !== plan.size) {
    const got = `${String(range.start)}-${String(range.end)}/${String(range.size)}`;
    return { ok: false, code: 'RangeMismatch', why: `a resumed read was answered bytes ${got}, not ${String(wanted.start)}-${String(wanted.end)}/${String(plan.size)}` };
  }
  return { ok: true };
}
