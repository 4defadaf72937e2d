/**
 * The local OBS server: `node:http` on 127.0.0.1 that answers like OBS
 * (virtual-hosted and path-style CRUD on an in-memory store, XML errors with
 * request ids), scriptable per request (queued steps, then scenarios, then the
 * store), recording what it received, and closing cleanly: no open handles.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AuthGate } from './auth/auth-gate.js';
import type { ObsServerCredentials } from './auth/verdict.js';
import { bucketHandle, type ObsBucketHandle } from './bucket-handle.js';
import { applyCors, corsPolicy, type CorsOption, type CorsPolicy } from './cors.js';
import { ObjectStore } from './object-store.js';
import { passesFilter, recordOf, type RecordedRequest, type RequestFilter } from './recorded-request.js';
import { renderStep } from './render-step.js';
import { errorReply, writeReply, type Reply } from './reply.js';
import { activate, scenarioAnswer, type ActiveScenario, type ObsScenario } from './scenarios.js';
import { StepQueue } from './step-queue.js';
import { serveFromStore } from './store-routes.js';
import type { ObsServerStep } from './steps.js';
import { playReset, resetSocket } from './transport-faults.js';

/** Options of {@link createObsServer}. */
export interface ObsServerOptions {
  /** Port to listen on (on 127.0.0.1). @default 0: any free port */
  port?: number | undefined;
  /** The server clock (ms): scenarios' time, `receivedAt`, and stored objects' times. @default Date.now */
  now?: (() => number) | undefined;
  /** Create a missing bucket on the first PUT/POST of an object into it; `false`: 404 NoSuchBucket. @default true */
  autoCreateBuckets?: boolean | undefined;
  /**
   * Answer CORS preflights and expose the OBS headers on every answer, for pages on another
   * origin: `true` for any origin, `{ origins }` for those only. Preflights are not recorded. @default false
   */
  cors?: CorsOption | undefined;
  /**
   * Check signatures as OBS does: every request must be signed with this key pair (OBS or AWS V4,
   * header or presigned URL), else 403 AccessDenied / InvalidAccessKeyId / SignatureDoesNotMatch /
   * RequestTimeTooSkewed, answered before any step or scenario. @default none: no checks
   */
  credentials?: ObsServerCredentials | undefined;
  /** With `credentials`: largest distance (ms) between a request's date and `now` before RequestTimeTooSkewed. @default 900000 (15 min) */
  maxSkewMs?: number | undefined;
}

/** `setTimeout` fires at once for delays beyond this; longer delays are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function ignore(): void {
  // Errors of a connection the client broke are the client's story, not the server's.
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  private readonly autoCreateBuckets: boolean;
  private readonly cors: CorsPolicy | undefined;
  private readonly auth: AuthGate | undefined;
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
    this.autoCreateBuckets = options.autoCreateBuckets ?? true;
    this.cors = corsPolicy(options.cors);
    this.auth = options.credentials === undefined ? undefined : new AuthGate(options.credentials, this.now, options.maxSkewMs);
    this.store = new ObjectStore(this.now);
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

  /** Clears queued steps, scenarios and recorded requests; with `clearStore`, also every bucket and object. */
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

  /** Deletes every object of a bucket; the bucket stays (long runs bound the store with it). */
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
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record = recordOf(req, Buffer.concat(chunks), ++this.seq, this.now());
      this.requests.push(record);
      this.admit(record, res, socket);
    });
  }

  /** With `credentials`, checks the signature first (in arrival order) and answers a refusal itself. */
  private admit(record: RecordedRequest, res: http.ServerResponse, socket: Socket): void {
    if (this.auth === undefined) {
      this.dispatch(record, res, socket);
      return;
    }
    void this.auth
      .check(record)
      .then((denial) => {
        if (denial === undefined) this.dispatch(record, res, socket);
        else if (!socket.destroyed && !res.writableEnded) this.send(record, res, denial);
      })
      .catch((error: unknown) => {
        this.fail(record, res, socket, error);
      });
  }

  /** Picks the step (queue first, then scenarios) and answers now or after its delay. */
  private dispatch(record: RecordedRequest, res: http.ServerResponse, socket: Socket): void {
    let step: ObsServerStep | undefined;
    try {
      step = this.queue.take(record) ?? this.scenarioStep(record);
    } catch (error) {
      this.fail(record, res, socket, error);
      return;
    }
    const delay = Math.min(step?.delayMs ?? 0, MAX_TIMER_MS);
    if (!(delay > 0)) {
      this.answer(record, step, res, socket);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.answer(record, step, res, socket);
    }, delay);
    this.timers.add(timer);
  }

  private scenarioStep(record: RecordedRequest): ObsServerStep | undefined {
    const now = this.now();
    for (const active of this.scenarios) {
      const answer = scenarioAnswer(active, now, record);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  private answer(record: RecordedRequest, step: ObsServerStep | undefined, res: http.ServerResponse, socket: Socket): void {
    // The client may have given up during a delay: nothing to answer.
    if (socket.destroyed || res.writableEnded) return;
    try {
      if (step !== undefined && 'reset' in step) {
        record.response = 'reset';
        playReset(step, res, socket);
      } else if (step !== undefined && 'hang' in step) {
        record.response = 'hang';
      } else if (step === undefined || 'ok' in step) {
        this.send(record, res, serveFromStore(this.store, record, { autoCreateBuckets: this.autoCreateBuckets }));
      } else {
        this.send(record, res, renderStep(step, record));
      }
    } catch (error) {
      this.fail(record, res, socket, error);
    }
  }

  private send(record: RecordedRequest, res: http.ServerResponse, reply: Reply): void {
    record.response = reply.code === undefined ? { status: reply.status } : { status: reply.status, code: reply.code };
    writeReply(res, reply, record.method === 'HEAD');
  }

  /**
   * A step that cannot be played (a custom scenario that throws, a header value
   * Node refuses) becomes a 500 InternalError naming the problem, so the test
   * sees it rather than a crashed process; if the head is already out, a reset.
   */
  private fail(record: RecordedRequest, res: http.ServerResponse, socket: Socket, error: unknown): void {
    if (res.headersSent) {
      record.response = 'reset';
      resetSocket(socket);
      return;
    }
    try {
      this.send(record, res, errorReply({ error: 'InternalError', message: `Local OBS server: ${messageOf(error)}` }, record));
    } catch {
      record.response = 'reset';
      resetSocket(socket);
    }
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
