/**
 * flaky: a seeded mix of the failures OBS and the network in front of it
 * produce, on every request independently: 10 % SlowDown, 5 % InternalError,
 * 2 % RequestTimeout (408), 2 % connection reset before the answer, 1 % a 500
 * whose XML body is malformed.
 */
import type { BenchContext } from '../harness/bench-context.js';
import { count, seconds } from '../report/format.js';
import type { FaultMixSpec } from '../server/scenario-spec.js';
import { runMixScenario } from './mix-scenario.js';
import type { ScenarioReport } from './scenario-report.js';

/** The mix, with the same seed for every client. */
const FLAKY_MIX: FaultMixSpec = {
  kind: 'faults',
  seed: 4242,
  shares: { SlowDown: 0.1, InternalError: 0.05, RequestTimeout: 0.02, reset: 0.02, malformedXml: 0.01 },
};

/** Runs the flaky scenario. */
export function flakyScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { calls, concurrency, budgetMs } = ctx.sizes.flaky;
  return runMixScenario(ctx, {
    name: 'flaky',
    title: 'flaky: a seeded mix of OBS and network failures',
    description:
      'Each request independently (seed 4242): 10 % 503 SlowDown, 5 % 500 InternalError, 2 % 408 RequestTimeout, 2 % TCP reset before the answer, 1 % 500 with a malformed XML body; the rest succeed. ' +
      `${count(calls)} GETs at ${String(concurrency)} in flight per client, time budget ${seconds(budgetMs)}. ` +
      'What the mix allows: 20 % of requests fail independently of the client, so a client that retries until success sends at least 1 ÷ (1 − 0.2) = 1.25 requests per call, ' +
      'and one that gives up after 4 attempts (3 retries, the default of obs-axios-policies and axios-retry) succeeds at most 1 − 0.2⁴ = 99.84 % of the time: ' +
      'no client can reach 99.9 % at 1.2 requests per call here.',
    mix: FLAKY_MIX,
    calls,
    concurrency,
    budgetMs,
  });
}
