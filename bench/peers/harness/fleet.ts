/**
 * A fleet: N client processes of one variant, as N replicas of a service
 * sharing one OBS endpoint. They are started together, each builds its own
 * client (its own bucket tags its requests), and loads start at the same
 * instant in every process. A store variant's processes share one key
 * prefix per run, and a load starts once all of them listen for news.
 */
import type { FixedResult, LoopResult } from '../client/client-protocol.js';
import { OBJECT_BYTES } from '../cli/sizes.js';
import type { ClientVariant } from '../clients.js';
import type { ScenarioSpec } from '../server/scenario-spec.js';
import type { RequestLog } from '../server/server-protocol.js';
import { freshStorePrefix, wantsRedisStore } from '../store/store-spec.js';
import { waitForSubscribers } from '../store/subscribers.js';
import { OBJECT_KEY, type BenchContext } from './bench-context.js';
import { ClientWorker } from './client-worker.js';
import { busyShareBetween, machineCpuTimes, type CpuTimes } from './machine-cpu.js';

/** Lead time for N processes to receive their start message before the common start. */
const FLEET_LEAD_MS = 150;

/** Processes started at once. */
const START_BATCH = 8;

/** The results of one fleet run: per process, in process order, with the server's log. */
export interface FleetRun<T> {
  results: T[];
  buckets: string[];
  log: RequestLog;
  origin: number;
  /** Share of all the machine's cores busy from the load's origin to its last result (`null`: unknown). */
  machineBusy: number | null;
}

/** Something the parent does during a load, `afterMs` after its origin (kill the store, restart it). */
export interface FleetAction {
  afterMs: number;
  run: () => Promise<void>;
}

/** N processes of one variant. */
export class Fleet {
  private constructor(
    private readonly ctx: BenchContext,
    private readonly variant: ClientVariant,
    private readonly workers: ClientWorker[],
    /** The bucket (request tag) of each process. */
    readonly buckets: string[],
  ) {}

  /** Starts `size` processes of `variant`. */
  static async start(ctx: BenchContext, variant: ClientVariant, size: number): Promise<Fleet> {
    const buckets = Array.from({ length: size }, (_, index) => `fleet-${variant.id}-${String(index + 1)}`);
    for (const bucket of buckets) await ctx.server.seed(bucket, OBJECT_KEY, OBJECT_BYTES);
    // In batches: dozens of processes loading tsx at once on 2 cores would miss their ready timeout.
    const settled: PromiseSettledResult<ClientWorker>[] = [];
    for (let first = 0; first < buckets.length; first += START_BATCH) {
      settled.push(...(await Promise.allSettled(buckets.slice(first, first + START_BATCH).map((bucket) => ClientWorker.start(`fleet ${bucket}`)))));
    }
    const workers = settled.flatMap((entry) => (entry.status === 'fulfilled' ? [entry.value] : []));
    const failure = settled.find((entry) => entry.status === 'rejected');
    if (failure !== undefined) {
      for (const worker of workers) worker.close();
      throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
    }
    return new Fleet(ctx, variant, workers, buckets);
  }

  /**
   * Every process makes `calls` GETs with `concurrency` in flight, against the
   * server armed with `scenarios`; `actions` run at their times meanwhile.
   */
  async fixed(scenarios: ScenarioSpec[], calls: number, concurrency: number, deadlineMs: number, actions: readonly FleetAction[] = []): Promise<FleetRun<FixedResult>> {
    await this.open(concurrency);
    const origin = Date.now() + FLEET_LEAD_MS;
    await this.ctx.server.arm(scenarios, origin);
    const busy = busySince(origin);
    const acted = actions.map(
      (action) =>
        new Promise<void>((resolve, reject) => {
          setTimeout(() => {
            action.run().then(resolve, reject);
          }, Math.max(0, origin + action.afterMs - Date.now()));
        }),
    );
    const done = this.workers.map(() => 0);
    const results = await Promise.all(
      this.workers.map((worker, index) =>
        worker.fixed({ mode: 'fixed', calls, concurrency, startAt: origin, deadlineMs }, (count) => {
          done[index] = count;
          this.ctx.progress.update(done.reduce((a, b) => a + b, 0), calls * this.workers.length, 'calls');
        }),
      ),
    );
    const machineBusy = busy();
    await Promise.all(acted);
    return this.finish(results, origin, machineBusy);
  }

  /** Every process runs `callers` tight-loop callers across the windows `scenarios(origin)` places. */
  async loop(
    scenarios: (origin: number) => ScenarioSpec[],
    load: { callers: number; healAfterMs: number; hardEndAfterMs: number; settleMs: number; markAfterMs?: number },
  ): Promise<FleetRun<LoopResult>> {
    await this.open(load.callers);
    const origin = Date.now() + FLEET_LEAD_MS;
    await this.ctx.server.arm(scenarios(origin), origin);
    const busy = busySince(origin);
    const results = await Promise.all(
      this.workers.map((worker) =>
        worker.loop(
          {
            mode: 'loop',
            callers: load.callers,
            startAt: origin,
            healAt: origin + load.healAfterMs,
            hardEndAt: origin + load.hardEndAfterMs,
            settleMs: load.settleMs,
            maxCalls: 50_000_000,
            ...(load.markAfterMs === undefined ? {} : { markAt: origin + load.markAfterMs }),
          },
          (done, total) => {
            this.ctx.progress.update(done, total, 'ms');
          },
        ),
      ),
    );
    return this.finish(results, origin, busy());
  }

  /** Lets every process exit. */
  close(): void {
    for (const worker of this.workers) worker.close();
  }

  private async open(sockets: number): Promise<void> {
    const storePrefix = freshStorePrefix();
    const specs = this.buckets.map((bucket) => this.ctx.specOf(this.variant, { bucket, sockets, urlStyle: 'relative', storePrefix }));
    await Promise.all(this.workers.map((worker, index) => (specs[index] === undefined ? Promise.resolve() : worker.open(specs[index]))));
    // Connected before the load, on a server with no scenario armed (nothing to learn from): the load
    // measures the pacing, not a connect storm on the local server.
    await this.ctx.server.arm([], Date.now());
    await Promise.all(this.workers.map((worker) => worker.warm(sockets)));
    const store = specs[0]?.store;
    if (store !== undefined && wantsRedisStore(this.variant.options)) await waitForSubscribers(store, this.workers.length);
  }

  private async finish<T>(results: T[], origin: number, machineBusy: number | null): Promise<FleetRun<T>> {
    const log = await this.ctx.server.collect();
    await Promise.all(this.workers.map((worker) => worker.drop()));
    return { results, buckets: this.buckets, log, origin, machineBusy };
  }
}

/** Reads the machine's CPU times at `origin`; the function returned gives the busy share since then. */
function busySince(origin: number): () => number | null {
  let before: CpuTimes | undefined;
  const timer = setTimeout(() => {
    before = machineCpuTimes();
  }, Math.max(0, origin - Date.now()));
  return () => {
    clearTimeout(timer);
    return before === undefined ? null : busyShareBetween(before, machineCpuTimes());
  };
}
