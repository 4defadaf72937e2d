/**
 * One call, on a scripted adapter: the fast path that never enters the loop,
 * the loop's counts and draws, each way a call ends (with its reason code), and
 * cancellation and detach during a backoff wait. Waits are 0 ms (`random: () => 0`)
 * or are ended by the test: nothing here depends on the machine's speed.
 */
import { describe, expect, it, jest } from '@jest/globals';
import axios, { CanceledError } from 'axios';
import type * as PRetry from 'p-retry';
import pRetry, { AbortError } from 'p-retry';
import { isObsError, type ObsError } from '../../src/index.js';
import type { ObsPolicyEventName, ObsPolicyEvents } from '../../src/reporting/events.js';
import type { HandleContext } from '../../src/call/handle-context.js';
import { RetryBudget } from '../../src/retry/retry-budget.js';
import { callConfig, handleContext, policyCall, scriptedAdapter } from './fake-adapter.js';
import { rejectionOf } from '../support/harness.js';

jest.mock('p-retry', () => {
  const actual = jest.requireActual<typeof PRetry>('p-retry');
  return { __esModule: true, ...actual, default: jest.fn(actual.default) };
});
const pRetryCalls = jest.mocked(pRetry);

/** Every event of `ctx`, in order, by name. */
function record(ctx: HandleContext): { name: ObsPolicyEventName; payload: unknown }[] {
  const seen: { name: ObsPolicyEventName; payload: unknown }[] = [];
  for (const name of ['retry', 'redirect', 'failFast', 'giveUp', 'clockSkew'] as const) {
    ctx.emitter.on(name, (payload) => {
      seen.push({ name, payload });
    });
  }
  return seen;
}

/** A random source that returns `value` and counts its draws. */
function counting(value: number): { random: () => number; draws: () => number } {
  let draws = 0;
  return {
    random: () => {
      draws++;
      return value;
    },
    draws: () => draws,
  };
}


async function obsRejectionOf(call: Promise<unknown>): Promise<ObsError> {
  const error = await rejectionOf(call);
  if (!isObsError(error)) throw new Error(`expected an ObsError, got ${String(error)}`);
  return error;
}

describe('PolicyCall', () => {
  it('answers a call that succeeds at once without entering the loop', async () => {
    pRetryCalls.mockClear();
    const { base, requests } = scriptedAdapter([{ status: 200 }]);
    const response = await policyCall(handleContext(), base).run();
    expect(response.status).toBe(200);
    expect(requests).toHaveLength(1);
    expect(pRetryCalls).not.toHaveBeenCalled();
  });

  it('retries in one loop: one jitter draw per backoff, retry numbers counted by p-retry', async () => {
    pRetryCalls.mockClear();
    const source = counting(0);
    const ctx = handleContext({ random: source.random });
    const events = record(ctx);
    const { base, requests } = scriptedAdapter([
      { status: 500, code: 'InternalError' },
      { status: 503, code: 'SlowDown' },
      { status: 200 },
    ]);
    const response = await policyCall(ctx, base).run();
    expect(response.status).toBe(200);
    expect(requests).toHaveLength(3);
    expect(pRetryCalls).toHaveBeenCalledTimes(1);
    expect(source.draws()).toBe(2);
    expect(events.map((e) => [e.name, (e.payload as ObsPolicyEvents['retry']).attempt])).toEqual([
      ['retry', 1],
      ['retry', 2],
    ]);
  });

  it('follows a redirect hop without using a retry', async () => {
    const ctx = handleContext({ random: () => 0, retry: { retries: 1 } });
    const events = record(ctx);
    const { base, requests } = scriptedAdapter([
      { status: 307, code: 'TemporaryRedirect', location: 'https://photos.obs.eu-west-101.myhuaweicloud.eu/cat.jpg' },
      { status: 500, code: 'InternalError' },
      { status: 200 },
    ]);
    expect((await policyCall(ctx, base).run()).status).toBe(200);
    expect(requests.map((r) => r.url)).toEqual([
      'https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg',
      'https://photos.obs.eu-west-101.myhuaweicloud.eu/cat.jpg',
      'https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg',
    ]);
    expect(events.map((e) => e.name)).toEqual(['redirect', 'retry']);
  });

  it('fails fast with the reason code on the event, drawing no jitter', async () => {
    const source = counting(0);
    const ctx = handleContext({ random: source.random });
    const events = record(ctx);
    const { base, requests } = scriptedAdapter([{ status: 404, code: 'NoSuchKey' }]);
    const error = await obsRejectionOf(policyCall(ctx, base).run());
    expect([error.obsCode, error.reason, error.attempts]).toEqual(['NoSuchKey', 'policy: fail', 1]);
    expect(events).toEqual([{ name: 'failFast', payload: expect.objectContaining({ reason: 'policy: fail', reasonCode: 'policyFail', error }) }]);
    expect([requests.length, source.draws()]).toEqual([1, 0]);
  });

  it('gives up when the retries are used up: code retriesExhausted, one draw per retry and none for the last failure', async () => {
    const source = counting(0);
    const ctx = handleContext({ random: source.random, retry: { retries: 2 } });
    const events = record(ctx);
    const { base, requests } = scriptedAdapter([
      { status: 500, code: 'InternalError' },
      { status: 500, code: 'InternalError' },
      { status: 500, code: 'InternalError' },
    ]);
    const error = await obsRejectionOf(policyCall(ctx, base).run());
    expect([error.obsCode, error.reason, error.reasonCode, error.attempts]).toEqual(['InternalError', 'retries exhausted (2)', 'retriesExhausted', 3]);
    expect(events.map((e) => e.name)).toEqual(['retry', 'retry', 'giveUp']);
    expect(events[2]?.payload).toEqual(expect.objectContaining({ reasonCode: 'retriesExhausted', reason: 'retries exhausted (2)', attempts: 3 }));
    expect([requests.length, source.draws()]).toEqual([3, 2]);
  });

  it('gives up with budgetExhausted when the budget refuses the tokens decide() saw (another call took them)', async () => {
    /** A budget whose view shows tokens that are gone by the time the call takes them. */
    class TakenMeanwhile extends RetryBudget {
      override take(): boolean {
        return false;
      }
    }
    const plain = handleContext({ random: () => 0 });
    const ctx: HandleContext = { ...plain, budget: new TakenMeanwhile({ capacity: 500, retryCost: 5, timeoutRetryCost: 10, successRefund: 1 }) };
    const events = record(ctx);
    const { base, requests } = scriptedAdapter([{ status: 500, code: 'InternalError' }]);
    const error = await obsRejectionOf(policyCall(ctx, base).run());
    expect([error.reason, error.attempts, requests.length]).toEqual(['retry budget exhausted', 1, 1]);
    expect(events).toEqual([{ name: 'giveUp', payload: expect.objectContaining({ reasonCode: 'budgetExhausted' }) }]);
  });

  it('ends with CanceledError when the call is aborted during the backoff wait, and sends nothing more', async () => {
    const ctx = handleContext({ random: () => 0.5, retry: { minDelayMs: 60_000, maxDelayMs: 120_000 } });
    const controller = new AbortController();
    ctx.emitter.on('retry', () => {
      controller.abort();
    });
    const { base, requests } = scriptedAdapter([{ status: 500, code: 'InternalError' }]);
    const error = await rejectionOf(policyCall(ctx, base, callConfig({ signal: controller.signal })).run());
    expect(error).toBeInstanceOf(CanceledError);
    expect(requests).toHaveLength(1);
    expect(ctx.pendingWaits.size).toBe(0);
  });

  it('ends with CanceledError when a cancel token fires during the backoff wait', async () => {
    const ctx = handleContext({ random: () => 0.5, retry: { minDelayMs: 60_000, maxDelayMs: 120_000 } });
    const source = axios.CancelToken.source();
    ctx.emitter.on('retry', () => {
      source.cancel('stop');
    });
    const { base, requests } = scriptedAdapter([{ status: 500, code: 'InternalError' }]);
    const error = await rejectionOf(policyCall(ctx, base, callConfig({ cancelToken: source.token })).run());
    expect(axios.isCancel(error)).toBe(true);
    expect([requests.length, ctx.pendingWaits.size]).toEqual([1, 0]);
  });

  it('gives up with detached when the handle is detached during the backoff wait', async () => {
    const ctx = handleContext({ random: () => 0.5, retry: { minDelayMs: 60_000, maxDelayMs: 120_000 } });
    const events = record(ctx);
    ctx.emitter.on('retry', () => {
      // What detach() does to the calls in flight: the giveUp must be reported before the listeners go.
      queueMicrotask(() => {
        ctx.detached = true;
        ctx.pendingWaits.cancelAll();
        ctx.emitter.clear();
      });
    });
    const { base, requests } = scriptedAdapter([{ status: 503, code: 'SlowDown' }]);
    const error = await obsRejectionOf(policyCall(ctx, base).run());
    expect([error.obsCode, error.reason, error.attempts, requests.length]).toEqual(['SlowDown', 'detached', 1, 1]);
    expect(events.map((e) => [e.name, (e.payload as { reasonCode?: string }).reasonCode])).toEqual([
      ['retry', undefined],
      ['giveUp', 'detached'],
    ]);
  });

  it("hands back what a sign hook throws on a retry as it is: a thrown string, or p-retry's own AbortError", async () => {
    for (const thrown of ['not an Error', new AbortError('from the hook')]) {
      const ctx = handleContext({
        random: () => 0,
        sign: (config, context) => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- a hook that throws a non-Error is what this tests
          if (context.requestNumber === 2) throw thrown;
          return config;
        },
      });
      const { base, requests } = scriptedAdapter([{ status: 500, code: 'InternalError' }]);
      expect(await rejectionOf(policyCall(ctx, base).run())).toBe(thrown);
      expect(requests).toHaveLength(1);
    }
  });

  it("hands back the adapter's own cancel error untouched from the first request", async () => {
    const canceled = new CanceledError('canceled by the adapter');
    const { base } = scriptedAdapter([{ reject: canceled }]);
    expect(await rejectionOf(policyCall(handleContext(), base).run())).toBe(canceled);
  });
});
