/**
 * A seeded fault mix as a `custom` scenario of the local OBS server: each
 * request independently draws one fault by its share (10 % SlowDown, 2 %
 * socket reset, …) or none, in which case the store answers normally.
 * Used by the "random noise" (SlowDown only) and "flaky" scenarios.
 */
import { custom, malformedXml, type CustomScenario, type ObsServerStep } from '../../../src/testing/index.js';
import type { FaultMixSpec, FaultName } from './scenario-spec.js';
import { seededRandom } from './seeded-random.js';

/** The answer each fault plays. */
const STEPS: Record<FaultName, () => ObsServerStep> = {
  SlowDown: () => ({ error: 'SlowDown' }),
  InternalError: () => ({ error: 'InternalError' }),
  RequestTimeout: () => ({ error: 'RequestTimeout' }),
  // Before the head: the client sees ECONNRESET with no response at all.
  reset: () => ({ reset: 'before-head' }),
  // A 500 whose XML body cannot be parsed: the client has only the status to go by.
  malformedXml: () => malformedXml(500),
};

/** Builds the custom scenario of a fault mix (its PRNG starts from the spec's seed). */
export function faultMixScenario(spec: FaultMixSpec): CustomScenario {
  const random = seededRandom(spec.seed);
  const table = Object.entries(spec.shares) as [FaultName, number][];
  return custom(() => {
    let draw = random();
    for (const [name, share] of table) {
      if (draw < share) return STEPS[name]();
      draw -= share;
    }
    return undefined;
  });
}
