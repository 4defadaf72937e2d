/**
 * Pacing against simulated throttling servers (fake clock, seeded): across
 * limits of 100–2,000 req/s and 8–128 callers it converges on the limit with
 * fewer wasted requests than bouncing off it, and random shedding (10 %
 * SlowDown whatever the rate) never shrinks the pace.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { simulate, type Scenario } from './pace-simulation.js';

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

const base: Omit<Scenario, 'ratePerSec' | 'inFlight' | 'calls'> = { burst: 50, noise: 0, latencyMs: 2, paced: true };

describe('pacing a rate-limited endpoint', () => {
  // The last column bounds requests per call: at 100 req/s with 8 callers a window needs over 250 ms
  // to gather its 30 answers, so the first overshoot lasts longer (still no worse than unpaced). Slots
  // released in pairs (RELEASE_BATCH) add under 1 % here: 1.154 and 1.111 against 1.146 and 1.107 one
  // slot per wake.
  it.each([
    [100, 8, 1.35, false],
    [100, 32, 1.16, true],
    [500, 8, 1.11, true],
    [500, 32, 1.11, true],
    [500, 128, 1.12, true],
    [2000, 32, 1.11, true],
    [2000, 128, 1.11, true],
  ])('limit %i req/s, %i in flight: wastes fewer requests than unpaced (bound %f), converges: %s', async (ratePerSec, inFlight, maxAmplification, converges) => {
    // At least 12 s of work: at 100 req/s a window needs ~300 ms to gather its answers, so convergence takes longer.
    const calls = Math.max(ratePerSec * 6, 1200);
    const paced = await simulate({ ...base, ratePerSec, inFlight, calls });
    const unpaced = await simulate({ ...base, ratePerSec, inFlight, calls, paced: false });
    const ideal = (calls / ratePerSec) * 1000;
    // Virtual time and seeded randomness: these are exact, not timing-dependent.
    expect(paced.elapsedMs / ideal).toBeLessThanOrEqual(1.12);
    expect(paced.requests / calls).toBeLessThanOrEqual(Math.min(maxAmplification, unpaced.requests / calls));
    expect(paced.failed).toBeLessThanOrEqual(unpaced.failed);
    // The pace oscillates around the limit (cut to the goodput, grow back): its last values average near it.
    // At 100 req/s with 8 callers, demand hardly exceeds the limit once callers back off: the pace
    // stops binding and is dropped, and the run is only held to "no worse than unpaced" above.
    if (!converges) return;
    const last = paced.rateChanges.slice(-6).map((c) => c.ratePerSec ?? Number.NaN);
    const mean = last.reduce((sum, rate) => sum + rate, 0) / last.length;
    expect(mean).toBeGreaterThan(ratePerSec * 0.8);
    expect(mean).toBeLessThan(ratePerSec * 1.2);
  });
});

describe('random shedding is not a rate limit', () => {
  it('10 % SlowDown at any rate: the pace never collapses and the run is not slowed down much (five seeds)', async () => {
    const scenario: Scenario = { ...base, ratePerSec: Number.POSITIVE_INFINITY, burst: Number.POSITIVE_INFINITY, noise: 0.1, inFlight: 16, calls: 4000 };
    const slowdowns: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const paced = await simulate(scenario, seed);
      const unpaced = await simulate({ ...scenario, paced: false }, seed);
      expect(paced.rateChanges.some((c) => c.cause === 'noise')).toBe(true);
      // AWS's adaptive mode shrinks its rate at every random SlowDown; here the lowest pace stays near the first cut.
      const lowest = Math.min(...paced.rateChanges.map((c) => c.ratePerSec ?? Number.POSITIVE_INFINITY));
      const first = paced.rateChanges[0]?.ratePerSec ?? 0;
      expect(lowest).toBeGreaterThan(first * 0.3);
      expect(paced.failed).toBeLessThanOrEqual(unpaced.failed + 1);
      slowdowns.push(paced.elapsedMs / unpaced.elapsedMs);
    }
    // Where the first cut falls decides one run (0.81–1.25× over these seeds); no seed's luck decides the verdict.
    expect(Math.max(...slowdowns)).toBeLessThan(1.3);
    expect(slowdowns.reduce((sum, value) => sum + value, 0) / slowdowns.length).toBeLessThan(1.1);
  });
});
