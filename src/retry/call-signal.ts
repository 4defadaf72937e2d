/**
 * The call's cancellation as one abort-signal surface: `config.signal`, or an
 * axios `CancelToken` (the older API, still in use) seen through the same
 * interface, so backoff waits and pace waits end at once either way.
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
