/**
 * random noise: 10 % of requests get 503 SlowDown at random, whatever the
 * rate: no rate limit to find, so slowing down buys nothing. A client that
 * treats every SlowDown as a signal to throttle itself pays for it here.
 */
import type { BenchContext } from '../harness/bench-context.js';
import { count, seconds } from '../report/format.js';
import { runMixScenario } from './mix-scenario.js';
import type { ScenarioReport } from './scenario-report.js';

/** Seed of the noise: the same draws for every client. */
const NOISE_SEED = 20_250_101;

/** Runs the random-noise scenario. */
export function noiseScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { calls, concurrency, share, budgetMs } = ctx.sizes.noise;
  return runMixScenario(ctx, {
    name: 'noise',
    title: 'random noise: SlowDown at random, not a rate limit',
    description:
      `${String(Math.round(share * 100))} % of requests, drawn at random (seed ${String(NOISE_SEED)}), get 503 SlowDown whatever the request rate. ` +
      `${count(calls)} GETs at ${String(concurrency)} in flight per client, time budget ${seconds(budgetMs)} (calls not started by then count as failed).`,
    mix: { kind: 'faults', seed: NOISE_SEED, shares: { SlowDown: share } },
    calls,
    concurrency,
    budgetMs,
  });
}
