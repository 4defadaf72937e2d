/**
 * The retry loop, on p-retry (the only file that imports it). p-retry runs the
 * attempts; every wait and every yes/no comes from the caller's `onFailure`
 * (which acts on `decide()`), so p-retry's own backoff is switched off.
 */
import pRetry from 'p-retry';

/**
 * The failure of one attempt, carried from the attempt to `onFailure`. The
 * caller attaches what the call ends with, if it ends here.
 */
export class AttemptFailure<T> extends Error {
  /** The error the call rejects with when this failure ends it (set by the caller). */
  finalError: unknown;

  constructor(readonly detail: T) {
    super('attempt failed');
    this.name = 'AttemptFailure';
  }
}

/**
 * Runs `attempt` until it succeeds or `onFailure` says stop.
 * @param attempt one attempt; throws an `AttemptFailure` to be judged, anything else ends the loop as is
 * @param onFailure acts on a failed attempt (waits if it retries); resolves true to go again
 * @returns the first successful attempt's result; rejects with the error that ended the loop
 */
export function retryLoop<R, T>(attempt: () => Promise<R>, onFailure: (failure: AttemptFailure<T>) => Promise<boolean>): Promise<R> {
  return pRetry(attempt, {
    retries: Number.POSITIVE_INFINITY,
    // The waits are the caller's (full jitter, Retry-After, budget): p-retry adds none.
    minTimeout: 0,
    maxTimeout: 0,
    shouldConsumeRetry: () => true,
    shouldRetry: ({ error }) => (error instanceof AttemptFailure ? onFailure(error as AttemptFailure<T>) : false),
  });
}
