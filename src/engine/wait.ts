/**
 * An abortable sleep. Aborting rejects at once with the value `onAbort` builds
 * (axios's CanceledError, for a call's signal).
 */

/** Anything with the AbortSignal surface axios accepts (`config.signal`). */
export interface SignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * Waits `ms`, or rejects as soon as one of `signals` aborts.
 * @param onAbort builds the rejection value
 */
export function abortableWait(ms: number, signals: readonly (SignalLike | undefined)[], onAbort: () => Error): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const live = signals.filter((s): s is SignalLike => s !== undefined && typeof s.addEventListener === 'function');
    if (live.some((s) => s.aborted)) {
      reject(onAbort());
      return;
    }
    const cleanup = (): void => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener('abort', abort);
    };
    const abort = (): void => {
      cleanup();
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve();
    }, ms);
    for (const s of live) s.addEventListener('abort', abort, { once: true });
  });
}
