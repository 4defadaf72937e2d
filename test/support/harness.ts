/**
 * The one test harness: every suite that needs a server, a client, a policy
 * handle, its events, a rejection or a wait takes it from here.
 *
 * - Servers: {@link startServer} (the local OBS server on 127.0.0.1) and
 *   {@link startTlsServer} (a bare https server with the test certificate).
 * - Clients: {@link policyClient} and {@link bareClient} run on the axios
 *   adapter of the e2e project ({@link ADAPTER}: jest runs test/e2e once as
 *   `e2e:http` and once as `e2e:fetch`) and reach any hostname on 127.0.0.1;
 *   e2e tests make every client with them, never with `axios.create`.
 *   {@link rawClient} (http adapter, every status resolves) and
 *   {@link rawExchange} (raw bytes) are for the local server's own tests.
 * - Handles and events: {@link recordEvents}, {@link nextEvent}.
 * - Outcomes: {@link rejectionOf} and {@link obsRejection} fail the test when
 *   the call resolves, so an assertion on the error is never skipped.
 * - Sequencing: {@link deferred} holds a hook or a scenario until the test
 *   releases it; {@link until} polls state nothing announces; {@link sleep}.
 *
 * Everything started here is closed after each test: handles detached, agents
 * and dispatchers destroyed, servers closed.
 */
import { afterEach } from '@jest/globals';
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import {
  attachObsPolicies,
  isObsError,
  type ObsError,
  type ObsPolicyEventName,
  type ObsPolicyEvents,
  type ObsPolicyHandle,
  type ObsPolicyOptions,
} from '../../src/index.js';
import { createObsServer, type ObsServerOptions, type ObsTestServer } from '../../src/testing/index.js';
import { readTestAdapter, type TestAdapter } from './adapter.js';
import { closeTransports, trackedLoopbackAgent, transportConfig, type TransportOptions } from './transport.js';

export { sleep, until, type UntilOptions } from './poll.js';
export type { TestAdapter } from './adapter.js';
export type { TransportOptions } from './transport.js';

/**
 * The axios adapter of this jest project: `http` or `fetch` in the e2e projects,
 * `undefined` in the `unit` project (which sets none). An unknown value throws here,
 * and {@link bareClient} / {@link policyClient} throw without one: a misconfigured
 * e2e project fails instead of silently running one leg of the matrix twice.
 */
export const ADAPTER: TestAdapter | undefined = process.env.OBS_TEST_ADAPTER === undefined ? undefined : readTestAdapter();

/** The adapter for matrix clients; throws (with the reason) outside the e2e projects. */
function matrixAdapter(): TestAdapter {
  return ADAPTER ?? readTestAdapter();
}

const servers: ObsTestServer[] = [];
const tlsServers: https.Server[] = [];
const handles: ObsPolicyHandle[] = [];

afterEach(async () => {
  for (const handle of handles.splice(0)) handle.detach();
  await closeTransports();
  await Promise.all([...servers.splice(0).map((server) => server.close()), ...tlsServers.splice(0).map(closeTlsServer)]);
});

// ---------------------------------------------------------------- servers

/** Options of {@link startServer}: the local server's own, plus the buckets to create. */
export interface StartServerOptions extends ObsServerOptions {
  /**
   * Buckets that exist from the start. Most e2e tests work in `photos`, so a missing
   * key there is a NoSuchKey, as in real life; the server's own tests start empty (`[]`).
   * @default ['photos']
   */
  buckets?: readonly string[];
}

/** Starts a local OBS server on 127.0.0.1; it is closed after the test. */
export async function startServer(options: StartServerOptions = {}): Promise<ObsTestServer> {
  const { buckets = ['photos'], ...serverOptions } = options;
  const server = await createObsServer(serverOptions);
  servers.push(server);
  for (const bucket of buckets) server.createBucket(bucket);
  return server;
}

/** The virtual-hosted base URL of `bucket` on `server` (`http://<bucket>.<endpoint>:<port>`). */
export function hostedUrl(server: ObsTestServer, bucket: string, endpoint = 'obs.test'): string {
  return `http://${bucket}.${endpoint}:${server.port}`;
}

const TLS_DIR = path.join(__dirname, '..', 'fixtures', 'tls');

/** The test certificate (self-signed, for 127.0.0.1 and localhost): pass it as `{ ca }` to trust it. */
export const TLS_CERT = readFileSync(path.join(TLS_DIR, 'localhost.crt'));

/**
 * Starts a bare https server on 127.0.0.1 with the test certificate, answering with
 * `handler`; it is closed after the test.
 * @returns its port and `https://127.0.0.1:<port>`
 */
export async function startTlsServer(handler: http.RequestListener): Promise<{ port: number; url: string }> {
  const server = https.createServer({ key: readFileSync(path.join(TLS_DIR, 'localhost.key')), cert: TLS_CERT }, handler);
  tlsServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, url: `https://127.0.0.1:${String(port)}` };
}

function closeTlsServer(server: https.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => {
      resolve();
    });
  });
}

// ---------------------------------------------------------------- clients

/** Fast, deterministic policy options for tests: tiny waits, jitter pinned to the middle. */
export const FAST: ObsPolicyOptions = { retry: { minDelayMs: 1, maxDelayMs: 20 }, random: () => 0.5 };

/**
 * A keep-alive `http.Agent` that resolves every hostname to 127.0.0.1, destroyed after the test.
 * e2e tests use {@link bareClient} / {@link policyClient} instead, which pick the transport of {@link ADAPTER}.
 */
export function loopbackAgent(options: http.AgentOptions = {}): http.Agent {
  return trackedLoopbackAgent(options);
}

/**
 * A plain axios client (no policies) on {@link ADAPTER} whose connections all go to 127.0.0.1.
 * @param baseURL the server's URL, or none for a client that only gets attach/option checks
 * @param extra more axios config; it wins over the transport defaults
 * @param transport e.g. `{ ca: TLS_CERT }` to trust the test certificate on either adapter
 * @throws Error outside the e2e projects (no adapter to run on)
 */
export function bareClient(baseURL?: string, extra: CreateAxiosDefaults = {}, transport: TransportOptions = {}): AxiosInstance {
  return axios.create({ ...(baseURL === undefined ? {} : { baseURL }), ...transportConfig(matrixAdapter(), transport), ...extra });
}

/**
 * An axios client for `baseURL` on {@link ADAPTER} with the policies attached (detached after the test).
 * @param options the policy options (default {@link FAST})
 * @param extra more axios config; it wins over the transport defaults
 * @param transport e.g. `{ ca: TLS_CERT }` to trust the test certificate on either adapter
 */
export function policyClient(
  baseURL: string,
  options: ObsPolicyOptions = FAST,
  extra: CreateAxiosDefaults = {},
  transport: TransportOptions = {},
): { client: AxiosInstance; handle: ObsPolicyHandle } {
  const client = bareClient(baseURL, extra, transport);
  const handle = attachObsPolicies(client, options);
  handles.push(handle);
  return { client, handle };
}

/**
 * An axios client for the local server's own tests, on the http adapter whatever the
 * project: every status resolves, redirects are not followed, bodies stay text, no proxy
 * from the environment, every hostname → 127.0.0.1. Not for e2e tests (it bypasses the matrix).
 */
export function rawClient(baseURL: string, extra: CreateAxiosDefaults = {}): AxiosInstance {
  return axios.create({
    baseURL,
    httpAgent: loopbackAgent(),
    proxy: false,
    validateStatus: () => true,
    maxRedirects: 0,
    responseType: 'text',
    ...extra,
  });
}

/** Sends raw bytes on a fresh connection and resolves with everything received until the server closes it (or `waitMs`). */
export function rawExchange(port: number, bytes: string | Buffer, waitMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(bytes);
  });
}

// ---------------------------------------------------------------- events


/** The events `recordEvents` records: every request-scoped and breaker event (not `rateChange`, which pacing tests read on their own). */
const EVENT_NAMES = ['retry', 'redirect', 'failFast', 'giveUp', 'circuitOpen', 'circuitHalfOpen', 'circuitClose', 'circuitReject', 'clockSkew', 'resume'] as const;

/** Collects every event of a handle, in order, as `[name, payload]`. */
export function recordEvents(handle: ObsPolicyHandle): [string, unknown][] {
  const seen: [string, unknown][] = [];
  for (const name of EVENT_NAMES) handle.on(name, (payload: unknown) => seen.push([name, payload]));
  return seen;
}

/** The names of recorded events, in order. */
export function namesOf(events: readonly [string, unknown][]): string[] {
  return events.map(([name]) => name);
}

/** The `reason` of every recorded event called `name` (failFast, giveUp), in order. */
export function reasonsOf(events: readonly [string, unknown][], name: 'failFast' | 'giveUp'): string[] {
  return events.filter(([event]) => event === name).map(([, payload]) => (payload as { reason: string }).reason);
}

/** Resolves with the payload of the next `event` of `handle`. */
export function nextEvent<E extends ObsPolicyEventName>(handle: ObsPolicyHandle, event: E): Promise<ObsPolicyEvents[E]> {
  return new Promise((resolve) => {
    handle.once(event, (payload) => {
      resolve(payload);
    });
  });
}

// ---------------------------------------------------------------- outcomes

/** What `promise` rejects with; throws (failing the test) when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  const shown = typeof value === 'object' && value !== null && 'status' in value ? `a response with status ${String(value.status)}` : String(value);
  throw new Error(`expected the call to reject, but it resolved with ${shown}`);
}

/** The ObsError `promise` rejects with; throws (failing the test) when it resolves or rejects with anything else. */
export async function obsRejection(promise: Promise<unknown>): Promise<ObsError> {
  const error = await rejectionOf(promise);
  if (!isObsError(error)) throw new Error(`expected an ObsError, got ${String(error)}`, { cause: error });
  return error;
}

// ---------------------------------------------------------------- sequencing

/** A promise the test settles by hand: hold a sign hook or a scenario until `resolve()`. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

/** A new {@link Deferred}. */
export function deferred<T = void>(): Deferred<T> {
  let resolve: ((value: T) => void) | undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  if (resolve === undefined) throw new Error('unreachable: the executor runs at once');
  return { promise, resolve };
}
