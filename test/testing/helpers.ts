/**
 * Shared setup of the local OBS server's own tests: servers and loopback
 * agents that are closed after each file, plain axios clients that never throw
 * on status or follow redirects, and a raw-socket client for broken requests.
 */
import { afterAll } from '@jest/globals';
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import type http from 'node:http';
import net from 'node:net';
import { createLoopbackAgent, createObsServer, type ObsServerOptions, type ObsTestServer } from '../../src/testing/index.js';

const servers: ObsTestServer[] = [];
const agents: http.Agent[] = [];

afterAll(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Starts a server that is closed after the file. */
export async function startServer(options: ObsServerOptions = {}): Promise<ObsTestServer> {
  const server = await createObsServer(options);
  servers.push(server);
  return server;
}

/** A keep-alive loopback agent destroyed after the file. */
export function loopbackAgent(options: http.AgentOptions = {}): http.Agent {
  const agent = createLoopbackAgent(options);
  agents.push(agent);
  return agent;
}

/**
 * An axios client for `baseURL`: every status resolves, redirects are not
 * followed, bodies stay text, no proxy from the environment, every hostname → 127.0.0.1.
 */
export function client(baseURL: string, extra: CreateAxiosDefaults = {}): AxiosInstance {
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

/** The virtual-hosted base URL of `bucket` on `server` (`http://<bucket>.obs.test:<port>`). */
export function hostedUrl(server: ObsTestServer, bucket: string, endpoint = 'obs.test'): string {
  return `http://${bucket}.${endpoint}:${server.port}`;
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

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds (every 5 ms, at most `timeoutMs`). */
export async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}
