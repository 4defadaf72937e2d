/** Which function runs which scenario. */
import type { BenchContext } from '../harness/bench-context.js';
import type { ScenarioName } from '../scenario-names.js';
import { flakyScenario } from './flaky.js';
import { fleetScenario } from './fleet.js';
import { mixedClassesScenario } from './mixed-classes.js';
import { noiseScenario } from './noise.js';
import { outageScenario } from './outage.js';
import { overheadScenario } from './overhead.js';
import type { ScenarioReport } from './scenario-report.js';
import { throttleScenario } from './throttle.js';

const RUNNERS: Record<ScenarioName, (ctx: BenchContext) => Promise<ScenarioReport>> = {
  overhead: overheadScenario,
  throttle: throttleScenario,
  noise: noiseScenario,
  outage: outageScenario,
  flaky: flakyScenario,
  fleet: fleetScenario,
  'mixed-classes': mixedClassesScenario,
};

/** Runs one scenario. */
export function runScenario(ctx: BenchContext, name: ScenarioName): Promise<ScenarioReport> {
  return RUNNERS[name](ctx);
}
