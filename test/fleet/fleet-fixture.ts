/**
 * A fleet in one test process: several "processes" (each its own axios
 * client, handle, ioredis client and Redis store) sharing one real
 * redis-server on a free loopback port and one local OBS server. Every
 * process of a test shares a key prefix of its own, so tests never see each
 * other's state.
 */
import axios, { type AxiosInstance } from 'axios';
import type { Redis } from 'ioredis';
import { userClient } from '../redis/store-fixture.js';
import { attachObsPolicies, CircuitOpenError, type ObsFleetStore, type ObsPolicyHandle, type ObsPolicyOptions } from '../../src/index.js';
import { createRedisStore } from '../../src/redis/index.js';
import type { RedisStoreOptions } from '../../src/redis/index.js';
import { sleep } from '../support/poll.js';
import { loopbackAgent } from '../support/harness.js';

/** One process of the fleet. */
export interface FleetProcess {
  readonly client: AxiosInstance;
  readonly handle: ObsPolicyHandle;
  /** Its own ioredis client (the user's), which the store duplicates. */
  readonly redis: Redis;
  /** Every event the handle emitted, by name, in order. */
  readonly events: [string, unknown][];
}

let prefixes = 0;

/** A key prefix no other test uses. */
export function freshPrefix(): string {
  prefixes += 1;
  return `fleet-test-${String(process.pid)}-${String(prefixes)}`;
}

const EVENTS = ['circuitOpen', 'circuitHalfOpen', 'circuitClose', 'circuitReject', 'rateChange', 'storeDown', 'storeUp', 'clockSkew', 'redirect'] as const;

/**
 * Starts `count` processes against `baseURL`, all on the store of the Redis on `redisPort` with `prefix`,
 * and waits until each store listens for news.
 */
export async function startFleet(
  count: number,
  options: { baseURL: string; redisPort: number; prefix: string; policies: ObsPolicyOptions; store?: RedisStoreOptions; wrapStore?: (store: ObsFleetStore) => ObsFleetStore },
): Promise<FleetProcess[]> {
  const fleet: FleetProcess[] = [];
  for (let index = 0; index < count; index += 1) {
    const redis = userClient(options.redisPort);
    const store = createRedisStore(redis, { prefix: options.prefix, timeoutMs: 200, retryMs: 50, ...options.store });
    const client = axios.create({ baseURL: options.baseURL, adapter: 'http', httpAgent: loopbackAgent(), proxy: false });
    const handle = attachObsPolicies(client, { ...options.policies, store: options.wrapStore?.(store) ?? store });
    const events: [string, unknown][] = [];
    for (const name of EVENTS) handle.on(name, (payload: unknown) => events.push([name, payload]));
    fleet.push({ client, handle, redis, events });
  }
  await waitForSubscribers(options.redisPort, options.prefix, count);
  return fleet;
}

/** Waits (at most 10 s) until `count` connections listen on the prefix's news channel. */
export async function waitForSubscribers(redisPort: number, prefix: string, count: number): Promise<void> {
  const probe = userClient(redisPort);
  const channel = `${prefix}:news`;
  try {
    for (const deadline = Date.now() + 10_000; ; ) {
      const answer = (await probe.pubsub('NUMSUB', channel)) as [string, number];
      if (answer[1] >= count) return;
      if (Date.now() > deadline) throw new Error(`only ${String(answer[1])} of ${String(count)} subscribers on ${channel}`);
      await sleep(20);
    }
  } finally {
    probe.disconnect();
  }
}

/** Detaches every process and closes its Redis client. */
export function stopFleet(fleet: readonly FleetProcess[]): void {
  for (const member of fleet) {
    member.handle.detach();
    member.redis.disconnect();
  }
}

/** The names of the events a process saw. */
export function eventNames(member: FleetProcess): string[] {
  return member.events.map(([name]) => name);
}

/** One GET of `/photos/cat.jpg` from `member`: `ok`, `refused` (its breaker refused it) or `failed`. */
export async function outcome(member: FleetProcess): Promise<string> {
  try {
    await member.client.get('/photos/cat.jpg');
    return 'ok';
  } catch (error) {
    return error instanceof CircuitOpenError ? 'refused' : 'failed';
  }
}
