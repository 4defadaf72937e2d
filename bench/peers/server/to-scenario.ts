/**
 * Turns the parent's JSON scenario specs into the local OBS server's scenarios.
 * Throttle and outage are the server's own; fault mixes are `custom` rules.
 */
import { outage, throttle, type ObsScenario } from '../../../src/testing/index.js';
import { faultMixScenario } from './fault-mix.js';
import type { ScenarioSpec } from './scenario-spec.js';

/** The server scenario of one spec, started at `now` (epoch ms, the server's clock). */
export function toScenario(spec: ScenarioSpec, now: number): ObsScenario {
  switch (spec.kind) {
    case 'throttle':
      return throttle({ ratePerSec: spec.ratePerSec, burst: spec.burst, match: spec.match });
    case 'outage':
      // The outage scenario counts from when it is added; the parent speaks in absolute times.
      return outage({ startMs: Math.max(0, spec.startAt - now), durationMs: spec.durationMs });
    case 'faults':
      return faultMixScenario(spec);
  }
}
