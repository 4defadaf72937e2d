/**
 * Waiting in tests: a plain sleep and a condition poll. No jest import, so
 * programs outside jest (the large soak, `npm run soak`) use it too. Prefer
 * waiting for an event (`nextEvent` in the harness) or a scripted server step
 * over polling; poll only for state nothing announces (the server's records).
 */

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How {@link until} polls. */
export interface UntilOptions {
  /** Give up (reject) after this long. @default 5000 */
  timeoutMs?: number;
  /** Time between two checks. @default 5 */
  intervalMs?: number;
  /** What is awaited, for the error message. */
  what?: string;
}

/**
 * Resolves once `condition()` holds, checking at once and then every `intervalMs`.
 * @throws Error naming `what` when it does not hold within `timeoutMs`
 */
export async function until(condition: () => boolean, options: UntilOptions = {}): Promise<void> {
  const { timeoutMs = 5000, intervalMs = 5, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
