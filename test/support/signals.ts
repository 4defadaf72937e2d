/**
 * Small test helpers for waits: an abort signal that counts its listeners (to prove a wait
 * cleans up after itself), and a microtask flush.
 */
import type { SignalLike } from '../../src/retry/wait.js';

/** An AbortController's signal that reports how many listeners are still attached. */
export function watchedSignal(): { controller: AbortController; signal: SignalLike; listeners: () => number } {
  const controller = new AbortController();
  const held = new Set<() => void>();
  const signal: SignalLike = {
    get aborted() {
      return controller.signal.aborted;
    },
    addEventListener: (type, listener, options) => {
      held.add(listener);
      controller.signal.addEventListener(type, listener, options);
    },
    removeEventListener: (type, listener) => {
      held.delete(listener);
      controller.signal.removeEventListener(type, listener);
    },
  };
  return { controller, signal, listeners: () => held.size };
}

/** Lets a few rounds of promise callbacks run (no timers involved). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
