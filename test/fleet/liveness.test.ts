/**
 * How long a reporting process counts as live (`liveMsOf`): at least eight
 * pace windows, and at least three of the intervals its next report needs at
 * its pace.
 */
import { describe, expect, it } from '@jest/globals';
import { LIVE_ANSWERS, liveMsOf } from '../../src/fleet/liveness.js';
import { FLEET_REPORT_MIN } from '../../src/throttle/endpoint-pacer.js';

describe('liveMsOf', () => {
  it('is eight windows for an unpaced or fast process', () => {
    expect(liveMsOf(250, null)).toBe(2000);
    expect(liveMsOf(250, 500)).toBe(2000);
  });

  it('covers three reports at a low pace (20 answers each)', () => {
    // 30 req/s: a report every 667 ms.
    expect(liveMsOf(250, 30)).toBe(2000);
    // 5 req/s: a report every 4 s.
    expect(liveMsOf(250, 5)).toBe(12_000);
    expect(LIVE_ANSWERS).toBe(3 * FLEET_REPORT_MIN);
  });

  it('never past what a timer (and a Redis expiry the store checks against it) can hold', () => {
    expect(liveMsOf(2 ** 31 - 1, null)).toBe(2 ** 31 - 1);
    expect(liveMsOf(250, 1e-9)).toBe(2 ** 31 - 1);
  });
});
