/**
 * At most one store operation in flight per key: a value sent while one is in
 * flight waits, and only the newest waiting value goes when it settles. A burst
 * of failures at an endpoint then costs a few round trips to the store, not one
 * each, and a slow store never piles operations up.
 */
export class LatestOnly<T> {
  /** Keys with an operation in flight, and the value waiting to go next (if any). */
  private readonly inFlight = new Map<string, { next: T | undefined; hasNext: boolean }>();

  /**
   * Sends `value` for `key` now, or after the operation in flight (replacing any value waiting).
   * @param operation sends one value; must not reject (its failures are its own to handle)
   */
  send(key: string, value: T, operation: (value: T) => Promise<void>): void {
    const pending = this.inFlight.get(key);
    if (pending !== undefined) {
      pending.next = value;
      pending.hasNext = true;
      return;
    }
    const slot = { next: undefined as T | undefined, hasNext: false };
    this.inFlight.set(key, slot);
    const run = (current: T): void => {
      operation(current).then(
        () => { this.after(key, slot, run); },
        () => { this.after(key, slot, run); },
      );
    };
    run(value);
  }

  private after(key: string, slot: { next: T | undefined; hasNext: boolean }, run: (value: T) => void): void {
    if (!slot.hasNext) {
      this.inFlight.delete(key);
      return;
    }
    const next = slot.next as T;
    slot.next = undefined;
    slot.hasNext = false;
    run(next);
  }
}
