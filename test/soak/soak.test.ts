/**
 * The chaos soak at CI size. Its invariants hold at any machine speed: the oracle's timer
 * allowance grows with the event-loop stalls it measured, and the throttled phase overloads a
 * limit set from the rate the machine offered (soak-runner.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { until } from '../support/harness.js';
import { CI_SOAK, runSoak } from './soak-runner.js';

/** Active handles and requests, but the terminal's. */
function activeResources(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
}

describe('chaos soak (CI size)', () => {
  it('settles every call with an outcome matching what the server sent last, bounded attempts, no unsafe POST replay, pacing under overload, no leak', async () => {
    const before = activeResources().length;
    const figures = await runSoak(CI_SOAK);
    expect(figures.violations.slice(0, 20)).toEqual([]);
    expect(figures.lost).toBe(0);
    expect(figures.settled).toBe(CI_SOAK.calls);
    // How many succeed depends on the machine's speed (timeouts open breakers); the invariants above do not.
    expect(figures.succeeded).toBeGreaterThan(0);
    expect(Object.keys(figures.faultsInjected).length).toBeGreaterThanOrEqual(12);
    // The closed servers' and agents' handles go as the loop gets to them: wait for that, however slow it is.
    await until(() => activeResources().length <= before, { timeoutMs: 10_000 }).catch(() => undefined);
    expect(activeResources().length).toBeLessThanOrEqual(before);
  }, 120_000);
});
