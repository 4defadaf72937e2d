/**
 * The local OBS server: `node:http` on 127.0.0.1 that answers like OBS
 * (virtual-hosted and path-style object CRUD on an in-memory store, XML errors
 * with `x-obs-request-id`), scriptable per request, recording what it received,
 * and closing cleanly (no open handles).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ObjectStore, type StoredObject } from './object-store.js';
import { catalogEntry, errorJson, errorXml, newHostId, newRequestId, xmlEscape } from './obs-responses.js';
import { activate, scenarioAnswer, type ActiveScenario, type ObsScenario } from './scenarios.js';
import { stepMatches, type ErrorStep, type ObsServerStep } from './steps.js';

/** Options of `createObsServer`. */
export interface ObsServerOptions {
  /** Port to listen on. @default 0 (any free port) */
  port?: number | undefined;
  /** The clock of scenarios (throttle, outage). @default Date.now */
  now?: (() => number) | undefined;
  /** Create a bucket on the first PUT/POST of an object into it. @default true */
  autoCreateBuckets?: boolean | undefined;
}

/** How the server answered a recorded request. */
export type RecordedResponse = { status: number; code?: string | undefined } | 'reset' | 'hang';

/** One request as the server received it. */
export interface RecordedRequest {
  /** 1-based arrival number, unique for the server's lifetime. */
  seq: number;
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  query: URLSearchParams;
  /** The Host header. */
  host: string;
  bucket: string;
  key: string;
  /** Headers, lower-cased names. */
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  receivedAt: number;
  response?: RecordedResponse | undefined;
}

interface Queued {
  step: ObsServerStep;
  remaining: number;
}

function isIpOrLocal(hostname: string): boolean {
  return hostname === 'localhost' || hostname.startsWith('[') || /^\d+(\.\d+){3}$/.test(hostname) || !hostname.includes('.');
}

/** Splits a request into bucket and key, virtual-hosted or path-style. */
function address(host: string, path: string): { bucket: string; key: string } {
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Keep the raw path.
  }
  if (!isIpOrLocal(hostname)) return { bucket: hostname.split('.')[0] ?? '', key: decoded.replace(/^\//, '') };
  const [, bucket = '', ...rest] = decoded.split('/');
  return { bucket, key: rest.join('/') };
}

/** A running local OBS server. */
export class ObsTestServer {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly store = new ObjectStore();
  private readonly queue: Queued[] = [];
  private readonly scenarios: ActiveScenario[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<Socket>();
  private readonly now: () => number;
  private readonly autoCreate: boolean;
  private closed: Promise<void> | undefined;
  private portNumber = 0;
  /** Arrival counter; never reset, so `seq` stays unique across `clearRecords()`. */
  private seqCounter = 0;

  constructor(
    private readonly server: http.Server,
    options: ObsServerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.autoCreate = options.autoCreateBuckets ?? true;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    server.on('request', (req, res) => {
      this.receive(req, res);
    });
    server.on('clientError', (_error, socket) => {
      socket.destroy();
    });
  }

  /** Starts listening on 127.0.0.1. */
  async listen(port: number): Promise<void> {
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

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${String(this.portNumber)}`;
  }

  /** Same as `url`: the origin of this server. */
  get origin(): string {
    return this.url;
  }

  /** Queues scripted answers, consumed in order by the next matching requests. */
  enqueue(...steps: ObsServerStep[]): void {
    for (const step of steps) this.queue.push({ step, remaining: Math.max(1, step.times ?? 1) });
  }

  /** Adds a persistent behaviour (throttle, outage) until `clearScenarios()`. */
  scenario(...scenarios: ObsScenario[]): void {
    for (const scenario of scenarios) this.scenarios.push(activate(scenario, this.now()));
  }

  /** Removes every scenario. */
  clearScenarios(): void {
    this.scenarios.length = 0;
  }

  /** Clears the queue, scenarios and records; `clearStore` also forgets stored objects. */
  reset(clearStore = false): void {
    this.queue.length = 0;
    this.clearScenarios();
    this.requests.length = 0;
    if (clearStore) this.store.clear();
  }

  /** Forgets the recorded requests only (long runs call it between batches to bound memory). */
  clearRecords(): void {
    this.requests.length = 0;
  }

  /** Stores an object (creating its bucket). */
  putObject(bucket: string, key: string, body: Buffer | string, contentType = 'application/octet-stream'): void {
    this.store.put(bucket, key, Buffer.isBuffer(body) ? body : Buffer.from(body), contentType);
  }

  /** Reads a stored object's body. */
  getObject(bucket: string, key: string): Buffer | undefined {
    return this.store.get(bucket, key)?.body;
  }

  /** Deletes every object of a bucket (long runs bound the store with it). */
  emptyBucket(bucket: string): void {
    this.store.empty(bucket);
  }

  /** Creates an empty bucket. */
  createBucket(bucket: string): void {
    this.store.createBucket(bucket);
  }

  /** Counts recorded requests, optionally only those matching `filter`. */
  countRequests(filter?: { method?: string; path?: string | RegExp; host?: string }): number {
    return this.requests.filter((r) => stepMatches(filter, r.method, r.path, r.host)).length;
  }

  /** Stops listening and destroys every connection (hanging ones included). Idempotent. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closed;
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('end', () => {
      const url = req.url ?? '/';
      const queryAt = url.indexOf('?');
      const path = queryAt < 0 ? url : url.slice(0, queryAt);
      const host = req.headers.host ?? '';
      const record: RecordedRequest = {
        seq: ++this.seqCounter,
        method: (req.method ?? 'GET').toUpperCase(),
        url,
        path,
        query: new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)),
        host,
        ...address(host, path),
        headers: req.headers,
        body: Buffer.concat(chunks),
        receivedAt: this.now(),
      };
      this.requests.push(record);
      const step = this.takeStep(record);
      const delay = step?.delayMs ?? 0;
      if (delay > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.answer(record, step, req, res);
        }, delay);
        this.timers.add(timer);
      } else this.answer(record, step, req, res);
    });
  }

  private takeStep(record: RecordedRequest): ObsServerStep | undefined {
    const index = this.queue.findIndex((q) => stepMatches(q.step.match, record.method, record.path, record.host));
    if (index >= 0) {
      const queued = this.queue[index];
      if (queued !== undefined) {
        queued.remaining--;
        if (queued.remaining <= 0) this.queue.splice(index, 1);
        return queued.step;
      }
    }
    const now = this.now();
    for (const active of this.scenarios) {
      const match = active.scenario.kind === 'custom' ? undefined : active.scenario.match;
      if (!stepMatches(match, record.method, record.path, record.host)) continue;
      const answer = scenarioAnswer(active, now, record);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  private answer(record: RecordedRequest, step: ObsServerStep | undefined, req: http.IncomingMessage, res: http.ServerResponse): void {
    if (res.destroyed || req.socket.destroyed) return;
    if (step === undefined || 'ok' in step) {
      this.serveDefault(record, res);
      return;
    }
    if ('reset' in step) {
      record.response = 'reset';
      if (step.reset === 'before-head') {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { ...this.baseHeaders(), 'content-type': 'application/octet-stream', 'content-length': '1000' });
      res.write('partial body', () => {
        req.socket.destroy();
      });
      return;
    }
    if ('hang' in step) {
      record.response = 'hang';
      return;
    }
    if ('redirect' in step) {
      const code = step.redirect === 307 ? 'TemporaryRedirect' : step.redirect === 301 ? 'PermanentRedirect' : 'Found';
      const headers: Record<string, string> = { ...(step.location !== undefined ? { location: step.location } : {}), ...step.headers };
      this.sendError(record, res, { error: code, status: step.redirect, endpoint: step.endpoint, headers });
      return;
    }
    if ('error' in step) {
      this.sendError(record, res, step);
      return;
    }
    record.response = { status: step.status };
    const body = step.body ?? '';
    res.writeHead(step.status, { ...this.baseHeaders(), 'content-length': String(Buffer.byteLength(body)), ...step.headers });
    res.end(record.method === 'HEAD' ? undefined : body);
  }

  private baseHeaders(amz = false): Record<string, string> {
    const prefix = amz ? 'x-amz' : 'x-obs';
    return { server: 'OBS', date: new Date().toUTCString(), [`${prefix}-request-id`]: newRequestId(), [`${prefix}-id-2`]: newHostId() };
  }

  private sendError(record: RecordedRequest, res: http.ServerResponse, step: ErrorStep): void {
    const entry = catalogEntry(step.error);
    const status = step.status ?? entry.status;
    const headers = this.baseHeaders(step.amz === true);
    const requestId = headers[step.amz === true ? 'x-amz-request-id' : 'x-obs-request-id'] ?? newRequestId();
    const message = step.message ?? entry.message;
    if (step.location !== undefined) headers.location = step.location;
    if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter);
    record.response = { status, code: step.error };
    const bodyless = step.bodyless === true || record.method === 'HEAD';
    let body = '';
    if (bodyless) {
      headers['x-obs-error-code'] = step.error;
      headers['x-obs-error-message'] = message.replace(/[^\x20-\x7e]/g, ' ');
    } else {
      const fields = { code: step.error, message, requestId, hostId: newHostId(), bucket: record.bucket || undefined, key: record.key || undefined, endpoint: step.endpoint };
      body = step.json === true ? errorJson(fields) : errorXml(fields);
      headers['content-type'] = step.json === true ? 'application/json' : 'application/xml';
    }
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)), ...step.headers });
    res.end(bodyless ? undefined : body);
  }

  private sendObject(record: RecordedRequest, res: http.ServerResponse, object: StoredObject): void {
    record.response = { status: 200 };
    res.writeHead(200, {
      ...this.baseHeaders(),
      'content-type': object.contentType,
      'content-length': String(object.body.length),
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
    });
    res.end(record.method === 'HEAD' ? undefined : object.body);
  }

  private sendOk(record: RecordedRequest, res: http.ServerResponse, status: number, body = '', extra: Record<string, string> = {}): void {
    record.response = { status };
    const headers: Record<string, string> = { ...this.baseHeaders(), 'content-length': String(Buffer.byteLength(body)), ...extra };
    if (body !== '') headers['content-type'] ??= 'application/xml';
    res.writeHead(status, headers);
    res.end(record.method === 'HEAD' ? undefined : body);
  }

  /** The OBS-like behaviour of an unscripted request. */
  private serveDefault(record: RecordedRequest, res: http.ServerResponse): void {
    const { method, bucket, key } = record;
    if (bucket === '') {
      this.sendOk(record, res, 200, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ListAllMyBucketsResult/>');
      return;
    }
    if (key === '') {
      this.serveBucket(record, res);
      return;
    }
    const writes = method === 'PUT' || method === 'POST';
    if (!this.store.hasBucket(bucket) && !(writes && this.autoCreate)) {
      this.sendError(record, res, { error: 'NoSuchBucket' });
      return;
    }
    switch (method) {
      case 'GET':
      case 'HEAD': {
        const object = this.store.get(bucket, key);
        if (object === undefined) this.sendError(record, res, { error: 'NoSuchKey' });
        else this.sendObject(record, res, object);
        return;
      }
      case 'PUT':
        this.servePut(record, res);
        return;
      case 'DELETE':
        this.store.delete(bucket, key);
        this.sendOk(record, res, 204);
        return;
      case 'POST':
        if (record.query.has('append')) this.serveAppend(record, res);
        else this.sendOk(record, res, 200, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Result/>');
        return;
      default:
        this.sendOk(record, res, 200);
    }
  }

  private serveBucket(record: RecordedRequest, res: http.ServerResponse): void {
    const { method, bucket } = record;
    if (method === 'PUT') {
      this.store.createBucket(bucket);
      this.sendOk(record, res, 200);
      return;
    }
    const objects = this.store.bucket(bucket);
    if (objects === undefined) {
      this.sendError(record, res, { error: 'NoSuchBucket' });
      return;
    }
    if (method === 'DELETE') {
      this.sendOk(record, res, 204);
      return;
    }
    const contents = [...objects.entries()]
      .map(([key, o]) => `<Contents><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(o.etag)}</ETag><Size>${String(o.body.length)}</Size></Contents>`)
      .join('');
    this.sendOk(
      record,
      res,
      200,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ListBucketResult><Name>${xmlEscape(bucket)}</Name>${contents}</ListBucketResult>`,
    );
  }

  private servePut(record: RecordedRequest, res: http.ServerResponse): void {
    const source = record.headers['x-obs-copy-source'] ?? record.headers['x-amz-copy-source'];
    if (typeof source === 'string') {
      const { bucket, key } = address('127.0.0.1', source.startsWith('/') ? source : `/${source}`);
      const from = this.store.get(bucket, key);
      if (from === undefined) {
        this.sendError(record, res, { error: 'NoSuchKey' });
        return;
      }
      const copy = this.store.put(record.bucket, record.key, from.body, from.contentType);
      const body = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><CopyObjectResult><LastModified>${copy.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(copy.etag)}</ETag></CopyObjectResult>`;
      this.sendOk(record, res, 200, body);
      return;
    }
    const contentType = record.headers['content-type'] ?? 'application/octet-stream';
    const object = this.store.put(record.bucket, record.key, record.body, contentType);
    this.sendOk(record, res, 200, '', { etag: object.etag });
  }

  private serveAppend(record: RecordedRequest, res: http.ServerResponse): void {
    const position = Number(record.query.get('position') ?? '0');
    const existing = this.store.get(record.bucket, record.key);
    const length = existing?.body.length ?? 0;
    if (existing !== undefined && !existing.appendable) {
      this.sendError(record, res, { error: 'ObjectNotAppendable' });
      return;
    }
    if (position !== length) {
      this.sendError(record, res, { error: 'PositionNotEqualToLength' });
      return;
    }
    const body = Buffer.concat([existing?.body ?? Buffer.alloc(0), record.body]);
    const object = this.store.put(record.bucket, record.key, body, existing?.contentType ?? 'application/octet-stream', true);
    this.sendOk(record, res, 200, '', { etag: object.etag, 'x-obs-next-append-position': String(body.length) });
  }
}

/**
 * Starts a local OBS server on 127.0.0.1 (port 0 by default).
 * @example
 * const obs = await createObsServer();
 * obs.enqueue({ error: 'SlowDown' }, { reset: 'before-head' });
 * const client = axios.create({ baseURL: obs.url });
 * …
 * await obs.close();
 */
export async function createObsServer(options: ObsServerOptions = {}): Promise<ObsTestServer> {
  const server = new ObsTestServer(http.createServer({ keepAliveTimeout: 5000 }), options);
  await server.listen(options.port ?? 0);
  return server;
}
