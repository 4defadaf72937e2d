/**
 * What every scenario works with: the sizes, the variants, the OBS server
 * process, one client process per variant (started on first use, reused with
 * a fresh client per run), and the two run shapes every scenario is made of:
 * a fixed load and a loop load, each against a freshly armed server.
 */
import type { ClientSpec, FixedResult, LoopResult } from '../client/client-protocol.js';
import type { Sizes } from '../cli/sizes.js';
import { ATTEMPT_TIMEOUT_MS, OBJECT_BYTES } from '../cli/sizes.js';
import type { ClientVariant } from '../clients.js';
import type { Progress } from '../progress.js';
import type { ScenarioSpec } from '../server/scenario-spec.js';
import type { TagLog } from '../server/server-protocol.js';
import type { BenchRedis } from '../store/bench-redis.js';
import { freshStorePrefix, wantsRedisStore } from '../store/store-spec.js';
import { ClientWorker } from './client-worker.js';
import { measuredEntry } from './dist-snapshot.js';
import type { ServerHandle } from './server-handle.js';

/** The object every client GETs (in its own bucket). */
export const OBJECT_KEY = 'object-1k';

/** Lead time between arming the server and the load's start, so both sides begin on the same origin. */
const START_LEAD_MS = 50;

/** A run's result with what the server saw of it, or why it could not run. */
export type RunOutcome<T> = { result: T; log: TagLog; origin: number } | { error: string };

/** How a client is set up for one run. */
export interface ClientSetup {
  bucket: string;
  sockets: number;
  urlStyle: 'relative' | 'absolute';
  /** The fleet store's key prefix, shared by the processes of one fleet run; default: a fresh one. */
  storePrefix?: string;
}

const EMPTY_LOG: TagLog = { times: [], outcomes: {} };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The shared state of a benchmark run. */
export class BenchContext {
  private readonly workers = new Map<string, ClientWorker>();

  constructor(
    readonly sizes: Sizes,
    readonly variants: readonly ClientVariant[],
    readonly server: ServerHandle,
    readonly progress: Progress,
    /** The Redis of the fleet-store variants (started only when one of them runs). */
    readonly redis?: BenchRedis,
  ) {}

  /** The client spec of `variant` for one run. */
  specOf(variant: ClientVariant, setup: ClientSetup): ClientSpec {
    return {
      kind: variant.kind,
      options: variant.options ?? {},
      origin: this.server.origin,
      bucket: setup.bucket,
      key: OBJECT_KEY,
      sockets: setup.sockets,
      urlStyle: setup.urlStyle,
      timeoutMs: ATTEMPT_TIMEOUT_MS,
      distEntry: measuredEntry(),
      ...(wantsRedisStore(variant.options) && this.redis !== undefined ? { store: { url: this.redis.url, prefix: setup.storePrefix ?? freshStorePrefix() } } : {}),
    };
  }

  /** The bucket (request tag) of a variant. */
  bucketOf(variant: ClientVariant): string {
    return `peer-${variant.id}`;
  }

  /** The variant's client process, started on first use. */
  async workerOf(variant: ClientVariant): Promise<ClientWorker> {
    let worker = this.workers.get(variant.id);
    if (worker === undefined) {
      worker = await ClientWorker.start(`client ${variant.id}`);
      this.workers.set(variant.id, worker);
    }
    return worker;
  }

  /** A variant's process is unusable (it crashed or hung): forget it, a later run starts a new one. */
  discard(variant: ClientVariant): void {
    this.workers.get(variant.id)?.close();
    this.workers.delete(variant.id);
  }

  /** Opens a fresh client of `variant` with its bucket seeded; returns its process. */
  async openClient(variant: ClientVariant, setup: ClientSetup): Promise<ClientWorker> {
    await this.server.seed(setup.bucket, OBJECT_KEY, OBJECT_BYTES);
    const worker = await this.workerOf(variant);
    await worker.open(this.specOf(variant, setup));
    return worker;
  }

  /**
   * One fixed-load run: fresh client, server armed with `scenarios`, `calls`
   * GETs at `concurrency`, then the server's log of this client's requests.
   */
  async runFixed(
    variant: ClientVariant,
    scenarios: ScenarioSpec[],
    load: { calls: number; concurrency: number; deadlineMs: number; urlStyle?: 'relative' | 'absolute' },
  ): Promise<RunOutcome<FixedResult>> {
    const bucket = this.bucketOf(variant);
    try {
      const worker = await this.openClient(variant, { bucket, sockets: load.concurrency, urlStyle: load.urlStyle ?? 'relative' });
      const origin = Date.now() + START_LEAD_MS;
      await this.server.arm(scenarios, origin);
      const result = await worker.fixed({ mode: 'fixed', calls: load.calls, concurrency: load.concurrency, startAt: origin, deadlineMs: load.deadlineMs }, (done, total) => {
        this.progress.update(done, total, 'calls');
      });
      const log = (await this.server.collect())[bucket] ?? EMPTY_LOG;
      await worker.drop();
      return { result, log, origin };
    } catch (error) {
      this.discard(variant);
      return { error: messageOf(error) };
    }
  }

  /**
   * One loop-load run: fresh client, server armed with `scenarios` on the
   * given `origin` (the caller placed its windows on it), callers from it.
   */
  async runLoop(
    variant: ClientVariant,
    scenarios: (origin: number) => ScenarioSpec[],
    load: { callers: number; healAfterMs: number; hardEndAfterMs: number; settleMs: number },
  ): Promise<RunOutcome<LoopResult>> {
    const bucket = this.bucketOf(variant);
    try {
      const worker = await this.openClient(variant, { bucket, sockets: load.callers, urlStyle: 'relative' });
      const origin = Date.now() + START_LEAD_MS;
      await this.server.arm(scenarios(origin), origin);
      const result = await worker.loop(
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
          this.progress.update(done, total, 'ms');
        },
      );
      const log = (await this.server.collect())[bucket] ?? EMPTY_LOG;
      await worker.drop();
      return { result, log, origin };
    } catch (error) {
      this.discard(variant);
      return { error: messageOf(error) };
    }
  }

  /** Lets every client process exit. */
  closeAll(): void {
    for (const worker of this.workers.values()) worker.close();
    this.workers.clear();
  }
}
