/**
 * The small typed emitter behind a handle's events. Listeners that throw are
 * isolated: a logging bug never breaks a request.
 */
import type { ObsPolicyEventName, ObsPolicyEvents, ObsPolicyListener } from './events.js';

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
    const wrapper: ObsPolicyListener<E> = (payload) => {
      off();
      listener(payload);
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

  /** Delivers to every listener; a throwing listener is skipped, never propagated. */
  emit<E extends ObsPolicyEventName>(event: E, payload: ObsPolicyEvents[E]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as ObsPolicyListener<E>)(payload);
      } catch {
        // Isolated by contract: an observer must not change the call's outcome.
      }
    }
  }

  /** Drops every listener (detach). */
  clear(): void {
    this.listeners.clear();
    this.onceWrappers.clear();
  }
}
