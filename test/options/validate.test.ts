import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_TIMER_DELAY_MS, validateHandleOptions, validateRequestOptions } from '../../src/options/validate.js';

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

/** Every option that becomes (or bounds) a timer's delay: its path, where it is allowed, and whether 0 is allowed. */
const DURATIONS: { path: string[]; perRequest: boolean; zero: boolean }[] = [
  { path: ['retry', 'minDelayMs'], perRequest: true, zero: true },
  { path: ['retry', 'maxDelayMs'], perRequest: true, zero: true },
  { path: ['retry', 'maxElapsedMs'], perRequest: true, zero: false },
  { path: ['policies', 'SlowDown', 'minDelayMs'], perRequest: true, zero: true },
  { path: ['policies', 'SlowDown', 'maxDelayMs'], perRequest: true, zero: true },
  { path: ['breaker', 'resetTimeoutMs'], perRequest: false, zero: false },
  { path: ['breaker', 'rollingWindowMs'], perRequest: false, zero: false },
  { path: ['throttle', 'windowMs'], perRequest: false, zero: false },
];

/** Options holding `value` at `path` (a policy entry gets its action). */
function optionsWith(path: readonly string[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) node[key] = value;
    else {
      const child: Record<string, unknown> = path[0] === 'policies' && i === 1 ? { action: 'retry' } : {};
      node[key] = child;
      node = child;
    }
  });
  return root;
}

/** The validation error for `value` at `path`, or `undefined` when it is accepted; on the handle and, where allowed, per request. */
function verdicts(duration: (typeof DURATIONS)[number], value: unknown): (string | undefined)[] {
  const run = (validate: (options: unknown) => void): string | undefined => {
    try {
      validate(optionsWith(duration.path, value));
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      return (error as Error).message;
    }
  };
  return [run(validateHandleOptions), ...(duration.perRequest ? [run(validateRequestOptions)] : [])];
}

describe('durations and the timer limit', () => {
  it('the limit is 2³¹−1 ms', () => {
    expect(MAX_TIMER_DELAY_MS).toBe(2_147_483_647);
  });

  it('every duration option accepts values up to 2³¹−1 and refuses anything above it, naming the option and the limit', () => {
    const justAbove = fc.oneof(fc.constant(2 ** 31), fc.constant(MAX_TIMER_DELAY_MS + 0.5), fc.double({ min: 2 ** 31, max: 1e300, noNaN: true }), fc.constant(Number.MAX_VALUE));
    const upTo = fc.oneof(fc.constant(MAX_TIMER_DELAY_MS), fc.constant(MAX_TIMER_DELAY_MS - 0.5), fc.integer({ min: 1, max: MAX_TIMER_DELAY_MS }), fc.double({ min: 1, max: MAX_TIMER_DELAY_MS, noNaN: true }));
    fc.assert(
      fc.property(fc.constantFrom(...DURATIONS), upTo, justAbove, (duration, accepted, refused) => {
        expect(verdicts(duration, accepted).every((v) => v === undefined)).toBe(true);
        for (const message of verdicts(duration, refused)) {
          expect(message).toMatch(new RegExp(`^obs-axios-policies: option "(options|obs)\\.${duration.path.join('\\.')}" must be a duration in ms`));
          expect(message).toContain('2147483647');
        }
      }),
      { numRuns: 400 },
    );
  });

  it.each(DURATIONS.map((duration) => ({ ...duration, name: duration.path.join('.') })))('$name refuses Infinity, NaN, -1 and non-numbers, and takes 0 only where 0 is a setting', (duration) => {
    for (const value of [Infinity, -Infinity, Number.NaN, -1, '100', null]) {
      expect(verdicts(duration, value).every((v) => v !== undefined)).toBe(true);
    }
    expect(verdicts(duration, 0).every((v) => v === undefined)).toBe(duration.zero);
  });
});
