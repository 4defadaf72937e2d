/**
 * The local OBS server: `node:http` on 127.0.0.1 that answers like OBS
 * (virtual-hosted and path-style CRUD, append and multipart upload on an
 * in-memory store, 501 NotImplemented for the sub-resources it does not model,
 * Content-MD5 checks, XML errors with request ids), scriptable per request (queued steps, then scenarios, then the
 * store), recording what it received, and closing cleanly: no open handles.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AuthGate } from './auth/auth-gate.js';
import { BodyCollector } from './body-digest.js';
import { bucketHandle, type ObsBucketHandle } from './bucket-handle.js';
import { applyCors, corsPolicy, type CorsPolicy } from './cors.js';
import { ObjectStore } from './object-store.js';
import { passesFilter, recordOf, type RecordedRequest, type RequestFilter } from './recorded-request.js';
import { RequestPipeline } from './request-pipeline.js';
import { activate, type ActiveScenario, type ObsScenario } from './scenarios.js';
import type { ObsServerOptions } from './server-options.js';
import { StepQueue } from './step-queue.js';
import type { ObsServerStep } from './steps.js';
import { resetSocket } from './transport-faults.js';

export type { ObsServerOptions } from './server-options.js';

/** OBS's smallest part (every part but the last of a multipart upload): 100 KiB. */
const OBS_MIN_PART_BYTES = 100 * 1024;

function ignore(): void {
  // Errors of a connection the client broke are the client's story, not the server's.
}

/** A running local OBS server; start one with {@link createObsServer}. */
export class ObsTestServer {
  /** Every request received, in arrival order (cleared by `reset()` / `clearRecords()`). */
  readonly requests: RecordedRequest[] = [];
  private readonly store: ObjectStore;
  private readonly queue = new StepQueue();
  private readonly scenarios: ActiveScenario[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<Socket>();
  private readonly now: () => number;
  private readonly cors: CorsPolicy | undefined;
  private readonly pipeline: RequestPipeline;
  /** The longest request body kept whole; longer ones are only hashed. */
  private readonly keepBodiesUpTo: number;
  private closing: Promise<void> | undefined;
  private portNumber = 0;
  /** Arrival counter; never reset, so `seq` stays unique across `reset()`. */
  private seq = 0;

  /**
   * Wraps an `http.Server` that is not listening yet; {@link createObsServer}
   * does this and `listen` for you.
   */
  constructor(
    private readonly server: http.Server,
    options: ObsServerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.cors = corsPolicy(options.cors);
    this.keepBodiesUpTo = options.keepBodiesUpTo ?? Number.POSITIVE_INFINITY;
    if (!(this.keepBodiesUpTo >= 0)) throw new TypeError('keepBodiesUpTo must be a number of bytes ≥ 0');
    this.store = new ObjectStore(this.now);
    this.pipeline = new RequestPipeline({
      store: this.store,
      queue: this.queue,
      scenarios: this.scenarios,
      timers: this.timers,
      now: this.now,
      autoCreateBuckets: options.autoCreateBuckets ?? true,
      minPartBytes: options.minPartBytes ?? OBS_MIN_PART_BYTES,
      auth: options.credentials === undefined ? undefined : new AuthGate(options.credentials, this.now, options.maxSkewMs),
    });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', ignore);
    });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (this.cors !== undefined && applyCors(this.cors, req, res)) return;
      this.receive(req, res);
    });
    // Unparsable requests (bad request lines, headers over Node's limit) get Node's own
    // 400/431 from its default 'clientError' handling, which is what a real server does.
  }

  /** Starts listening on 127.0.0.1 (`port` 0: any free port). */
  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.portNumber = (this.server.address() as AddressInfo).port;
  }

  /** The port it listens on. */
  get port(): number {
    return this.portNumber;
  }

  /** `http://127.0.0.1:<port>`: the path-style base URL. */
  get url(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  /** Same as `url`: the server's origin. */
  get origin(): string {
    return this.url;
  }

  /** How many scripted answers are still queued (`times` counted; `Infinity` for endless steps). */
  get pendingSteps(): number {
    return this.queue.pending;
  }

  /** Queues scripted answers; each is consumed by the next request matching its `match`. */
  enqueue(...steps: ObsServerStep[]): void {
    this.queue.push(steps);
  }

  /** Adds persistent behaviours (throttle, outage, custom), active until `clearScenarios()`; their clocks start now. */
  scenario(...scenarios: ObsScenario[]): void {
    for (const scenario of scenarios) this.scenarios.push(activate(scenario, this.now()));
  }

  /** Removes every scenario. */
  clearScenarios(): void {
    this.scenarios.length = 0;
  }

  /** Clears queued steps, scenarios and recorded requests; with `clearStore`, also every bucket, object and multipart upload. */
  reset(clearStore = false): void {
    this.queue.clear();
    this.clearScenarios();
    this.clearRecords();
    if (clearStore) this.store.clear();
  }

  /** Forgets the recorded requests only (long runs call it between batches to bound memory). */
  clearRecords(): void {
    this.requests.length = 0;
  }

  /** A handle on one bucket's objects, for seeding and checking (the bucket need not exist yet). */
  bucket(name: string): ObsBucketHandle {
    return bucketHandle(this.store, name);
  }

  /** Stores an object, creating its bucket. */
  putObject(bucket: string, key: string, body: Buffer | string, contentType?: string): void {
    this.bucket(bucket).put(key, body, contentType);
  }

  /** A stored object's body, or `undefined`. */
  getObject(bucket: string, key: string): Buffer | undefined {
    return this.store.get(bucket, key)?.body;
  }

  /** Creates an empty bucket (no-op when it exists). */
  createBucket(bucket: string): void {
    this.store.createBucket(bucket);
  }

  /** Deletes every object of a bucket and aborts its multipart uploads; the bucket stays (long runs bound the store with it). */
  emptyBucket(bucket: string): void {
    this.store.empty(bucket);
  }

  /** Counts recorded requests, optionally only those passing `filter` (a match or a predicate). */
  countRequests(filter?: RequestFilter): number {
    return this.requests.filter((request) => passesFilter(filter, request)).length;
  }

  /**
   * Stops listening and destroys every connection, idle keep-alive and
   * hanging ones included, so no handle outlives the test. Idempotent: every
   * call returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      // The callback gets an error when the server never listened; closed is closed either way.
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  /** Reads the whole body, records the request, then answers it. */
  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const socket = req.socket;
    req.on('error', ignore);
    res.on('error', ignore);
    if (this.closing !== undefined) {
      resetSocket(socket);
      return;
    }
    const collector = new BodyCollector(this.keepBodiesUpTo);
    req.on('data', (chunk: Buffer) => {
      collector.add(chunk);
    });
    req.on('end', () => {
      const { body, digest } = collector.finish();
      const record = recordOf(req, body, ++this.seq, this.now(), digest);
      this.requests.push(record);
      this.pipeline.admit(record, res, socket);
    });
  }
}

/**
 * Starts a local OBS server on 127.0.0.1.
 * @example
 * const obs = await createObsServer();
 * obs.bucket('photos').put('cat.jpg', 'meow', 'image/jpeg');
 * obs.enqueue({ error: 'SlowDown' }, { reset: 'before-head' });
 * const client = axios.create({ baseURL: obs.url }); // path style: /photos/cat.jpg
 * // …
 * await obs.close();
 */
export async function createObsServer(options: ObsServerOptions = {}): Promise<ObsTestServer> {
  const server = new ObsTestServer(http.createServer({ keepAliveTimeout: 5000 }), options);
  await server.listen(options.port ?? 0);
  return server;
}
