/**
 * The rows and lines of the fleet scenario: from the per-process results and
 * the server's per-process log to the table cells and the timeline series.
 */
import type { ClientVariant } from '../clients.js';
import type { Sizes } from '../cli/sizes.js';
import type { FixedResult, LoopResult } from '../client/client-protocol.js';
import type { FleetRun } from '../harness/fleet.js';
import { count, fixed, seconds, times, topCodes } from '../report/format.js';
import { jainIndex, median, sum } from '../report/stats.js';
import { binTimes, type Series } from '../report/timeline.js';
import type { RequestLog } from '../server/server-protocol.js';
import { healText, outageFigures } from './outage-figures.js';

/** Columns of the shared-throttle table. */
export const FLEET_THROTTLE_HEADERS = [
  'client',
  'completion',
  'completion ÷ ideal',
  'amplification (requests/call)',
  "Jain's index",
  'failed calls',
  'failures by code',
  'calls/s per process (min–max)',
  'client CPU per call (all processes)',
  'machine CPU busy (all cores)',
];

/** The failures of every process, summed by code. */
export function fleetCodes(results: readonly FixedResult[]): Record<string, number> {
  const byCode: Record<string, number> = {};
  for (const result of results) for (const [code, n] of Object.entries(result.byCode)) byCode[code] = (byCode[code] ?? 0) + n;
  return byCode;
}

/** Columns of the shared-outage table. */
export const FLEET_OUTAGE_HEADERS = [
  'client',
  "callers in flight at the outage's start (all: the floor)",
  'requests into the dead endpoint (all)',
  'per process (min–max)',
  'calls refused',
  'processes that refused calls',
  'heal → first success (median)',
  'heal → first success (slowest)',
  'processes with no success after the heal',
  'max event-loop stall (worst process)',
];

/** One line per process, and their sum first (it is what the shared limit applies to). */
export function fleetSeries(run: FleetRun<unknown>): Series[] {
  const perProcess = run.buckets.map((bucket, index) => ({ label: `process ${String(index + 1)}`, bins: binTimes(run.log[bucket]?.times ?? []) }));
  const length = Math.max(0, ...perProcess.map((series) => series.bins.length));
  const total = Array.from({ length }, (_, bin) => sum(perProcess.map((series) => series.bins[bin] ?? 0)));
  return [{ label: 'all processes', bins: total }, ...perProcess];
}

/** Requests each process's bucket received (of one outcome, or all). */
function requestsOf(log: RequestLog, buckets: readonly string[], outcome?: string): number[] {
  return buckets.map((bucket) => {
    const outcomes = log[bucket]?.outcomes ?? {};
    return outcome === undefined ? sum(Object.values(outcomes)) : (outcomes[outcome] ?? 0);
  });
}

/** From the load's common start to the end of the last call of any process. */
export function completionMs(run: FleetRun<FixedResult>): number {
  return Math.max(...run.results.map((result) => result.endedAt)) - run.origin;
}

/** A machine busy share as a percentage (`n/a` when unknown). */
export function busyText(share: number | null): string {
  return share === null ? 'n/a' : `${fixed(share * 100, 0)} %`;
}

/** Client CPU per call made, µs, summed over every process of the run (`null`: no call was made). */
export function cpuPerCallUs(results: readonly FixedResult[]): number | null {
  const made = sum(results.map((result) => result.ok + result.failed - result.notStarted));
  return made > 0 ? sum(results.map((result) => result.cpuUs)) / made : null;
}

/** A CPU-per-call figure as text. */
export function cpuPerCallText(results: readonly FixedResult[]): string {
  const us = cpuPerCallUs(results);
  return us === null ? 'n/a' : `${fixed(us, 0)} µs`;
}

/** Busier than this, a fleet load measured the machine (every process waiting for a core) more than the client. */
export const MACHINE_BOUND_SHARE = 0.95;

/** The shared-throttle row of a variant. */
export function fleetThrottleRow(sizes: Sizes, variant: ClientVariant, run: FleetRun<FixedResult>): string[] {
  const { ratePerSec, callsPerProcess } = sizes.fleet;
  const calls = callsPerProcess * run.results.length;
  const idealMs = (1000 * calls) / ratePerSec;
  const completion = completionMs(run);
  const requests = sum(requestsOf(run.log, run.buckets));
  const throughput = run.results.map((result) => result.ok / Math.max(0.001, (result.endedAt - result.startedAt) / 1000));
  return [
    variant.label,
    seconds(completion),
    times(completion / idealMs),
    times(requests / calls),
    fixed(jainIndex(throughput), 3),
    count(sum(run.results.map((result) => result.failed))),
    topCodes(fleetCodes(run.results)),
    `${fixed(Math.min(...throughput), 0)}–${fixed(Math.max(...throughput), 0)}`,
    cpuPerCallText(run.results),
    busyText(run.machineBusy),
  ];
}

/** The shared-outage row of a variant. */
export function fleetOutageRow(sizes: Sizes, variant: ClientVariant, run: FleetRun<LoopResult>): string[] {
  const { healthyMs, outageMs, maxTailMs } = sizes.outage;
  const healAt = run.origin + healthyMs + outageMs;
  const figures = run.results.map((result, index) => outageFigures(result, run.log[run.buckets[index] ?? ''] ?? { times: [], outcomes: {} }, healAt));
  const dead = figures.map((entry) => entry.deadRequests);
  const heals = figures.map((entry) => entry.healToSuccessMs);
  const healed = heals.filter((ms): ms is number => ms !== null);
  const slowest = healed.length < heals.length ? null : Math.max(...healed);
  const inFlight = run.results.map((result) => result.inFlightAtMark);
  return [
    variant.label,
    inFlight.every((value): value is number => value !== null) ? count(sum(inFlight)) : 'n/a',
    count(sum(dead)),
    `${count(Math.min(...dead))}–${count(Math.max(...dead))}`,
    count(sum(figures.map((entry) => entry.refused))),
    `${String(figures.filter((entry) => entry.refused > 0).length)} of ${String(figures.length)}`,
    healText(healed.length === 0 ? null : median(healed), maxTailMs),
    healText(slowest, maxTailMs),
    `${String(heals.length - healed.length)} of ${String(heals.length)}`,
    `${fixed(Math.max(...figures.map((entry) => entry.maxLoopLagMs)), 0)} ms`,
  ];
}
