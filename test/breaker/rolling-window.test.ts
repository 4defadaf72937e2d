/**
 * RollingWindow: the closed breaker's percentage rule, counted from
 * timestamps. Checked against a plain list of timestamped outcomes (the
 * oracle) on generated histories, and on the edges: volume, the threshold
 * itself, buckets that age out, reset.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RollingWindow } from '../../src/breaker/rolling-window.js';

const WINDOW = 10_000;
const BUCKETS = 10;

describe('RollingWindow', () => {
  it('opens only with volumeThreshold outcomes and more than the percentage failed', () => {
    const window = new RollingWindow(WINDOW, BUCKETS, 10, 50);
    for (let i = 0; i < 5; i++) window.success(1_000);
    for (let i = 0; i < 4; i++) expect(window.failure(1_000)).toBe(false); // 9 outcomes: below the volume
    expect(window.failure(1_000)).toBe(false); // 10 outcomes, 50 %: not above it
    expect(window.failure(1_000)).toBe(true); // 11 outcomes, 6 failed: 54.5 %
  });

  it('forgets outcomes older than the window, and everything on reset', () => {
    const window = new RollingWindow(WINDOW, BUCKETS, 2, 50);
    window.failure(0);
    expect(window.failure(WINDOW + 1_000)).toBe(false); // the first failure aged out: 1 outcome
    expect(window.failure(WINDOW + 1_000)).toBe(true);
    window.reset();
    expect(window.failure(WINDOW + 1_000)).toBe(false);
  });

  it('agrees with a list of timestamped outcomes on generated histories (bucket granularity aside)', () => {
    const bucketMs = WINDOW / BUCKETS;
    fc.assert(
      fc.property(
        fc.array(fc.record({ gapBuckets: fc.integer({ min: 0, max: 4 }), failed: fc.boolean() }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 100 }),
        (history, volume, percentage) => {
          const window = new RollingWindow(WINDOW, BUCKETS, volume, percentage);
          const seen: { bucket: number; failed: boolean }[] = [];
          let bucket = 0;
          for (const { gapBuckets, failed } of history) {
            bucket += gapBuckets;
            const now = bucket * bucketMs + bucketMs / 2;
            seen.push({ bucket, failed });
            if (!failed) {
              window.success(now);
              continue;
            }
            const live = seen.filter((o) => o.bucket > bucket - BUCKETS);
            const failures = live.filter((o) => o.failed).length;
            const expected = live.length >= volume && (failures / live.length) * 100 > percentage;
            expect(window.failure(now)).toBe(expected);
          }
        },
      ),
      { seed: 20261207, numRuns: 300 },
    );
  });
});
