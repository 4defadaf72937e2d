/**
 * The error a resumable body ends with when it cannot go on as one continuous
 * body of one version: the object changed (412), the server did not answer the
 * range asked for, the body stalled with no resume allowed, or it came out longer
 * or shorter than announced. Its fields say how far the body got.
 */

/** What went wrong, as an OBS-style code. */
export type ResumableBodyCode =
  /** The object changed between the first answer and a resumed read (412, or another ETag). */
  | 'PreconditionFailed'
  /** A resumed read was answered with something other than 206 (a 200 is the whole object: never spliced). */
  | 'RangeNotHonoured'
  /** A 206 whose `Content-Range` is not the missing bytes of the same object, or a body that is not a stream. */
  | 'RangeMismatch'
  /** No body bytes arrived for the idle timeout. */
  | 'BodyStalled'
  /** The body ended before the announced length. */
  | 'BodyIncomplete'
  /** The body went on past the announced length. */
  | 'BodyTooLong';

/** How far a body had got when it failed. */
export interface ResumableBodyFailure {
  /** What went wrong. */
  code: ResumableBodyCode;
  /** One line saying why, with offsets and ETags (no credentials: none are read). */
  why: string;
  /** Body bytes handed on before the failure. */
  receivedBytes: number;
  /** The body's announced length; `undefined` when unknown. */
  totalBytes: number | undefined;
  /** Resumed reads made before the failure. */
  resumes: number;
  /** The HTTP status of the answer that failed it, when one did. */
  status?: number | undefined;
  /** The error underneath (the broken body's, for a stall or an incomplete body). */
  cause?: unknown;
}

/** The HTTP status each code stands for, when one does. */
const STATUS_OF: Partial<Record<ResumableBodyCode, number>> = { PreconditionFailed: 412 };

/**
 * The typed end of a resumable body. `code` and `obsCode` hold the same code, so it
 * reads like an `ObsError` (`err.obsCode === 'PreconditionFailed'`, `err.status === 412`).
 */
export class ResumableBodyError extends Error {
  /** What went wrong. */
  readonly code: ResumableBodyCode;
  /** Same as `code`, under the name `ObsError` uses. */
  readonly obsCode: ResumableBodyCode;
  /** The answer's status (412 for a changed object), when there was one. */
  readonly status: number | undefined;
  /** Body bytes handed on before the failure. */
  readonly receivedBytes: number;
  /** The body's announced length, when known. */
  readonly totalBytes: number | undefined;
  /** Resumed reads made before the failure. */
  readonly resumes: number;

  /** Builds the error; the message names the code, the reason and the progress. */
  constructor(failure: ResumableBodyFailure) {
    const of = failure.totalBytes === undefined ? '' : ` of ${String(failure.totalBytes)}`;
    super(`${failure.code}: ${failure.why} (after ${String(failure.receivedBytes)}${of} bytes, ${String(failure.resumes)} resumes)`, failure.cause === undefined ? undefined : { cause: failure.cause });
    this.name = 'ResumableBodyError';
    this.code = failure.code;
    this.obsCode = failure.code;
    this.status = failure.status ?? STATUS_OF[failure.code];
    this.receivedBytes = failure.receivedBytes;
    this.totalBytes = failure.totalBytes;
    this.resumes = failure.resumes;
  }
}
