/**
 * retryLoop, the p-retry adapter: it counts only the attempts that use a retry,
 * never waits itself, stops between attempts when its signal aborts, and ends
 * with what an attempt or `onFailure` threw, untouched.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { AbortError } from 'p-retry';
import { AttemptFailure, retryLoop } from '../../src/retry/retry-loop.js';

/** Each attempt fails with the next label, until they run out and it resolves 'done'. */
function failing(labels: string[]): { attempt: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    attempt: () => {
      calls++;
      const label = labels.shift();
      return label === undefined ? Promise.resolve('done') : Promise.reject(new AttemptFailure(label));
    },
    calls: () => calls,
  };
}

describe('retryLoop', () => {
  it("passes p-retry's count of used retries: an attempt that uses none (a hop, a re-sign) is not counted", async () => {
    const { attempt } = failing(['hop', 'retry', 'retry', 'hop']);
    const seen: [string, number][] = [];
    const result = await retryLoop<string, string>({
      attempt,
      onFailure: (detail, retriesUsed) => {
        seen.push([detail, retriesUsed]);
        return detail === 'retry';
      },
      signal: new AbortController().signal,
    });
    expect(result).toBe('done');
    expect(seen).toEqual([
      ['hop', 0],
      ['retry', 0],
      ['retry', 1],
      ['hop', 2],
    ]);
  });

  it('sets no timer between attempts: the wait is the caller’s', async () => {
    jest.useFakeTimers();
    try {
      const { attempt, calls } = failing(['retry', 'retry', 'retry']);
      await expect(retryLoop<string, string>({ attempt, onFailure: () => true, signal: new AbortController().signal })).resolves.toBe('done');
      expect([calls(), jest.getTimerCount()]).toEqual([4, 0]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ends with what onFailure throws, and with the signal’s reason when it aborts between attempts', async () => {
    const ending = new Error('the call ends here');
    const first = failing(['retry']);
    await expect(retryLoop<string, string>({ attempt: first.attempt, onFailure: () => { throw ending; }, signal: new AbortController().signal })).rejects.toBe(ending);
    const controller = new AbortController();
    const cancelled = new Error('cancelled');
    const second = failing(['retry', 'retry']);
    const loop = retryLoop<string, string>({
      attempt: second.attempt,
      onFailure: () => {
        controller.abort(cancelled);
        return true;
      },
      signal: controller.signal,
    });
    await expect(loop).rejects.toBe(cancelled);
    expect(second.calls()).toBe(1);
  });

  it("hands back an attempt's own throw untouched: a non-Error, p-retry's AbortError, a TypeError", async () => {
    for (const thrown of ['a string', new AbortError('mine'), new TypeError('a bug')]) {
      const onFailure = jest.fn(() => true);
      await expect(retryLoop<string, string>({ attempt: () => Promise.reject(thrown as Error), onFailure, signal: new AbortController().signal })).rejects.toBe(thrown);
      expect(onFailure).not.toHaveBeenCalled();
    }
  });
});
