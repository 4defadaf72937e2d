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
  it.each([
    [100, 8],
    [500, 8],
    [500, 32],
    [500, 128],
    [2000, 32],
    [2000, 128],
  ])('limit %i req/s, %i in flight: converges on the limit and wastes fewer requests than unpaced', async (ratePerSec, inFlight) => {
    const calls = ratePerSec * 6;
    const paced = await simulate({ ...base, ratePerSec, inFlight, calls });
    const unpaced = await simulate({ ...base, ratePerSec, inFlight, calls, paced: false });
    const ideal = (calls / ratePerSec) * 1000;
    // Virtual time and seeded randomness: these are exact, not timing-dependent.
    expect(paced.elapsedMs / ideal).toBeLessThanOrEqual(1.12);
    expect(paced.requests / calls).toBeLessThanOrEqual(Math.min(1.11, unpaced.requests / calls));
    expect(paced.failed).toBeLessThanOrEqual(unpaced.failed);
    const learned = paced.rateChanges.filter((c) => c.cause === 'throttled').map((c) => c.ratePerSec ?? 0);
    expect(learned.at(-1)).toBeGreaterThan(ratePerSec * 0.9);
    expect(learned.at(-1)).toBeLessThan(ratePerSec * 1.15);
  });
});

describe('random shedding is not a rate limit', () => {
  it('10 % SlowDown at any rate: the pace never collapses and the run is not slowed down much', async () => {
    const scenario: Scenario = { ...base, ratePerSec: Number.POSITIVE_INFINITY, burst: Number.POSITIVE_INFINITY, noise: 0.1, inFlight: 16, calls: 4000 };
    const paced = await simulate(scenario);
    const unpaced = await simulate({ ...scenario, paced: false });
    expect(paced.rateChanges.some((c) => c.cause === 'noise')).toBe(true);
    // AWS's adaptive mode shrinks its rate at every random SlowDown; here the lowest pace stays near the first cut.
    const lowest = Math.min(...paced.rateChanges.map((c) => c.ratePerSec ?? Number.POSITIVE_INFINITY));
    const first = paced.rateChanges[0]?.ratePerSec ?? 0;
    expect(lowest).toBeGreaterThan(first * 0.3);
    expect(paced.elapsedMs / unpaced.elapsedMs).toBeLessThan(1.2);
    expect(paced.failed).toBeLessThanOrEqual(unpaced.failed + 1);
  });
});
