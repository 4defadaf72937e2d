/**
 * The attempt loop, on p-retry (the only file that imports it). p-retry runs
 * the attempts, counts the retries they use and stops between attempts when
 * the call's signal aborts. It decides nothing and waits for nothing: the
 * caller's `onFailure` (which acts on `decide()`) says whether the call goes
 * on, and the wait before a retry is the caller's too, the first step of the
 * next attempt, because p-retry's own wait cannot be what `decide()` chose
 * (docs/engine.md says why).
 */
import pRetry from 'p-retry';

/** A failed attempt, carried from the attempt to `onFailure` to be judged. */
export class AttemptFailure<T> extends Error {
  constructor(readonly detail: T) {
    super('attempt failed');
    this.name = 'AttemptFailure';
  }
}

/**
 * Anything else an attempt threw, carried to the end of the loop as it is: p-retry would turn a
 * thrown non-Error into a TypeError and unwrap an `AbortError` of its own; wrapped, neither happens.
 */
class LoopEnd extends Error {
  constructor(readonly value: unknown) {
    super('loop ended');
    this.name = 'LoopEnd';
  }
}

/** What the loop runs. */
export interface RetryLoop<R, T> {
  /** One attempt: resolves the call's result, throws an {@link AttemptFailure} to be judged, or throws what ends the call. */
  attempt: () => Promise<R>;
  /**
   * Judges a failed attempt. Returns whether the next attempt uses a retry (a redirect hop or a
   * re-sign does not); throws what the call ends with.
   * @param detail what the failed attempt carried
   * @param retriesUsed retries used before this failure, as p-retry counted them
   */
  onFailure: (detail: T, retriesUsed: number) => boolean;
  /** Stops the loop between attempts; the loop rejects with the signal's reason. */
  signal: AbortSignal;
}

/**
 * Runs attempts until one resolves or `onFailure` throws.
 * @returns the first result an attempt resolves with; rejects with what `onFailure` or an attempt threw, or the signal's reason
 */
export function retryLoop<R, T>(loop: RetryLoop<R, T>): Promise<R> {
  let usesRetry = false;
  return pRetry(
    async () => {
      try {
        return await loop.attempt();
      } catch (error) {
        throw error instanceof AttemptFailure ? error : new LoopEnd(error);
      }
    },
    {
      // How many retries an outcome gets is decide()'s (per code): p-retry only counts them.
      retries: Number.POSITIVE_INFINITY,
      // p-retry never waits: its wait cannot carry decide()'s (see the file comment).
      minTimeout: 0,
      maxTimeout: 0,
      signal: loop.signal,
      onFailedAttempt: ({ error, retriesConsumed }) => {
        if (error instanceof AttemptFailure) {
          usesRetry = loop.onFailure(error.detail as T, retriesConsumed);
          return;
        }
        // p-retry rejects with what this throws, untouched: the attempt's own throw, unwrapped.
        throw error instanceof LoopEnd ? error.value : error;
      },
      shouldConsumeRetry: () => usesRetry,
    },
  );
}
