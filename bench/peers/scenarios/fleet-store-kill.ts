/**
 * The fleet's shared throttle with its store killed: redis-server gets
 * SIGKILL at 1/3 of the ideal completion time and is restarted (empty) at
 * 2/3. Fail-open means no call is lost (every call settles ok) and the fleet
 * finishes about as a fleet without a store does.
 */
import type { ClientVariant } from '../clients.js';
import type { Sizes } from '../cli/sizes.js';
import type { FixedResult } from '../client/client-protocol.js';
import type { FleetAction, FleetRun } from '../harness/fleet.js';
import { count, fixed, seconds, times, topCodes } from '../report/format.js';
import { jainIndex, sum } from '../report/stats.js';
import type { Shade } from '../report/timeline.js';
import type { BenchRedis } from '../store/bench-redis.js';
import { busyText, completionMs, fleetCodes } from './fleet-rows.js';

/** Columns of the store-killed table. */
export const STORE_KILL_HEADERS = [
  'client',
  'completion',
  'completion ÷ ideal',
  '÷ the same fleet, store up',
  '÷ the fleet without a store',
  'calls lost (not ok)',
  'failures by code',
  'amplification (requests/call)',
  "Jain's index",
  'machine CPU busy (all cores)',
];

/** When the kill and the restart happen, ms after the load's origin. */
export function storeKillTimes(idealMs: number): { killAfterMs: number; restartAfterMs: number } {
  return { killAfterMs: Math.round(idealMs / 3), restartAfterMs: Math.round((2 * idealMs) / 3) };
}

/** The kill at 1/3 and the restart at 2/3 of `idealMs`. */
export function storeKillActions(redis: BenchRedis, idealMs: number): FleetAction[] {
  const { killAfterMs, restartAfterMs } = storeKillTimes(idealMs);
  return [
    { afterMs: killAfterMs, run: () => redis.kill() },
    { afterMs: restartAfterMs, run: () => redis.restart() },
  ];
}

/** The window without Redis, for the timeline. */
export function storeKillShades(actions: readonly FleetAction[]): Shade[] {
  const [kill, restart] = actions;
  if (kill === undefined || restart === undefined) return [];
  return [{ fromMs: kill.afterMs, toMs: restart.afterMs, label: 'redis-server killed' }];
}

/** The row of a store variant: `upMs` its completion with the store up, `withoutMs` the storeless twin's. */
export function storeKillRow(sizes: Sizes, variant: ClientVariant, run: FleetRun<FixedResult>, upMs: number | undefined, withoutMs: number | undefined): string[] {
  const { ratePerSec, callsPerProcess } = sizes.fleet;
  const calls = callsPerProcess * run.results.length;
  const completion = completionMs(run);
  const requests = sum(run.buckets.map((bucket) => sum(Object.values(run.log[bucket]?.outcomes ?? {}))));
  const throughput = run.results.map((result) => result.ok / Math.max(0.001, (result.endedAt - result.startedAt) / 1000));
  return [
    variant.label,
    seconds(completion),
    times(completion / ((1000 * calls) / ratePerSec)),
    upMs === undefined ? 'n/a' : times(completion / upMs),
    withoutMs === undefined ? 'n/a' : times(completion / withoutMs),
    count(calls - sum(run.results.map((result) => result.ok))),
    topCodes(fleetCodes(run.results)),
    times(requests / calls),
    fixed(jainIndex(throughput), 3),
    busyText(run.machineBusy),
  ];
}
