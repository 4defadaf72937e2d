import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_TIMER_DELAY_MS } from '../../src/options/validate.js';
import { backoffCeiling, backoffDelay } from '../../src/decide/backoff.js';
import { RETRY_DEFAULTS } from '../../src/policy/resolve-policy.js';

const knobs = { ...RETRY_DEFAULTS, minDelayMs: 100, maxDelayMs: 1000, factor: 2, throttleMultiplier: 4 };

describe('backoff (full jitter)', () => {
  it('grows the ceiling exponentially from minDelayMs and caps it at maxDelayMs', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffCeiling(n, knobs, false))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('starts throttling outcomes from minDelayMs × throttleMultiplier, still capped', () => {
    expect([1, 2, 3].map((n) => backoffCeiling(n, knobs, true))).toEqual([400, 800, 1000]);
  });

  it('draws the wait uniformly in [0, ceiling]', () => {
    expect(backoffDelay({ retry: 3, knobs, throttled: false, retryAfterMs: undefined, random: () => 0 })).toBe(0);
    expect(backoffDelay({ retry: 3, knobs, throttled: false, retryAfterMs: undefined, random: () => 0.5 })).toBe(200);
    expect(backoffDelay({ retry: 3, knobs, throttled: false, retryAfterMs: undefined, random: () => 0.999999 })).toBe(400);
  });

  it('raises the wait to Retry-After but never above maxDelayMs', () => {
    expect(backoffDelay({ retry: 1, knobs, throttled: false, retryAfterMs: 700, random: () => 0 })).toBe(700);
    expect(backoffDelay({ retry: 1, knobs, throttled: false, retryAfterMs: 5000, random: () => 0 })).toBe(1000);
  });

  it('survives a broken random source and an overflowing exponent', () => {
    expect(backoffDelay({ retry: 1, knobs, throttled: false, retryAfterMs: undefined, random: () => Number.NaN })).toBe(50);
    expect(backoffCeiling(10_000, knobs, false)).toBe(1000);
  });

  it('never waits more than maxDelayMs, so never past what a timer can hold, whatever the Retry-After', () => {
    // Knobs as validation admits them; Retry-After as the parser returns it (0 to a day).
    const duration = fc.oneof(fc.constant(MAX_TIMER_DELAY_MS), fc.double({ min: 0, max: MAX_TIMER_DELAY_MS, noNaN: true }), fc.nat({ max: 100_000 }));
    fc.assert(
      fc.property(
        fc.record({ retries: fc.nat(), minDelayMs: duration, maxDelayMs: duration, factor: fc.double({ min: 1, max: 1e6, noNaN: true }), throttleMultiplier: fc.double({ min: 1, max: 1e6, noNaN: true }) }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.boolean(),
        fc.option(fc.nat({ max: 86_400_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (randomKnobs, retry, throttled, retryAfterMs, r) => {
          const delay = backoffDelay({ retry, knobs: randomKnobs, throttled, retryAfterMs, random: () => r });
          expect(delay >= 0 && delay <= randomKnobs.maxDelayMs && delay <= MAX_TIMER_DELAY_MS).toBe(true);
        },
      ),
    );
  });
});
