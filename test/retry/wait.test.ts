/**
 * abortableWait and PendingWaits on jest's fake timers: when a wait ends, with
 * which error, and that it leaves no timer, no pending entry and no abort
 * listener behind.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { abortableWait, PendingWaits } from '../../src/retry/wait.js';
import { watchedSignal } from '../support/signals.js';

/** Settles a promise into a flag the test can read at any moment, without awaiting it. */
function track(promise: Promise<void>): { state: () => 'pending' | 'resolved' | 'rejected'; error: () => unknown } {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  let error: unknown;
  promise.then(
    () => {
      state = 'resolved';
    },
    (reason: unknown) => {
      state = 'rejected';
      error = reason;
    },
  );
  return { state: () => state, error: () => error };
}

const ABORTED = new Error('aborted by the caller');
const CANCELLED = new Error('cancelled by detach');

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('abortableWait', () => {
  it('rejects at once with the abort error when the signal is already aborted: no timer, no pending wait, no listener', async () => {
    const pending = new PendingWaits();
    const { controller, signal, listeners } = watchedSignal();
    controller.abort();
    const onAbort = jest.fn(() => ABORTED);
    const onCancel = jest.fn(() => CANCELLED);
    const wait = abortableWait(60_000, signal, pending, onAbort, onCancel);
    // Nothing was set up to end it later...
    expect([jest.getTimerCount(), pending.size, listeners()]).toEqual([0, 0, 0]);
    // ...and it has already ended: no timer needs to run for the rejection.
    await expect(wait).rejects.toBe(ABORTED);
    expect(onAbort).toHaveBeenCalledTimes(1);
    expect(onCancel).not.toHaveBeenCalled();
  });

  it('rejects at once with the cancel error when the handle has already cancelled its waits', async () => {
    const pending = new PendingWaits();
    pending.cancelAll();
    const { signal, listeners } = watchedSignal();
    const onAbort = jest.fn(() => ABORTED);
    const wait = abortableWait(60_000, signal, pending, onAbort, () => CANCELLED);
    expect([jest.getTimerCount(), pending.size, listeners()]).toEqual([0, 0, 0]);
    await expect(wait).rejects.toBe(CANCELLED);
    expect(onAbort).not.toHaveBeenCalled();
  });

  it('resolves after ms, not before, and leaves nothing behind', async () => {
    const pending = new PendingWaits();
    const { signal, listeners } = watchedSignal();
    const wait = abortableWait(1000, signal, pending, () => ABORTED, () => CANCELLED);
    const seen = track(wait);
    expect([jest.getTimerCount(), pending.size, listeners()]).toEqual([1, 1, 1]);
    await jest.advanceTimersByTimeAsync(999);
    expect(seen.state()).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(seen.state()).toBe('resolved');
    expect([jest.getTimerCount(), pending.size, listeners()]).toEqual([0, 0, 0]);
  });

  it('rejects with the abort error when the signal aborts during the wait, clearing its timer and pending entry', async () => {
    const pending = new PendingWaits();
    const { controller, signal, listeners } = watchedSignal();
    const seen = track(abortableWait(60_000, signal, pending, () => ABORTED, () => CANCELLED));
    await jest.advanceTimersByTimeAsync(10);
    controller.abort();
    await Promise.resolve();
    expect([seen.state(), seen.error()]).toEqual(['rejected', ABORTED]);
    expect([jest.getTimerCount(), pending.size, listeners()]).toEqual([0, 0, 0]);
  });

  it('ends every pending wait with its own cancel error on cancelAll, and every later wait at once', async () => {
    const pending = new PendingWaits();
    const { signal, listeners } = watchedSignal();
    const first = new Error('first cancelled');
    const second = new Error('second cancelled');
    const waits = [track(abortableWait(60_000, signal, pending, () => ABORTED, () => first)), track(abortableWait(30_000, undefined, pending, () => ABORTED, () => second))];
    expect([jest.getTimerCount(), pending.size, listeners()]).toEqual([2, 2, 1]);
    pending.cancelAll();
    await Promise.resolve();
    expect(waits.map((wait) => [wait.state(), wait.error()])).toEqual([
      ['rejected', first],
      ['rejected', second],
    ]);
    expect([pending.isCancelled, jest.getTimerCount(), pending.size, listeners()]).toEqual([true, 0, 0, 0]);
    await expect(abortableWait(10, undefined, pending, () => ABORTED, () => CANCELLED)).rejects.toBe(CANCELLED);
  });
});
