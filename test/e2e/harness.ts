/**
 * Shared setup of the end-to-end tests: real local OBS servers on 127.0.0.1,
 * axios clients with the policies attached, and one teardown that closes all.
 *
 * Every e2e test runs twice, once per axios adapter (jest projects `e2e:http`
 * and `e2e:fetch`). Create clients with {@link policyClient} or
 * {@link bareClient}, never with `axios.create` directly: only then does the
 * test run on {@link ADAPTER} and reach the servers under any hostname.
 */
import { afterEach } from '@jest/globals';
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import type http from 'node:http';
import { attachObsPolicies, type ObsPolicyHandle, type ObsPolicyOptions } from '../../src/index.js';
import { createObsServer, type ObsTestServer } from '../../src/testing/index.js';
import { readTestAdapter, type TestAdapter } from './adapter.js';
import { closeTransports, trackedLoopbackAgent, transportConfig, type TransportOptions } from './transport.js';

export type { TestAdapter } from './adapter.js';
export type { TransportOptions } from './transport.js';

/** The axios adapter of this jest project (`http` or `fetch`); clients made here use it. */
export const ADAPTER: TestAdapter = readTestAdapter();

const servers: ObsTestServer[] = [];
const handles: ObsPolicyHandle[] = [];

/** Fast, deterministic defaults for tests: tiny waits, jitter pinned to the middle. */
export const FAST: ObsPolicyOptions = { retry: { minDelayMs: 1, maxDelayMs: 20 }, random: () => 0.5 };

/** Starts a local OBS server (with a `photos` bucket) that is closed after the test. */
export async function startServer(): Promise<ObsTestServer> {
  const server = await createObsServer();
  // Most tests work in one bucket; creating it makes a missing key a NoSuchKey, as in real life.
  server.createBucket('photos');
  servers.push(server);
  return server;
}

/**
 * A keep-alive `http.Agent` that resolves every hostname to 127.0.0.1, destroyed after the test.
 * Only the http adapter uses it: prefer {@link bareClient} / {@link policyClient}, which pick the
 * right transport for {@link ADAPTER}.
 */
export function loopbackAgent(): http.Agent {
  return trackedLoopbackAgent();
}

/**
 * A plain axios client (no policies) on {@link ADAPTER} whose connections all go to 127.0.0.1.
 * @param baseURL the server's URL, or none for a client that only gets attach/option checks
 * @param extra more axios config; it wins over the transport defaults
 * @param transport e.g. `{ ca }` to trust the test TLS fixture on either adapter
 */
export function bareClient(baseURL?: string, extra: CreateAxiosDefaults = {}, transport: TransportOptions = {}): AxiosInstance {
  return axios.create({ ...(baseURL === undefined ? {} : { baseURL }), ...transportConfig(ADAPTER, transport), ...extra });
}

/**
 * An axios client for `baseURL` on {@link ADAPTER} with the policies attached (detached after the test).
 * @param options the policy options (default {@link FAST})
 * @param extra more axios config; it wins over the transport defaults
 * @param transport e.g. `{ ca }` to trust the test TLS fixture on either adapter
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

/** Collects every event of a handle, in order, as `[name, payload]`. */
export function recordEvents(handle: ObsPolicyHandle): [string, unknown][] {
  const seen: [string, unknown][] = [];
  const names = ['retry', 'redirect', 'failFast', 'giveUp', 'circuitOpen', 'circuitHalfOpen', 'circuitClose', 'circuitReject', 'clockSkew'] as const;
  for (const name of names) handle.on(name, (payload: unknown) => seen.push([name, payload]));
  return seen;
}

/** Settles a promise into `{ ok, value | error }` so tests can assert either side. */
export async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

afterEach(async () => {
  for (const handle of handles.splice(0)) handle.detach();
  await closeTransports();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
