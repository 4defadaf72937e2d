/**
 * The small typed emitter behind a handle's events. Listeners are isolated: one
 * that throws, or returns a promise (or any thenable) that rejects, never breaks
 * a call, never keeps the other listeners from the event and never causes an
 * unhandled rejection. Both failures are dropped the same way, silently: the
 * contract has no channel to report them on, and anything printed from here
 * (a warning, a console line) would be the package's noise in the user's logs
 * and would not work the same in browsers.
 */
import type { ObsPolicyEventName, ObsPolicyEvents, ObsPolicyListener } from './events.js';

/** Does nothing with a listener's failure (see the module comment). */
function dropFailure(): void {
  // Isolated by contract: an observer must not change the call's outcome.
}

/**
 * Settles what a listener returned, when it is a thenable: attaches a
 * rejection handler so a rejecting async listener is no unhandled rejection.
 * `then` is read once and called once, synchronously, inside a `try`: a
 * thenable whose `then` getter throws, whose `then` throws, or that calls its
 * callbacks several times is contained too. A native promise's `then` returns
 * a derived promise that fulfils either way; a promise some other `then`
 * returns gets the same handler, so nothing is left unhandled.
 */
function containReturned(returned: unknown): void {
  if (returned === null || (typeof returned !== 'object' && typeof returned !== 'function')) return;
  try {
    const then: unknown = (returned as { then?: unknown }).then;
    if (typeof then !== 'function') return;
    const derived: unknown = then.call(returned, undefined, dropFailure);
    // A foreign thenable's `then` may itself hand back a promise that rejects.
    if (derived instanceof Promise) derived.catch(dropFailure);
  } catch {
    dropFailure();
  }
}

/** A typed emitter whose `on`/`once` return an unsubscribe function. */
export class PolicyEmitter {
  private readonly listeners = new Map<ObsPolicyEventName, Set<(payload: never) => void>>();

  /** Subscribes; returns the unsubscribe function. */
  on<E extends ObsPolicyEventName>(event: E, listener: ObsPolicyListener<E>): () => void {
    this.addListener(event, listener);
    return () => {
      this.off(event, listener);
    };
  }

  /** Subscribes for the next event only; returns the unsubscribe function. */
  once<E extends ObsPolicyEventName>(event: E, listener: ObsPolicyListener<E>): () => void {
    const key = listener as (payload: never) => void;
    // Hands back what the listener returned: a promise it rejects is contained by `emit` like any other's.
    const wrapper = (payload: ObsPolicyEvents[E]): unknown => {
      off();
      return (listener as (payload: ObsPolicyEvents[E]) => unknown)(payload);
    };
    const off = (): void => {
      this.removeListener(event, wrapper);
      const wrappers = this.onceWrappers.get(event);
      if (wrappers?.get(key) === wrapper) wrappers.delete(key);
    };
    this.addListener(event, wrapper);
    // Keyed by (event, listener): the same function may wait once on several events,
    // and `off(a, l)` must cancel only the wait on `a`.
    let wrappers = this.onceWrappers.get(event);
    if (wrappers === undefined) {
      wrappers = new Map();
      this.onceWrappers.set(event, wrappers);
    }
    const previous = wrappers.get(key);
    if (previous !== undefined) this.removeListener(event, previous);
    wrappers.set(key, wrapper);
    return off;
  }

  /** Once-wrappers by event, then by the listener the caller gave. */
  private readonly onceWrappers = new Map<ObsPolicyEventName, Map<(payload: never) => void, (payload: never) => void>>();

  /** Unsubscribes a listener given to `on` or `once` for `event` (only for that event). */
  off<E extends ObsPolicyEventName>(event: E, listener: ObsPolicyListener<E>): void {
    const key = listener as (payload: never) => void;
    this.removeListener(event, key);
    const wrappers = this.onceWrappers.get(event);
    const wrapper = wrappers?.get(key);
    if (wrapper !== undefined) {
      wrappers?.delete(key);
      this.removeListener(event, wrapper);
    }
    if (wrappers?.size === 0) this.onceWrappers.delete(event);
  }

  private addListener(event: ObsPolicyEventName, listener: (payload: never) => void): void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
  }

  private removeListener(event: ObsPolicyEventName, listener: (payload: never) => void): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    set.delete(listener);
    if (set.size === 0) this.listeners.delete(event);
  }

  /** True when someone listens: payloads are only built for listened events. */
  has(event: ObsPolicyEventName): boolean {
    return this.listeners.has(event);
  }

  /**
   * Delivers to every listener. A listener that throws is skipped, never
   * propagated; a thenable it returns gets a rejection handler (see
   * `containReturned`). Both failures are dropped alike.
   */
  emit<E extends ObsPolicyEventName>(event: E, payload: ObsPolicyEvents[E]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      let returned: unknown;
      try {
        returned = (listener as (payload: ObsPolicyEvents[E]) => unknown)(payload);
      } catch {
        dropFailure();
        continue;
      }
      containReturned(returned);
    }
  }

  /** Drops every listener (detach). */
  clear(): void {
    this.listeners.clear();
    this.onceWrappers.clear();
  }
}
