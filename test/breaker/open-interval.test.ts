/**
 * OpenInterval and jitteredWait, pure: the wait of an open breaker starts at
 * `firstResetTimeoutMs`, doubles while probes fail, stops at `resetTimeoutMs`,
 * and starts again when the breaker closes; the jitter only ever shortens it,
 * by at most a fifth.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jitteredWait, OpenInterval } from '../../src/breaker/open-interval.js';
import { DEFAULTS } from '../../src/options/defaults.js';

/** The waits of `count` spells in a row whose probes all fail. */
function waits(interval: OpenInterval, count: number): number[] {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) {
    seen.push(interval.current);
    interval.grow();
  }
  return seen;
}

describe('OpenInterval', () => {
  it('from 1 s, capped at 30 s: 1, 2, 4, 8, 16, 30, 30 s; probes at 1, 3, 7, 15, 31, 61 s: five in a 60 s outage', () => {
    const interval = new OpenInterval(1000, 30_000);
    const spells = waits(interval, 7);
    expect(spells).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    const probeTimes = spells.map((_, i) => spells.slice(0, i + 1).reduce((a, b) => a + b, 0));
    expect(probeTimes).toEqual([1000, 3000, 7000, 15_000, 31_000, 61_000, 91_000]);
    expect(probeTimes.filter((t) => t <= 60_000)).toHaveLength(5);
  });

  it('with the defaults (1.25 s, capped at 30 s): probes at 1.25, 3.75, 8.75, 18.75, 38.75, 68.75 s; the second wait is at most 2.5 s', () => {
    const interval = new OpenInterval(DEFAULTS.breaker.firstResetTimeoutMs, DEFAULTS.breaker.resetTimeoutMs);
    const spells = waits(interval, 6);
    expect(spells).toEqual([1250, 2500, 5000, 10_000, 20_000, 30_000]);
    const probeTimes = spells.map((_, i) => spells.slice(0, i + 1).reduce((a, b) => a + b, 0));
    expect(probeTimes).toEqual([1250, 3750, 8750, 18_750, 38_750, 68_750]);
    expect(probeTimes.filter((t) => t <= 60_000)).toHaveLength(5);
  });

  it('reset starts again from the first wait', () => {
    const interval = new OpenInterval(1000, 30_000);
    waits(interval, 4);
    expect(interval.current).toBe(16_000);
    interval.reset();
    expect(interval.current).toBe(1000);
  });

  it('a first wait above the cap is the cap (a fixed wait)', () => {
    const interval = new OpenInterval(1000, 50);
    expect(interval.firstMs).toBe(50);
    expect(waits(interval, 3)).toEqual([50, 50, 50]);
  });

  it('restore keeps a learned wait within first–max', () => {
    const interval = new OpenInterval(1000, 30_000);
    interval.restore(8000);
    expect(interval.current).toBe(8000);
    interval.restore(1);
    expect(interval.current).toBe(1000);
    interval.restore(10 ** 12);
    expect(interval.current).toBe(30_000);
  });
});

describe('jitteredWait', () => {
  it('shortens a wait by up to a fifth: random 0 keeps it, 0.5 takes a tenth, near 1 almost a fifth', () => {
    expect(jitteredWait(1000, () => 0)).toBe(1000);
    expect(jitteredWait(1000, () => 0.5)).toBe(900);
    expect(jitteredWait(1000, () => 0.999_999)).toBe(800);
  });

  it('never goes above the interval nor below four fifths of it, nor below 1 ms, whatever the source gives (NaN, out of range, throws)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.oneof(fc.double(), fc.constant('throws' as const)), (intervalMs, draw) => {
        const random = (): number => {
          if (draw === 'throws') throw new Error('no randomness today');
          return draw;
        };
        const wait = jitteredWait(intervalMs, random);
        expect(wait).toBeLessThanOrEqual(intervalMs);
        expect(wait).toBeGreaterThanOrEqual(Math.max(1, Math.floor(intervalMs * 0.8)));
      }),
    );
  });
});
