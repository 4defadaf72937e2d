/** The scenarios of the benchmark, in the order they run. */
export const SCENARIOS = ['overhead', 'throttle', 'noise', 'outage', 'flaky', 'fleet', 'mixed-classes'] as const;

/** One scenario's name (`--only=<name>`). */
export type ScenarioName = (typeof SCENARIOS)[number];

/** Narrows a string to a scenario name. */
export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(value);
}
