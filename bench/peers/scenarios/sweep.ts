/**
 * throttle sweep (`--sweep`): the throttle scenario over rates × concurrencies,
 * N = R × seconds per combination, to see where each client's pacing breaks.
 */
import { runsIn } from '../clients.js';
import type { BenchContext } from '../harness/bench-context.js';
import { count, fixed, times } from '../report/format.js';
import { fixedFigures } from './fixed-figures.js';
import type { ScenarioReport } from './scenario-report.js';

/** Runs the sweep; one table, a cell per client per combination. */
export async function sweepScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { rates, concurrencies, seconds, budgetMs } = ctx.sizes.sweep;
  const { burst } = ctx.sizes.throttle;
  const variants = ctx.variants.filter((variant) => runsIn(variant, 'throttle'));
  const rows: string[][] = [];
  for (const ratePerSec of rates) {
    for (const concurrency of concurrencies) {
      const calls = ratePerSec * seconds;
      const idealMs = 1000 * seconds;
      const row = [String(ratePerSec), String(concurrency), count(calls)];
      for (const variant of variants) {
        ctx.progress.start(`throttle sweep R=${String(ratePerSec)} C=${String(concurrency)} · ${variant.id}`);
        const outcome = await ctx.runFixed(variant, [{ kind: 'throttle', ratePerSec, burst }], { calls, concurrency, deadlineMs: budgetMs });
        if ('error' in outcome) {
          row.push('run failed');
          ctx.progress.finish(`failed: ${outcome.error}`);
          continue;
        }
        const figures = fixedFigures(calls, outcome.result, outcome.log);
        row.push(`${fixed(figures.completionMs / idealMs, 2)} / ${fixed(figures.amplification, 2)} / ${count(figures.failed)}`);
        ctx.progress.finish(`${times(figures.completionMs / idealMs)} of ideal`);
      }
      rows.push(row);
    }
  }
  return {
    title: 'throttle sweep',
    description:
      `The throttle scenario (burst ${String(burst)}) for R in {${rates.join(', ')}} req/s and C in {${concurrencies.join(', ')}} in flight, N = R × ${String(seconds)} s, time budget ${String(budgetMs / 1000)} s per run. ` +
      'Each cell: completion ÷ ideal / amplification (requests per call) / failed calls.',
    tables: [{ caption: 'throttle sweep: completion ÷ ideal / amplification / failed', headers: ['R (req/s)', 'C', 'N', ...variants.map((variant) => variant.label)], rows }],
    figures: [],
    notes: [],
  };
}
