/**
 * The body of a streamed GET as one continuous run of bytes across broken
 * connections. It pulls chunks from the current answer only when the caller
 * asks for one (no buffering: the caller's pace is the download's), counts
 * them, and watches two failures: a body that breaks (a reset, a premature
 * end) and one that stalls (no chunk for the idle timeout while a chunk is
 * wanted). On either, when the engine allows one more resume, it asks for the
 * missing bytes of the same version (`Range` + `If-Match`) and goes on from the
 * new answer, but only when that answer is a 206 of exactly those bytes: a 412,
 * a 200 or another range ends the body with a typed error, never a mix.
 */
import { chunkSourceOf, discardBody, type ChunkSource } from './body-source.js';
import { ResumableBodyError, type ResumableBodyCode } from './resume-error.js';
import { continuationOf, rangeRequestOf, type RangeRequest, type ResponseLike, type ResumePlan } from './resume-plan.js';

/** Why a body is being resumed. */
export type ResumeReason = 'reset' | 'stall';

/** What the engine is asked before each resume. */
export interface ResumeAsk {
  /** `reset`: the body broke or ended early; `stall`: no bytes for the idle timeout. */
  reason: ResumeReason;
  /** Body bytes handed on so far. */
  receivedBytes: number;
  /** The body's length. */
  totalBytes: number;
  /** 1-based number of this resume within the body. */
  resume: number;
  /** What broke the body: the stream's error, or a `ResumableBodyError` (`BodyStalled`, `BodyIncomplete`). */
  error: unknown;
}

/** A resumed read to send: the missing bytes, and a signal that aborts it when the caller leaves. */
export interface RangeCall extends RangeRequest {
  /** Aborted when the caller destroys or cancels the body while the read is in flight. */
  signal: AbortSignal;
}

/** What a splicer needs from the engine. */
export interface SplicerOptions {
  /**
   * Sends one resumed read (through the engine's gates) and resolves with its answer,
   * whatever the status; rejects when no answer can be had (the engine gave up, the
   * signal aborted): that rejection ends the body.
   */
  requestRange: (range: RangeCall) => Promise<ResponseLike>;
  /**
   * Says whether one more resume may be made, and accounts for it (retries, budget, events).
   * `false` ends the body with the error that broke it; a rejection ends it with that rejection.
   */
  allowResume: (ask: ResumeAsk) => boolean | Promise<boolean>;
  /** The longest wait for a body chunk, in ms; `undefined` (or not a positive number): no limit. */
  bodyIdleTimeoutMs?: number | undefined;
}

/** The longest delay a timer can hold, in ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What one read of the current answer came to. */
type Read = { chunk: Uint8Array } | { end: true } | { broken: ResumeReason; error: unknown };

const ENDED: Read = { end: true };

/** Pulls one body, resuming it across breaks; one per streamed GET. */
export class BodySplicer {
  private source: ChunkSource;
  private received = 0;
  private resumes = 0;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  private readonly idleMs: number | undefined;
  private readonly total: number | undefined;

  /**
   * @param first the source of the first answer's body
   * @param plan how that body can be resumed; `undefined`: it cannot (a break or a stall ends it)
   */
  constructor(
    first: ChunkSource,
    private readonly plan: ResumePlan | undefined,
    private readonly options: SplicerOptions,
  ) {
    this.source = first;
    const idle = options.bodyIdleTimeoutMs;
    this.idleMs = idle !== undefined && idle > 0 ? Math.min(idle, MAX_TIMER_MS) : undefined;
    this.total = plan === undefined ? undefined : plan.end - plan.start + 1;
  }

  /** The stream kind of the body. */
  get kind(): ChunkSource['kind'] {
    return this.source.kind;
  }

  /** Body bytes handed on so far. */
  get receivedBytes(): number {
    return this.received;
  }

  /** Resumed reads made so far. */
  get resumeCount(): number {
    return this.resumes;
  }

  /**
   * The next chunk of the body; `null` at its end (and after `cancel()`).
   * Rejects once, with the error that ends the body; everything is released by then.
   */
  async pull(): Promise<Uint8Array | null> {
    try {
      return await this.pullNext();
    } catch (error) {
      this.cancel();
      throw error;
    }
  }

  /**
   * Ends the body: the current answer is cancelled (its connection released), a
   * resumed read in flight is aborted, the idle timer cleared; nothing is sent after. Idempotent.
   */
  cancel(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    this.source.cancel();
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  /** Read afresh after every await: the caller may have left meanwhile. */
  private isClosed(): boolean {
    return this.closed;
  }

  private async pullNext(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.closed) return null;
      const read = await this.read();
      if (this.isClosed()) return null;
      if ('chunk' in read) return this.handOn(read.chunk);
      if (this.total === undefined || this.received === this.total) {
        if ('end' in read) {
          this.closed = true;
          return null;
        }
        // Nothing to resume from, or nothing missing: a break after the last byte is still a whole body.
        if (this.total === undefined) throw read.error;
        this.cancel();
        return null;
      }
      const broken = 'end' in read ? { broken: 'reset' as const, error: this.failure('BodyIncomplete', 'the body ended before its announced length') } : read;
      await this.resume(broken.broken, broken.error);
    }
  }

  /** Counts a chunk, refusing one that runs past the announced length. */
  private handOn(chunk: Uint8Array): Uint8Array {
    if (this.total !== undefined && this.received + chunk.length > this.total) {
      throw this.failure('BodyTooLong', `the body went on past its announced ${String(this.total)} bytes`);
    }
    this.received += chunk.length;
    return chunk;
  }

  /** Reads the current answer once, within the idle timeout. */
  private read(): Promise<Read> {
    const source = this.source;
    const reading = source.next().then(
      (chunk): Read => (chunk === null ? ENDED : { chunk }),
      (error: unknown): Read => ({ broken: 'reset', error }),
    );
    const idleMs = this.idleMs;
    if (idleMs === undefined) return reading;
    return new Promise<Read>((resolve) => {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        // The stalled answer's connection is released; its read settles later, unheard.
        source.cancel();
        resolve({ broken: 'stall', error: this.failure('BodyStalled', `no body bytes for ${String(idleMs)} ms`) });
      }, idleMs);
      void reading.then((read) => {
        this.clearTimer();
        resolve(read);
      });
    });
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Asks for one more resume and, when allowed, goes on from a 206 of the missing bytes; throws what ends the body. */
  private async resume(reason: ResumeReason, error: unknown): Promise<void> {
    const plan = this.plan;
    if (plan === undefined || this.total === undefined) throw error;
    this.source.cancel();
    const allowed = await this.options.allowResume({ reason, receivedBytes: this.received, totalBytes: this.total, resume: this.resumes + 1, error });
    if (this.isClosed()) return;
    if (!allowed) throw error;
    this.resumes += 1;
    const wanted = rangeRequestOf(plan, this.received);
    const controller = new AbortController();
    this.inFlight = controller;
    let answer: ResponseLike;
    try {
      answer = await this.options.requestRange({ ...wanted, signal: controller.signal });
    } finally {
      if (this.inFlight === controller) this.inFlight = undefined;
    }
    if (this.isClosed()) {
      discardBody(answer.data);
      return;
    }
    const verdict = continuationOf(plan, wanted, answer);
    if (!verdict.ok) {
      discardBody(answer.data);
      throw this.failure(verdict.code, verdict.why, answer.status);
    }
    const next = chunkSourceOf(answer.data);
    if (next === undefined) {
      discardBody(answer.data);
      throw this.failure('RangeMismatch', 'a resumed read was answered with a body that is not a stream', answer.status);
    }
    this.source = next;
  }

  private failure(code: ResumableBodyCode, why: string, status?: number): ResumableBodyError {
    return new ResumableBodyError({ code, why, receivedBytes: this.received, totalBytes: this.total, resumes: this.resumes, status });
  }
}
