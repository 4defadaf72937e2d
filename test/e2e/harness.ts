/**
 * Shared setup of the end-to-end tests: real local OBS servers on 127.0.0.1,
 * axios clients with the policies attached, and one teardown that closes all.
 */
import { afterEach } from '@jest/globals';
import axios, { type AxiosInstance } from 'axios';
import type http from 'node:http';
import { attachObsPolicies, type ObsPolicyHandle, type ObsPolicyOptions } from '../../src/index.js';
import { createLoopbackAgent, createObsServer, type ObsTestServer } from '../../src/testing/index.js';

const servers: ObsTestServer[] = [];
const handles: ObsPolicyHandle[] = [];
const agents: http.Agent[] = [];

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

/** A keep-alive agent that resolves every hostname to 127.0.0.1, destroyed after the test. */
export function loopbackAgent(): http.Agent {
  const agent = createLoopbackAgent();
  agents.push(agent);
  return agent;
}

/** An axios client for `baseURL` with the policies attached (detached after the test). */
export function policyClient(
  baseURL: string,
  options: ObsPolicyOptions = FAST,
  extra: Parameters<typeof axios.create>[0] = {},
): { client: AxiosInstance; handle: ObsPolicyHandle } {
  const client = axios.create({ baseURL, httpAgent: loopbackAgent(), ...extra });
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
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
