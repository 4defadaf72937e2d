/**
 * fleet: N processes of the same client, as N replicas of a service, against
 * one endpoint, once per process count (`--fleet-processes`). First a shared
 * rate limit (each process makes its calls; together they should finish near
 * the ideal, without amplifying the load, and share the rate fairly: Jain's
 * index over per-process throughput). Then a shared outage: what the dead
 * endpoint receives from all of them. Variants with the Redis fleet store
 * also run the shared limit with redis-server killed mid-run
 * (`fleet-store-kill.ts`).
 */
import type { BenchContext } from '../harness/bench-context.js';
import { seconds, count } from '../report/format.js';
import { fleetAtSize } from './fleet-size.js';
import type { ScenarioReport } from './scenario-report.js';

/** Runs the fleet scenario for every fleet variant and process count. */
export async function fleetScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { processes, ratePerSec, burst, callsPerProcess, concurrencyPerProcess, outageCallersPerProcess } = ctx.sizes.fleet;
  const { healthyMs, outageMs } = ctx.sizes.outage;
  const report: ScenarioReport = {
    title: `fleet: ${processes.join(' and ')} processes sharing one endpoint`,
    description:
      `N client processes of the same variant (N = ${processes.join(', ')}). Shared throttle: ${String(ratePerSec)} req/s for all of them (burst ${String(burst)}), ` +
      `${count(callsPerProcess)} GETs per process at ${String(concurrencyPerProcess)} in flight; ideal completion N × ${seconds((1000 * callsPerProcess) / ratePerSec)}; Jain's index over per-process calls/s (1 = perfectly fair). ` +
      `Shared outage: ${String(outageCallersPerProcess)} tight-loop callers per process, ${seconds(healthyMs)} healthy, ${seconds(outageMs)} InternalError, then healed; ` +
      "the callers in flight at the outage's start (counted in each process) are a floor: each sends its next request before any answer from the dead endpoint can be known. " +
      'Store variants (`store: { redis: true }`: an ioredis client and `createRedisStore` per process, on a redis-server the benchmark starts on a free loopback port, one key prefix per run) ' +
      'also run the shared throttle with redis-server killed (SIGKILL) at 1/3 of the ideal time and restarted empty at 2/3. ' +
      'No limit: bare axios and every fleet variant first run the same calls with nothing armed, on the same number of fresh processes; its completion ÷ the ideal is the share of the ideal the machine itself takes (every process, the server and Redis share its cores, and a shared host also varies from run to run), so a paced fleet on this machine cannot finish faster than that. ' +
      "Before each load, every process opens its sockets (one GET on each at once, on a server with no scenario armed), so a load measures the pacing, not 256 connections opened in the same millisecond on the local server.",
    tables: [],
    figures: [],
    notes: [],
  };
  for (const size of processes) {
    const part = await fleetAtSize(ctx, size);
    report.tables.push(...part.tables);
    report.figures.push(...part.figures);
    report.notes.push(...part.notes);
  }
  return report;
}
