/** Starts the bench's Redis only when a selected store variant takes part in a selected scenario. */
import { runsIn, type ClientVariant } from '../clients.js';
import type { ScenarioName } from '../scenario-names.js';
import { BenchRedis } from './bench-redis.js';
import { wantsRedisStore } from './store-spec.js';

/** A running Redis, or undefined when no store variant runs. */
export async function startRedisIfNeeded(variants: readonly ClientVariant[], scenarios: readonly ScenarioName[]): Promise<BenchRedis | undefined> {
  const needed = variants.some((variant) => wantsRedisStore(variant.options) && scenarios.some((scenario) => runsIn(variant, scenario)));
  return needed ? BenchRedis.start() : undefined;
}
