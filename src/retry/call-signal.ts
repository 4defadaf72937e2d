/**
 * The call's cancellation as one abort-signal surface: `config.signal`, or an
 * axios `CancelToken` (the older API, still in use) seen through the same
 * interface, so backoff waits and pace waits end at once either way; `linkAbort` makes a
 * real AbortSignal of it for the retry loop.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import type { SignalLike } from './wait.js';

/** What a CancelToken offers (axios's own class, across copies of axios). */
interface CancelTokenLike {
  reason?: unknown;
  subscribe(listener: (reason: unknown) => void): void;
  unsubscribe(listener: (reason: unknown) => void): void;
}

function isCancelToken(value: unknown): value is CancelTokenLike {
  return value !== null && typeof value === 'object' && typeof (value as CancelTokenLike).subscribe === 'function' && typeof (value as CancelTokenLike).unsubscribe === 'function';
}

/** The call's abort signal, or its cancel token as one; `undefined` when it has neither. */
export function callSignal(config: InternalAxiosRequestConfig): SignalLike | undefined {
  const signal = config.signal as SignalLike | undefined;
  if (signal !== undefined && typeof signal.addEventListener === 'function') return signal;
  const token: unknown = config.cancelToken;
  if (!isCancelToken(token)) return undefined;
  return {
    get aborted() {
      return token.reason !== undefined && token.reason !== null;
    },
    addEventListener: (_type, listener) => {
      token.subscribe(listener);
    },
    removeEventListener: (_type, listener) => {
      token.unsubscribe(listener);
    },
  };
}

/** An AbortSignal that follows the call's cancellation, and the removal of that link. */
export interface LinkedAbort {
  /** Aborts, with the reason given to {@link linkAbort}, when the call's signal or cancel token does. */
  readonly signal: AbortSignal;
  /** Stops following the call's cancellation (the call has ended). */
  unlink(): void;
}

/**
 * A real AbortSignal for the call's cancellation, whatever form it takes (`config.signal` or a
 * `CancelToken`): it aborts with `reason()` when the call's signal does, at once when it already has.
 * @param signal the call's signal, from {@link callSignal}
 * @param reason the error the call rejects with when it is cancelled
 */
export function linkAbort(signal: SignalLike | undefined, reason: () => Error): LinkedAbort {
  const controller = new AbortController();
  const abort = (): void => {
    controller.abort(reason());
  };
  if (signal === undefined) return { signal: controller.signal, unlink: () => undefined };
  if (signal.aborted) {
    abort();
    return { signal: controller.signal, unlink: () => undefined };
  }
  signal.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    unlink: () => {
      signal.removeEventListener('abort', abort);
    },
  };
}
