/**
 * Property: whatever a hostile server answers — odd statuses, garbage
 * Retry-After and Date, Location to anywhere, control bytes and ANSI escapes in
 * x-obs-* headers and codes, Object.prototype names as codes, truncated or huge
 * bodies, resets in the head or the body, trickled bytes, silence — every call
 * on either adapter:
 * - settles, within its own budget (timeout and waits per possible attempt) plus a wide margin;
 * - closes with exactly one failFast / giveUp / circuitReject when it fails with an ObsError (that
 *   event's `error` is the rejection), and with none when it resolves or hands back a non-ObsError;
 * - reaches no host outside its own and its `allowHosts` (read off the Host headers the server saw);
 * - counts in `attempts` at least every request the server saw for it;
 * - prints no planted credential in any form of its error or of any event payload;
 * - puts no raw control character or escape from the server into `message`;
 * - causes no unhandled rejection and no uncaught exception.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { answer } from './answer-arbitraries.js';
import { HOSTILE_ADAPTERS } from './hostile-clients.js';
import { startHostileServer } from './hostile-server.js';
import { runScenario, scenarioOf } from './scenario-runner.js';
import { useHostileSuite } from './suite-lifecycle.js';

/** Fixed seed and bounded runs: the same inputs every time, and a suite that stays well under 30 s. */
const SEED = 20_240_611;
const RUNS: Record<string, number> = { http: 25, fetch: 15 };

const suite = useHostileSuite(startHostileServer);

describe('hostile server answers', () => {
  it.each(HOSTILE_ADAPTERS)('every call on the %s adapter settles once, closes once, stays on allowed hosts and prints no secret', async (adapter) => {
    await fc.assert(
      fc.asyncProperty(scenarioOf(answer), async (s) => {
        expect(await runScenario(adapter, suite.server, suite.faults, s)).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS[adapter] ?? 20 },
    );
  });
});
