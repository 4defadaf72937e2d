/**
 * throttle: the server lets R requests per second through (a token bucket,
 * burst 50) and answers the rest 503 SlowDown. Each client makes N GETs with
 * C in flight. Ideal completion is N/R: a client cannot go faster without
 * failing calls, and every request over the rate is wasted load on the
 * server (amplification above 1).
 */
import { runsIn } from '../clients.js';
import type { BenchContext } from '../harness/bench-context.js';
import { count, seconds, times } from '../report/format.js';
import { BIN_MS, binTimes } from '../report/timeline.js';
import { fixedFigures } from './fixed-figures.js';
import { failedRow, type ScenarioReport } from './scenario-report.js';

/** Runs the throttle scenario at the default size. */
export async function throttleScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { ratePerSec, burst, concurrency, calls, budgetMs } = ctx.sizes.throttle;
  const idealMs = (1000 * calls) / ratePerSec;
  const variants = ctx.variants.filter((variant) => runsIn(variant, 'throttle'));
  const headers = ['client', 'completion', 'completion ÷ ideal', 'amplification (requests/call)', 'failed calls', 'SlowDown answers', 'offered load ÷ R'];
  const rows: string[][] = [];
  const series = [];
  const overshooting: string[] = [];
  let longest = idealMs;
  for (const variant of variants) {
    ctx.progress.start(`throttle · ${variant.id}`);
    const outcome = await ctx.runFixed(variant, [{ kind: 'throttle', ratePerSec, burst }], { calls, concurrency, deadlineMs: budgetMs });
    if ('error' in outcome) {
      rows.push(failedRow(variant.label, outcome.error, headers.length));
      ctx.progress.finish(`failed: ${outcome.error}`);
      continue;
    }
    const figures = fixedFigures(calls, outcome.result, outcome.log);
    longest = Math.max(longest, figures.completionMs);
    // The request rate the client offered, against the rate the server allows.
    const offered = figures.serverRequests / (figures.completionMs / 1000) / ratePerSec;
    if (offered > 1) overshooting.push(`${variant.label} ${times(offered)}`);
    rows.push([
      variant.label,
      seconds(figures.completionMs),
      times(figures.completionMs / idealMs),
      times(figures.amplification),
      count(figures.failed),
      count(figures.throttled),
      times(offered),
    ]);
    series.push({ label: variant.label, bins: binTimes(outcome.log.times) });
    ctx.progress.finish(`${times(figures.completionMs / idealMs)} of ideal, ${times(figures.amplification)} amplification, ${String(figures.failed)} failed`);
  }
  return {
    title: 'throttle: a rate-limited endpoint',
    description:
      `The server passes ${String(ratePerSec)} requests/s (token bucket, burst ${String(burst)}) and answers the rest 503 SlowDown. ` +
      `Each client makes ${count(calls)} GETs with ${String(concurrency)} in flight; ideal completion is N/R = ${seconds(idealMs)}; time budget ${seconds(budgetMs)} (calls not started by then count as failed). ` +
      'Amplification is requests reaching the server per call; offered load ÷ R is the request rate the client kept up, over the allowed rate.',
    tables: [{ caption: `throttle: R = ${String(ratePerSec)}/s, C = ${String(concurrency)}, N = ${count(calls)}`, headers, rows }],
    figures: [
      {
        file: 'throttle',
        timeline: {
          title: `throttle: ${String(ratePerSec)} req/s allowed, ${count(calls)} GETs at ${String(concurrency)} in flight`,
          series,
          shades: [{ fromMs: 0, toMs: longest, label: 'throttled' }],
          guides: [{ perBin: (ratePerSec * BIN_MS) / 1000, label: `limit ${String(ratePerSec)} req/s` }],
        },
      },
    ],
    notes: overshooting.length > 0 ? [`Sent more requests per second than the limit lets through (offered load ÷ R above 1): ${overshooting.join(', ')}.`] : [],
  };
}
