import { describe, expect, it } from '@jest/globals';
import { makeFault, type ObsFault } from '../../src/classify/fault.js';
import { checkRetry, type RetryDecisionInput } from '../../src/decide/retry-check.js';
import { resolvePolicy } from '../../src/policy/resolve-policy.js';

function fault(code: string, kind: ObsFault['kind'], status: number | undefined): ObsFault {
  return makeFault(kind, code, { status });
}

function input(over: Partial<RetryDecisionInput> & Pick<RetryDecisionInput, 'fault'>): RetryDecisionInput {
  return {
    policy: resolvePolicy(over.fault.code, over.fault.status, {}),
    method: 'GET',
    unreplayableBody: undefined,
    retriesUsed: 0,
    elapsedMs: 0,
    maxElapsedMs: undefined,
    breakerOpen: false,
    random: () => 0.5,
    ...over,
  };
}

describe('checkRetry', () => {
  it('retries an idempotent GET after InternalError with a jittered delay', () => {
    expect(checkRetry(input({ fault: fault('InternalError', 'server', 500) }))).toEqual({ retry: true, delayMs: 50 });
  });

  it('never replays a POST after a 500 or a dropped connection', () => {
    for (const f of [fault('InternalError', 'server', 500), fault('NetworkError', 'network', undefined), fault('Timeout', 'timeout', undefined)]) {
      expect(checkRetry(input({ fault: f, method: 'POST' }))).toEqual({ retry: false, code: 'notReplayable', reason: `not replayable: POST may have been processed (${f.code})` });
    }
  });

  it('replays a POST after throttling and request timeouts (the server did not process it)', () => {
    for (const f of [fault('SlowDown', 'throttled', 503), fault('TooManyRequests', 'throttled', 429), fault('RequestTimeout', 'transient', 408)]) {
      expect(checkRetry(input({ fault: f, method: 'POST' })).retry).toBe(true);
    }
  });

  it('refuses to re-send a stream body', () => {
    expect(checkRetry(input({ fault: fault('SlowDown', 'throttled', 503), unreplayableBody: 'request body is a stream' }))).toEqual({
      retry: false,
      code: 'notReplayable',
      reason: 'not replayable: request body is a stream',
    });
  });

  it('stops when the per-code retries are used up', () => {
    const decision = checkRetry(input({ fault: fault('SlowDown', 'throttled', 503), retriesUsed: 3 }));
    expect(decision).toEqual({ retry: false, code: 'retriesExhausted', reason: 'retries exhausted (3)' });
  });

  it('stops when the breaker of the endpoint is open', () => {
    const decision = checkRetry(input({ fault: fault('InternalError', 'server', 500), breakerOpen: true }));
    expect(decision).toEqual({ retry: false, code: 'circuitOpen', reason: 'circuit open: the endpoint breaker opened during retries' });
  });

  it('stops instead of waiting past maxElapsedMs', () => {
    const decision = checkRetry(input({ fault: fault('SlowDown', 'throttled', 503), elapsedMs: 900, maxElapsedMs: 1000 }));
    expect(decision).toEqual({ retry: false, code: 'deadline', reason: expect.stringMatching(/^maxElapsedMs \(1000\) would be exceeded by a \d+ ms wait$/) });
  });
});
