/**
 * fleet: 8 processes of the same client, as 8 replicas of a service, against
 * one endpoint. First a shared rate limit (each process makes its calls;
 * together they should finish near the ideal, without amplifying the load,
 * and share the rate fairly: Jain's index over per-process throughput).
 * Then a shared outage: what the dead endpoint receives from all of them.
 */
import { runsIn } from '../clients.js';
import { Fleet } from '../harness/fleet.js';
import type { BenchContext } from '../harness/bench-context.js';
import { count, seconds } from '../report/format.js';
import { BIN_MS } from '../report/timeline.js';
import { FLEET_OUTAGE_HEADERS, FLEET_THROTTLE_HEADERS, fleetOutageRow, fleetSeries, fleetThrottleRow } from './fleet-rows.js';
import { stallNote } from './outage-figures.js';
import type { ScenarioReport, TimelineFigure } from './scenario-report.js';

/** Runs the fleet scenario for every fleet variant. */
export async function fleetScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { processes, ratePerSec, burst, callsPerProcess, concurrencyPerProcess, outageCallersPerProcess } = ctx.sizes.fleet;
  const { healthyMs, outageMs, maxTailMs, settleMs } = ctx.sizes.outage;
  const idealMs = (1000 * callsPerProcess * processes) / ratePerSec;
  const throttleRows: string[][] = [];
  const outageRows: string[][] = [];
  const figures: TimelineFigure[] = [];
  const notes: string[] = [];
  for (const variant of ctx.variants.filter((entry) => runsIn(entry, 'fleet'))) {
    ctx.progress.start(`fleet · ${variant.id} · starting ${String(processes)} processes`);
    let fleet: Fleet | undefined;
    try {
      fleet = await Fleet.start(ctx, variant, processes);
      ctx.progress.finish('');
      ctx.progress.start(`fleet · ${variant.id} · shared throttle`);
      const throttled = await fleet.fixed([{ kind: 'throttle', ratePerSec, burst }], callsPerProcess, concurrencyPerProcess, ctx.sizes.throttle.budgetMs);
      throttleRows.push(fleetThrottleRow(ctx.sizes, variant, throttled));
      ctx.progress.finish('');
      ctx.progress.start(`fleet · ${variant.id} · shared outage`);
      const healAfterMs = healthyMs + outageMs;
      const outage = await fleet.loop((origin) => [{ kind: 'outage', startAt: origin + healthyMs, durationMs: outageMs }], {
        callers: outageCallersPerProcess,
        healAfterMs,
        hardEndAfterMs: healAfterMs + maxTailMs,
        settleMs,
      });
      outageRows.push(fleetOutageRow(ctx.sizes, variant, outage));
      const stalled = stallNote(`${variant.label} (worst fleet process)`, Math.max(...outage.results.map((result) => result.maxLoopLagMs)));
      if (stalled !== undefined) notes.push(stalled);
      ctx.progress.finish('');
      const longest = Math.max(...throttled.results.map((result) => result.endedAt)) - throttled.origin;
      figures.push(
        {
          file: `fleet-throttle-${variant.id}`,
          timeline: {
            title: `fleet: ${String(processes)} × ${variant.label}, one ${String(ratePerSec)} req/s limit`,
            series: fleetSeries(throttled),
            shades: [{ fromMs: 0, toMs: longest, label: 'throttled' }],
            guides: [
              { perBin: (ratePerSec * BIN_MS) / 1000, label: `limit ${String(ratePerSec)} req/s (all processes)` },
              { perBin: (ratePerSec * BIN_MS) / 1000 / processes, label: 'fair share' },
            ],
          },
        },
        {
          file: `fleet-outage-${variant.id}`,
          timeline: {
            title: `fleet: ${String(processes)} × ${variant.label}, one outage`,
            series: fleetSeries(outage),
            shades: [{ fromMs: healthyMs, toMs: healAfterMs, label: 'outage (500 InternalError)' }],
            guides: [],
          },
        },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      notes.push(`${variant.label}: fleet run failed: ${message}`);
      ctx.progress.finish(`failed: ${message}`);
    } finally {
      fleet?.close();
    }
  }
  return {
    title: `fleet: ${String(processes)} processes sharing one endpoint`,
    description:
      `${String(processes)} client processes of the same variant. Shared throttle: ${String(ratePerSec)} req/s for all of them (burst ${String(burst)}), ` +
      `${count(callsPerProcess)} GETs per process at ${String(concurrencyPerProcess)} in flight; ideal completion ${seconds(idealMs)}; Jain's index over per-process calls/s (1 = perfectly fair). ` +
      `Shared outage: ${String(outageCallersPerProcess)} tight-loop callers per process, ${seconds(healthyMs)} healthy, ${seconds(outageMs)} InternalError, then healed.`,
    tables: [
      { caption: `fleet, shared throttle: ${String(processes)} processes, ${String(ratePerSec)} req/s in total`, headers: FLEET_THROTTLE_HEADERS, rows: throttleRows },
      { caption: `fleet, shared outage: ${String(processes)} processes × ${String(outageCallersPerProcess)} callers`, headers: FLEET_OUTAGE_HEADERS, rows: outageRows },
    ],
    figures,
    notes,
  };
}
