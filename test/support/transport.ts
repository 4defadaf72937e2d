/**
 * How harness clients reach the local servers on each adapter. Every hostname
 * (virtual-hosted `photos.obs.test`, hostile `evil.test`) resolves to
 * 127.0.0.1 through `loopbackLookup`:
 * - http adapter: a keep-alive `http.Agent` (and an `https.Agent` for TLS);
 * - fetch adapter: Node's global fetch with an undici `Agent` as dispatcher.
 *   axios's fetch adapter ignores `httpAgent`/`httpsAgent`; it hands
 *   `fetchOptions` to fetch as its init, where undici reads `dispatcher`.
 * Everything created here is tracked and closed by {@link closeTransports}.
 */
import type { CreateAxiosDefaults } from 'axios';
import type http from 'node:http';
import https from 'node:https';
import { Agent as UndiciAgent } from 'undici';
import { createLoopbackAgent, loopbackLookup } from '../../src/testing/index.js';
import type { TestAdapter } from './adapter.js';

/** How a client connects, beyond loopback name resolution. */
export interface TransportOptions {
  /** A CA certificate (PEM) to trust for https, e.g. the test TLS fixture. */
  ca?: string | Buffer;
}

const nodeAgents: (http.Agent | https.Agent)[] = [];
const dispatchers: UndiciAgent[] = [];

/** A keep-alive `http.Agent` that resolves every hostname to 127.0.0.1 (closed by {@link closeTransports}). */
export function trackedLoopbackAgent(options: http.AgentOptions = {}): http.Agent {
  const agent = createLoopbackAgent(options);
  nodeAgents.push(agent);
  return agent;
}

function loopbackHttpsAgent(ca: string | Buffer): https.Agent {
  const agent = new https.Agent({ keepAlive: true, lookup: loopbackLookup, ca });
  nodeAgents.push(agent);
  return agent;
}

/** An undici dispatcher for the fetch adapter: loopback lookup, and `ca` when given. */
function loopbackDispatcher(transport: TransportOptions): UndiciAgent {
  const agent = new UndiciAgent({
    connect: transport.ca === undefined ? { lookup: loopbackLookup } : { lookup: loopbackLookup, ca: transport.ca },
  });
  dispatchers.push(agent);
  return agent;
}

/**
 * The axios config that puts a client on `adapter` and routes its connections
 * to 127.0.0.1. For http, axios's default adapter in Node is left in place
 * (it is the http adapter), so the package's handling of an unset `adapter`
 * stays covered; fetch is chosen explicitly.
 */
export function transportConfig(adapter: TestAdapter, transport: TransportOptions = {}): CreateAxiosDefaults {
  if (adapter === 'fetch') {
    // fetchOptions rather than a bound `env.fetch`: axios caches one adapter per
    // distinct fetch function for the life of the process, so a fresh function
    // per test would pin every test's dispatcher in that cache.
    return { adapter: 'fetch', fetchOptions: { dispatcher: loopbackDispatcher(transport) } };
  }
  const config: CreateAxiosDefaults = { httpAgent: trackedLoopbackAgent() };
  if (transport.ca !== undefined) config.httpsAgent = loopbackHttpsAgent(transport.ca);
  return config;
}

/** Destroys every agent and dispatcher created since the last call, idle and busy sockets alike. */
export async function closeTransports(): Promise<void> {
  for (const agent of nodeAgents.splice(0)) agent.destroy();
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.destroy()));
}
