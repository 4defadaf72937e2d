/**
 * The shape shared by "random noise" and "flaky": a seeded fault mix on the
 * server, N GETs at C in flight per client, within a time budget. Reported:
 * share of calls that succeeded, amplification, completion, and what the
 * failures were.
 */
import { BASELINE_ID, runsIn } from '../clients.js';
import type { BenchContext } from '../harness/bench-context.js';
import type { ScenarioName } from '../scenario-names.js';
import type { FaultMixSpec } from '../server/scenario-spec.js';
import { count, percent, seconds, times, topCodes } from '../report/format.js';
import { binTimes } from '../report/timeline.js';
import { fixedFigures } from './fixed-figures.js';
import { failedRow, type ScenarioReport } from './scenario-report.js';

/** A fault-mix scenario. */
export interface MixScenario {
  name: ScenarioName;
  title: string;
  description: string;
  mix: FaultMixSpec;
  calls: number;
  concurrency: number;
  budgetMs: number;
}

/** Runs a fault-mix scenario for every variant taking part. */
export async function runMixScenario(ctx: BenchContext, scenario: MixScenario): Promise<ScenarioReport> {
  const variants = ctx.variants.filter((variant) => runsIn(variant, scenario.name));
  const headers = ['client', 'ok', 'amplification (requests/call)', 'completion', 'completion ÷ bare axios', 'failed calls', 'failures by code'];
  const rows: string[][] = [];
  const series = [];
  let baselineMs = Number.NaN;
  for (const variant of variants) {
    ctx.progress.start(`${scenario.name} · ${variant.id}`);
    const outcome = await ctx.runFixed(variant, [scenario.mix], { calls: scenario.calls, concurrency: scenario.concurrency, deadlineMs: scenario.budgetMs });
    if ('error' in outcome) {
      rows.push(failedRow(variant.label, outcome.error, headers.length));
      ctx.progress.finish(`failed: ${outcome.error}`);
      continue;
    }
    const figures = fixedFigures(scenario.calls, outcome.result, outcome.log);
    if (variant.id === BASELINE_ID) baselineMs = figures.completionMs;
    rows.push([
      variant.label,
      percent(figures.ok, figures.calls),
      times(figures.amplification),
      seconds(figures.completionMs),
      times(figures.completionMs / baselineMs),
      count(figures.failed),
      topCodes(outcome.result.byCode),
    ]);
    series.push({ label: variant.label, bins: binTimes(outcome.log.times) });
    ctx.progress.finish(`${percent(figures.ok, figures.calls)} ok, ${times(figures.amplification)} amplification`);
  }
  return {
    title: scenario.title,
    description: scenario.description,
    tables: [{ caption: `${scenario.name}: ${count(scenario.calls)} GETs at ${String(scenario.concurrency)} in flight, budget ${seconds(scenario.budgetMs)}`, headers, rows }],
    figures: [{ file: scenario.name, timeline: { title: scenario.title, series, shades: [], guides: [] } }],
    notes: [],
  };
}
