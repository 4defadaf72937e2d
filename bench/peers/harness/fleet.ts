/**
 * A fleet: N client processes of one variant, as N replicas of a service
 * sharing one OBS endpoint. They are started together, each builds its own
 * client (its own bucket tags its requests), and loads start at the same
 * instant in every process.
 */
import type { FixedResult, LoopResult } from '../client/client-protocol.js';
import { OBJECT_BYTES } from '../cli/sizes.js';
import type { ClientVariant } from '../clients.js';
import type { ScenarioSpec } from '../server/scenario-spec.js';
import type { RequestLog } from '../server/server-protocol.js';
import { OBJECT_KEY, type BenchContext } from './bench-context.js';
import { ClientWorker } from './client-worker.js';

/** Lead time for N processes to receive their start message before the common start. */
const FLEET_LEAD_MS = 150;

/** The results of one fleet run: per process, in process order, with the server's log. */
export interface FleetRun<T> {
  results: T[];
  buckets: string[];
  log: RequestLog;
  origin: number;
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
    const settled = await Promise.allSettled(buckets.map((bucket) => ClientWorker.start(`fleet ${bucket}`)));
    const workers = settled.flatMap((entry) => (entry.status === 'fulfilled' ? [entry.value] : []));
    const failure = settled.find((entry) => entry.status === 'rejected');
    if (failure !== undefined) {
      for (const worker of workers) worker.close();
      throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
    }
    return new Fleet(ctx, variant, workers, buckets);
  }

  /** Every process makes `calls` GETs with `concurrency` in flight, against the server armed with `scenarios`. */
  async fixed(scenarios: ScenarioSpec[], calls: number, concurrency: number, deadlineMs: number): Promise<FleetRun<FixedResult>> {
    await this.open(concurrency);
    const origin = Date.now() + FLEET_LEAD_MS;
    await this.ctx.server.arm(scenarios, origin);
    const done = this.workers.map(() => 0);
    const results = await Promise.all(
      this.workers.map((worker, index) =>
        worker.fixed({ mode: 'fixed', calls, concurrency, startAt: origin, deadlineMs }, (count) => {
          done[index] = count;
          this.ctx.progress.update(done.reduce((a, b) => a + b, 0), calls * this.workers.length, 'calls');
        }),
      ),
    );
    return this.finish(results, origin);
  }

  /** Every process runs `callers` tight-loop callers across the windows `scenarios(origin)` places. */
  async loop(
    scenarios: (origin: number) => ScenarioSpec[],
    load: { callers: number; healAfterMs: number; hardEndAfterMs: number; settleMs: number },
  ): Promise<FleetRun<LoopResult>> {
    await this.open(load.callers);
    const origin = Date.now() + FLEET_LEAD_MS;
    await this.ctx.server.arm(scenarios(origin), origin);
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
          },
          (done, total) => {
            this.ctx.progress.update(done, total, 'ms');
          },
        ),
      ),
    );
    return this.finish(results, origin);
  }

  /** Lets every process exit. */
  close(): void {
    for (const worker of this.workers) worker.close();
  }

  private async open(sockets: number): Promise<void> {
    await Promise.all(this.workers.map((worker, index) => worker.open(this.ctx.specOf(this.variant, { bucket: this.buckets[index] ?? '', sockets, urlStyle: 'relative' }))));
  }

  private async finish<T>(results: T[], origin: number): Promise<FleetRun<T>> {
    const log = await this.ctx.server.collect();
    await Promise.all(this.workers.map((worker) => worker.drop()));
    return { results, buckets: this.buckets, log, origin };
  }
}
