/**
 * The fleet's own bound: the same processes and calls with no limit armed.
 * Its completion ÷ the shared throttle's ideal time is the share of that ideal
 * the machine itself takes: a fleet whose unlimited run already takes most of
 * the ideal cannot finish near it once paced, however well it paces (every
 * process, the server and Redis share the machine's cores).
 */
import type { ClientVariant } from '../clients.js';
import type { Sizes } from '../cli/sizes.js';
import type { FixedResult } from '../client/client-protocol.js';
import type { FleetRun } from '../harness/fleet.js';
import { count, fixed, seconds, times, topCodes } from '../report/format.js';
import { sum } from '../report/stats.js';
import { busyText, completionMs, cpuPerCallText, fleetCodes } from './fleet-rows.js';

/** Columns of the no-limit table. */
export const FLEET_CAPACITY_HEADERS = [
  'client',
  'completion',
  'completion ÷ the shared throttle’s ideal',
  'client CPU per call (all processes)',
  'calls/s, all processes',
  'failed calls',
  'failures by code',
  'machine CPU busy (all cores)',
];

/** The no-limit row of a variant. */
export function fleetCapacityRow(sizes: Sizes, variant: ClientVariant, run: FleetRun<FixedResult>): string[] {
  const { ratePerSec, callsPerProcess } = sizes.fleet;
  const calls = callsPerProcess * run.results.length;
  const idealMs = (1000 * calls) / ratePerSec;
  const completion = completionMs(run);
  const ok = sum(run.results.map((result) => result.ok));
  return [
    variant.label,
    seconds(completion),
    times(completion / idealMs),
    cpuPerCallText(run.results),
    fixed((ok * 1000) / Math.max(1, completion), 0),
    count(sum(run.results.map((result) => result.failed))),
    topCodes(fleetCodes(run.results)),
    busyText(run.machineBusy),
  ];
}

/** The caption of the no-limit table at `processes` processes. */
export function fleetCapacityCaption(sizes: Sizes, processes: number): string {
  const { ratePerSec, callsPerProcess, concurrencyPerProcess } = sizes.fleet;
  return (
    `fleet, no limit (the machine's own bound): ${String(processes)} processes × ${count(callsPerProcess)} GETs at ${String(concurrencyPerProcess)} in flight, nothing throttled; ` +
    `ideal at the shared ${String(ratePerSec)} req/s: ${seconds((1000 * callsPerProcess * processes) / ratePerSec)}`
  );
}
