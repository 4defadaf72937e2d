import { describe, expect, it } from '@jest/globals';
import { validateHandleOptions, validateRequestOptions } from '../../src/options/validate.js';

describe('option validation', () => {
  it('accepts the documented options', () => {
    expect(() => {
      validateHandleOptions({
        retry: { retries: 3, minDelayMs: 100, maxDelayMs: 20_000, factor: 2, maxElapsedMs: 60_000, throttleMultiplier: 4 },
        breaker: { errorThresholdPercentage: 50, volumeThreshold: 10, resetTimeoutMs: 30_000, rollingWindowMs: 10_000, maxEndpoints: 100 },
        redirect: { maxRedirects: 3, allowHosts: ['.example.com', /^x$/], cacheSize: 10 },
        policies: { SlowDown: 'retry', InternalError: { action: 'circuit', retries: 1 } },
        sign: (c: unknown) => c,
        retryBudget: { capacity: 10 },
        random: Math.random,
      });
      validateHandleOptions({ breaker: false, retryBudget: false });
    }).not.toThrow();
  });

  it.each([
    [{ retyr: {} }, /unknown option "options.retyr"/],
    [{ retry: { retires: 1 } }, /unknown option "options.retry.retires"/],
    [{ retry: { retries: -1 } }, /"options.retry.retries" must be a non-negative integer/],
    [{ retry: { factor: 0.5 } }, /"options.retry.factor" must be a finite number ≥ 1/],
    [{ breaker: { errorThresholdPercentage: 150 } }, /from 0 to 100/],
    [{ policies: { SlowDown: 'retrry' } }, /"options.policies.SlowDown" must be one of/],
    [{ policies: { SlowDown: { retries: 1 } } }, /"options.policies.SlowDown.action" must be an action/],
    [{ redirect: { allowHosts: 'obs.example' } }, /must be an array/],
    [{ sign: 'yes' }, /must be a function/],
  ])('rejects %j with a clear message', (options, message) => {
    expect(() => {
      validateHandleOptions(options);
    }).toThrow(message);
  });

  it('rejects breaker and retryBudget per request', () => {
    expect(() => {
      validateRequestOptions({ breaker: false });
    }).toThrow(/unknown option "obs.breaker"/);
    expect(() => {
      validateRequestOptions(false);
    }).not.toThrow();
  });
});
