/**
 * A fake clock for the policies (and the local OBS server, which reads the same
 * `Date`) while sockets keep running for real: jest fakes `setTimeout`,
 * `setInterval` and `Date`, and leaves `setImmediate`, `nextTick`,
 * `queueMicrotask`, `hrtime` and `performance` real, so requests travel as
 * usual and a test moves time only by what it advances. Call
 * `jest.useRealTimers()` after each test.
 */
import { jest } from '@jest/globals';

/** Fakes the policies' (and the server's) clock and timers; sockets and `setImmediate` stay real. */
export function fakeClock(): void {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'] });
}

/**
 * Lets real I/O run (the fake clock standing still) until `condition()` holds.
 * @param boundMs real-time bound of the wait: a hang guard, not a speed assertion
 * @throws Error naming `what` when the bound passes first
 */
export async function ioUntil(condition: () => boolean, what: string, boundMs: number): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > boundMs) throw new Error(`${what}: not reached while the clock stood still`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
