/**
 * The fleet scenario at one process count: for bare axios and every fleet
 * variant, the same load with no limit (the machine's own bound); for every
 * fleet variant, the shared throttle, the shared outage and (store variants)
 * the shared throttle with the store killed mid-run, with their tables and
 * timelines.
 */
import { BASELINE_ID, CLIENT_VARIANTS, runsIn, type ClientVariant } from '../clients.js';
import type { FixedResult } from '../client/client-protocol.js';
import { Fleet, type FleetRun } from '../harness/fleet.js';
import type { BenchContext } from '../harness/bench-context.js';
import { BIN_MS } from '../report/timeline.js';
import { wantsRedisStore, without } from '../store/store-spec.js';
import {
  FLEET_OUTAGE_HEADERS,
  FLEET_THROTTLE_HEADERS,
  MACHINE_BOUND_SHARE,
  busyText,
  completionMs,
  fleetOutageRow,
  fleetSeries,
  fleetThrottleRow,
} from './fleet-rows.js';
import { FLEET_CAPACITY_HEADERS, fleetCapacityCaption, fleetCapacityRow } from './fleet-capacity.js';
import { STORE_KILL_HEADERS, storeKillActions, storeKillRow, storeKillShades } from './fleet-store-kill.js';
import { stallNote } from './outage-figures.js';
import type { ScenarioReport, TimelineFigure } from './scenario-report.js';

/** The chart file of one run: `fleet-<run>-<variant>`, with `-<n>p` past the default 8 processes. */
function fileOf(run: string, variant: ClientVariant, processes: number): string {
  return `fleet-${run}-${variant.id}${processes === 8 ? '' : `-${String(processes)}p`}`;
}

/** The storeless obs variant with the same options as `variant` (its twin), if it runs. */
function twinOf(variants: readonly ClientVariant[], variant: ClientVariant): ClientVariant | undefined {
  const rest = JSON.stringify(without(variant.options ?? {}, 'store'));
  return variants.find((entry) => entry.kind === 'obs' && !wantsRedisStore(entry.options) && JSON.stringify(entry.options ?? {}) === rest);
}

/** Tables, figures and notes of the fleet at `processes` processes. */
export async function fleetAtSize(ctx: BenchContext, processes: number): Promise<Pick<ScenarioReport, 'tables' | 'figures' | 'notes'>> {
  const { ratePerSec, burst, callsPerProcess, concurrencyPerProcess, outageCallersPerProcess } = ctx.sizes.fleet;
  const { healthyMs, outageMs, maxTailMs, settleMs } = ctx.sizes.outage;
  const idealMs = (1000 * callsPerProcess * processes) / ratePerSec;
  const throttleRows: string[][] = [];
  const outageRows: string[][] = [];
  const killRows: string[][] = [];
  const capacityRows: string[][] = [];
  const figures: TimelineFigure[] = [];
  const notes: string[] = [];
  const completions = new Map<string, number>();
  const variants = ctx.variants.filter((entry) => runsIn(entry, 'fleet'));
  const throttleSpec = [{ kind: 'throttle' as const, ratePerSec, burst }];
  const guides = [
    { perBin: (ratePerSec * BIN_MS) / 1000, label: `limit ${String(ratePerSec)} req/s (all processes)` },
    { perBin: (ratePerSec * BIN_MS) / 1000 / processes, label: 'fair share' },
  ];
  const noteMachineBound = (label: string, run: FleetRun<unknown>): void => {
    if (run.machineBusy === null || run.machineBusy < MACHINE_BOUND_SHARE) return;
    notes.push(
      `${label} × ${String(processes)}: the machine's cores were ${busyText(run.machineBusy)} busy during the load, so its completion measures the machine as much as the client ` +
        '(every process waits for a core; on a slower host the same code finishes later).',
    );
  };
  const throttleFigure = (file: string, title: string, run: FleetRun<FixedResult>, shades: TimelineFigure['timeline']['shades']): TimelineFigure => ({
    file,
    timeline: { title, series: fleetSeries(run), shades: [{ fromMs: 0, toMs: completionMs(run), label: 'throttled' }, ...shades], guides },
  });
  // Bare axios runs only the no-limit load: its row is what the machine leaves to any client.
  const baseline = CLIENT_VARIANTS.find((entry) => entry.id === BASELINE_ID);
  for (const variant of baseline === undefined ? variants : [baseline, ...variants]) {
    ctx.progress.start(`fleet ${String(processes)} · ${variant.id} · starting ${String(processes)} processes`);
    let fleet: Fleet | undefined;
    try {
      fleet = await Fleet.start(ctx, variant, processes);
      ctx.progress.finish('');
      // First, on cold processes for every variant alike: the load with no limit armed.
      ctx.progress.start(`fleet ${String(processes)} · ${variant.id} · no limit`);
      const unlimited = await fleet.fixed([], callsPerProcess, concurrencyPerProcess, ctx.sizes.throttle.budgetMs);
      capacityRows.push(fleetCapacityRow(ctx.sizes, variant, unlimited));
      ctx.progress.finish('');
      if (variant === baseline) continue;
      ctx.progress.start(`fleet ${String(processes)} · ${variant.id} · shared throttle`);
      const throttled = await fleet.fixed(throttleSpec, callsPerProcess, concurrencyPerProcess, ctx.sizes.throttle.budgetMs);
      throttleRows.push(fleetThrottleRow(ctx.sizes, variant, throttled));
      completions.set(variant.id, completionMs(throttled));
      noteMachineBound(`${variant.label}, shared throttle`, throttled);
      figures.push(throttleFigure(fileOf('throttle', variant, processes), `fleet: ${String(processes)} × ${variant.label}, one ${String(ratePerSec)} req/s limit`, throttled, []));
      ctx.progress.finish('');
      ctx.progress.start(`fleet ${String(processes)} · ${variant.id} · shared outage`);
      const healAfterMs = healthyMs + outageMs;
      const outage = await fleet.loop((origin) => [{ kind: 'outage', startAt: origin + healthyMs, durationMs: outageMs }], {
        callers: outageCallersPerProcess,
        healAfterMs,
        hardEndAfterMs: healAfterMs + maxTailMs,
        settleMs,
        markAfterMs: healthyMs,
      });
      outageRows.push(fleetOutageRow(ctx.sizes, variant, outage));
      const stalled = stallNote(`${variant.label} (worst of ${String(processes)} fleet processes)`, Math.max(...outage.results.map((result) => result.maxLoopLagMs)));
      if (stalled !== undefined) notes.push(stalled);
      figures.push({
        file: fileOf('outage', variant, processes),
        timeline: {
          title: `fleet: ${String(processes)} × ${variant.label}, one outage`,
          series: fleetSeries(outage),
          shades: [{ fromMs: healthyMs, toMs: healAfterMs, label: 'outage (500 InternalError)' }],
          guides: [],
        },
      });
      ctx.progress.finish('');
      if (wantsRedisStore(variant.options) && ctx.redis !== undefined) {
        ctx.progress.start(`fleet ${String(processes)} · ${variant.id} · shared throttle, redis-server killed mid-run`);
        const actions = storeKillActions(ctx.redis, idealMs);
        const killed = await fleet.fixed(throttleSpec, callsPerProcess, concurrencyPerProcess, ctx.sizes.throttle.budgetMs, actions);
        const twin = twinOf(variants, variant);
        noteMachineBound(`${variant.label}, shared throttle with redis-server killed`, killed);
        killRows.push(storeKillRow(ctx.sizes, variant, killed, completions.get(variant.id), twin === undefined ? undefined : completions.get(twin.id)));
        figures.push(
          throttleFigure(fileOf('store-killed', variant, processes), `fleet: ${String(processes)} × ${variant.label}, redis-server killed mid-run`, killed, storeKillShades(actions)),
        );
        ctx.progress.finish('');
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      notes.push(`${variant.label} × ${String(processes)}: fleet run failed: ${message}`);
      ctx.progress.finish(`failed: ${message}`);
    } finally {
      fleet?.close();
    }
  }
  const tables = [
    { caption: `fleet, shared throttle: ${String(processes)} processes, ${String(ratePerSec)} req/s in total`, headers: FLEET_THROTTLE_HEADERS, rows: throttleRows },
    { caption: `fleet, shared outage: ${String(processes)} processes × ${String(outageCallersPerProcess)} callers`, headers: FLEET_OUTAGE_HEADERS, rows: outageRows },
  ];
  if (capacityRows.length > 0) tables.push({ caption: fleetCapacityCaption(ctx.sizes, processes), headers: FLEET_CAPACITY_HEADERS, rows: capacityRows });
  if (killRows.length > 0) {
    tables.push({ caption: `fleet, shared throttle with redis-server killed at 1/3 of the ideal time, restarted at 2/3: ${String(processes)} processes`, headers: STORE_KILL_HEADERS, rows: killRows });
  }
  return { tables, figures, notes };
}
