/**
 * outage: 8 callers, each calling again the moment a call ends (no delay of
 * their own), 1 s of healthy GETs, then 3 s of 500 InternalError, then the
 * endpoint heals. What a breaker promises: few requests into the dead
 * endpoint (it opens and refuses calls locally), and a quick return once the
 * endpoint is back (a half-open probe). A tight loop is also where a client
 * that refuses calls without ever yielding to the event loop starves its own
 * timers: the "max event-loop stall" column shows it.
 */
import { BASELINE_ID, runsIn } from '../clients.js';
import type { BenchContext } from '../harness/bench-context.js';
import { count, fixed, seconds, times, topCodes } from '../report/format.js';
import { binTimes } from '../report/timeline.js';
import { healText, outageFigures, stallNote } from './outage-figures.js';
import { failedRow, type ScenarioReport } from './scenario-report.js';

/** Runs the outage scenario. */
export async function outageScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { callers, healthyMs, outageMs, maxTailMs, settleMs } = ctx.sizes.outage;
  const healAfterMs = healthyMs + outageMs;
  const variants = ctx.variants.filter((variant) => runsIn(variant, 'outage'));
  const headers = [
    'client',
    'requests into the dead endpoint',
    '÷ bare axios',
    'calls refused (CircuitOpen)',
    'heal → first success',
    'calls (ok)',
    'max event-loop stall',
    'failures by code',
  ];
  const rows: string[][] = [];
  const series = [];
  const notes: string[] = [];
  let baselineDead = Number.NaN;
  for (const variant of variants) {
    ctx.progress.start(`outage · ${variant.id}`);
    const outcome = await ctx.runLoop(variant, (origin) => [{ kind: 'outage', startAt: origin + healthyMs, durationMs: outageMs }], {
      callers,
      healAfterMs,
      hardEndAfterMs: healAfterMs + maxTailMs,
      settleMs,
    });
    if ('error' in outcome) {
      rows.push(failedRow(variant.label, outcome.error, headers.length));
      ctx.progress.finish(`failed: ${outcome.error}`);
      continue;
    }
    const figures = outageFigures(outcome.result, outcome.log, outcome.origin + healAfterMs);
    if (variant.id === BASELINE_ID) baselineDead = figures.deadRequests;
    if (variant.kind === 'obs' && figures.refused === 0) notes.push(`${variant.label}: the breaker never refused a call during the outage (it did not open).`);
    if (variant.kind === 'obs' && figures.healToSuccessMs === null) notes.push(`${variant.label}: no call succeeded within ${seconds(maxTailMs)} of the heal.`);
    const stalled = stallNote(variant.label, figures.maxLoopLagMs);
    if (stalled !== undefined) notes.push(stalled);
    rows.push([
      variant.label,
      count(figures.deadRequests),
      times(figures.deadRequests / baselineDead),
      count(figures.refused),
      healText(figures.healToSuccessMs, maxTailMs),
      `${count(figures.calls)} (${count(figures.ok)})`,
      `${fixed(figures.maxLoopLagMs, 0)} ms`,
      topCodes(outcome.result.byCode),
    ]);
    series.push({ label: variant.label, bins: binTimes(outcome.log.times) });
    ctx.progress.finish(`${String(figures.deadRequests)} requests into the outage, ${String(figures.refused)} refused`);
  }
  return {
    title: 'outage: an endpoint that answers 500 for a while',
    description:
      `${String(callers)} callers per client, each starting its next call the moment the previous one ends (no delay of its own). ` +
      `${seconds(healthyMs)} healthy, then ${seconds(outageMs)} of 500 InternalError on every request, then healed; the run ends ${seconds(settleMs)} after the first success following the heal, at most ${seconds(maxTailMs)} after the heal. ` +
      '"Requests into the dead endpoint" counts what the server answered InternalError; "heal → first success" is from the heal to the first call that succeeded; "max event-loop stall" is the longest the client process went without turning its event loop (timers, the breaker\'s own included, cannot fire meanwhile).',
    tables: [{ caption: `outage: ${seconds(healthyMs)} healthy, ${seconds(outageMs)} InternalError, ${String(callers)} tight-loop callers`, headers, rows }],
    figures: [
      {
        file: 'outage',
        timeline: {
          title: `outage: ${String(callers)} tight-loop callers per client`,
          series,
          shades: [{ fromMs: healthyMs, toMs: healAfterMs, label: 'outage (500 InternalError)' }],
          guides: [],
        },
      },
    ],
    notes,
  };
}
