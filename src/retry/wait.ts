/**
 * An abortable sleep. It ends early when the call's signal aborts, or when the
 * handle cancels every pending wait (detach). The handle keeps its pending
 * waits in a set instead of adding one listener per wait to a shared
 * AbortSignal: hundreds of concurrent waits must not trip Node's
 * MaxListenersExceededWarning.
 */

/** Anything with the AbortSignal surface axios accepts (`config.signal`). */
export interface SignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The pending waits of a handle; `cancelAll` ends each of them with its own rejection. */
export class PendingWaits {
  private readonly cancels = new Set<() => void>();
  private cancelled = false;

  /** True once `cancelAll` ran: new waits end at once. */
  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Registers a cancel callback; returns its removal. */
  add(cancel: () => void): () => void {
    this.cancels.add(cancel);
    return () => this.cancels.delete(cancel);
  }

  /** Ends every pending wait (and every later one). */
  cancelAll(): void {
    this.cancelled = true;
    for (const cancel of [...this.cancels]) cancel();
    this.cancels.clear();
  }

  /** Number of waits in progress. */
  get size(): number {
    return this.cancels.size;
  }
}

/**
 * Waits `ms`; rejects with `onAbort()` as soon as `signal` aborts, and with
 * `onCancel()` when `pending` is cancelled.
 */
export function abortableWait(
  ms: number,
  signal: SignalLike | undefined,
  pending: PendingWaits,
  onAbort: () => Error,
  onCancel: () => Error,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const live = signal !== undefined && typeof signal.addEventListener === 'function' ? signal : undefined;
    if (live?.aborted === true) {
      reject(onAbort());
      return;
    }
    if (pending.isCancelled) {
      reject(onCancel());
      return;
    }
    const finish = (error: Error | undefined): void => {
      clearTimeout(timer);
      live?.removeEventListener('abort', abort);
      removeCancel();
      if (error === undefined) resolve();
      else reject(error);
    };
    const abort = (): void => {
      finish(onAbort());
    };
    const timer = setTimeout(() => {
      finish(undefined);
    }, ms);
    const removeCancel = pending.add(() => {
      finish(onCancel());
    });
    live?.addEventListener('abort', abort, { once: true });
  });
}
