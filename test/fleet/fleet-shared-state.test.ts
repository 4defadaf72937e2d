/**
 * Paces, `Retry-After` pauses, remembered 301s and the server's clock shared
 * through a real Redis: what one process learns, another takes up without
 * being taught itself; and what the sharing costs in round trips to Redis
 * (none on a healthy endpoint's success path, at most one per ten requests
 * when paced).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { ObsPolicyOptions } from '../../src/index.js';
import { createObsServer, type ObsTestServer } from '../../src/testing/index.js';
import { until } from '../support/poll.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { freshPrefix, startFleet, stopFleet, type FleetProcess } from './fleet-fixture.js';

let redis: RedisServer;
let server: ObsTestServer;
let other: ObsTestServer;
let fleet: FleetProcess[] = [];
let probe: Redis;

const POLICIES: ObsPolicyOptions = { retry: { minDelayMs: 5, maxDelayMs: 2000, retries: 10 }, random: () => 0.5 };

beforeAll(async () => {
  redis = await startRedisServer();
  probe = new Redis({ host: '127.0.0.1', port: redis.port });
  server = await createObsServer();
  other = await createObsServer();
  for (let index = 0; index < 4; index += 1) server.putObject('photos', `k${String(index)}`, 'meow');
  other.putObject('photos', 'k1', 'moved');
});

afterEach(() => {
  stopFleet(fleet);
  fleet = [];
  server.clearScenarios();
  server.clearRecords();
});

afterAll(async () => {
  probe.disconnect();
  await server.close();
  await other.close();
  await redis.stop();
});

/** Commands Redis has processed so far (the INFO asking counts too). */
async function commandsProcessed(): Promise<number> {
  const info = await probe.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1]);
}

/** Round trips to Redis so far: scripts run (every store operation is one) and PINGs (commands inside scripts are not round trips). */
async function roundTripsSoFar(): Promise<number> {
  const stats = await probe.info('commandstats');
  let calls = 0;
  for (const command of ['eval', 'evalsha', 'ping']) calls += Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
  return calls;
}

/** `calls` GETs from `member`, `inFlight` at a time; resolves when every one settled. */
async function load(member: FleetProcess, calls: number, inFlight: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < calls) {
        next += 1;
        await member.client.get(`/photos/k${String(next % 4)}`);
      }
    }),
  );
}

describe('state shared on Redis', () => {
  it('a pace learned by one process paces the others, at their share', async () => {
    fleet = await startFleet(2, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: POLICIES });
    const [teacher, learner] = fleet as [FleetProcess, FleetProcess];
    server.scenario({ kind: 'throttle', ratePerSec: 40, burst: 4 });
    await load(teacher, 160, 8);
    await until(() => learner.handle.paceOf(server.url, 'read') !== null, { what: 'the learner paced', timeoutMs: 10_000 });
    expect(learner.events.some(([name, payload]) => name === 'rateChange' && (payload as { cause: string }).cause === 'fleet')).toBe(true);
    expect(learner.handle.paceOf(server.url, 'list')).toBeNull();
  }, 30_000);

  it('a Retry-After one process was given pauses the others', async () => {
    fleet = await startFleet(2, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: POLICIES });
    const [teacher, learner] = fleet as [FleetProcess, FleetProcess];
    server.enqueue({ error: 'SlowDown', retryAfter: 1 });
    await teacher.client.get('/photos/k1');
    await until(() => learner.events.some(([name, payload]) => name === 'rateChange' && (payload as { cause: string }).cause === 'retryAfter'), {
      what: 'the learner paused',
      timeoutMs: 5000,
    });
  });

  it('a 301 one process followed is remembered by the others, when their settings allow it', async () => {
    const policies: ObsPolicyOptions = { ...POLICIES, redirect: { allowHosts: ['localhost'] } };
    fleet = await startFleet(2, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies });
    const [teacher, learner] = fleet as [FleetProcess, FleetProcess];
    server.enqueue({ redirect: 301, location: `http://localhost:${String(other.port)}/photos/k1` });
    expect((await teacher.client.get('/photos/k1')).data).toBe('moved');
    await until(() => learner.handle.snapshot().redirects.length === 1, { what: 'the learner remembers the 301', timeoutMs: 5000 });
    expect((await learner.client.get('/photos/k1')).data).toBe('moved');
    expect(server.requests.length).toBe(1);
  });

  it("a remembered 301 from the fleet is dropped when the process's allowHosts refuses its target", async () => {
    fleet = await startFleet(1, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: { ...POLICIES, redirect: { allowHosts: ['localhost'] } } });
    const strict = await startFleet(1, { baseURL: server.url, redisPort: redis.port, prefix: `${freshPrefix()}-x`, policies: POLICIES });
    fleet.push(...strict);
    const [teacher, learner] = fleet as [FleetProcess, FleetProcess];
    server.enqueue({ redirect: 301, location: `http://localhost:${String(other.port)}/photos/k1` });
    await teacher.client.get('/photos/k1');
    expect(learner.handle.snapshot().redirects).toEqual([]);
  });

  it("the server's clock one process learned is every process's", async () => {
    const policies: ObsPolicyOptions = { ...POLICIES, sign: (config) => config };
    fleet = await startFleet(2, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies });
    const [teacher, learner] = fleet as [FleetProcess, FleetProcess];
    server.enqueue({ error: 'RequestTimeTooSkewed', headers: { date: new Date(Date.now() + 20 * 60_000).toUTCString() } });
    await teacher.client.get('/photos/k1');
    expect(Math.abs(teacher.handle.clockOffsetMs - 20 * 60_000)).toBeLessThan(5000);
    await until(() => learner.handle.clockOffsetMs !== 0, { what: 'the learner knows the clock', timeoutMs: 5000 });
    expect(Math.abs(learner.handle.clockOffsetMs - teacher.handle.clockOffsetMs)).toBeLessThan(1000);
  });

  it('a healthy endpoint costs no round trip to Redis; a paced one at most one per ten requests', async () => {
    fleet = await startFleet(2, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: POLICIES });
    const [first, second] = fleet as [FleetProcess, FleetProcess];
    await load(first, 50, 4);
    const before = await commandsProcessed();
    await Promise.all([load(first, 300, 8), load(second, 300, 8)]);
    // Only the INFO that reads the count.
    expect((await commandsProcessed()) - before).toBe(1);
    server.scenario({ kind: 'throttle', ratePerSec: 100, burst: 5 });
    await load(first, 100, 8);
    const pacedFrom = await roundTripsSoFar();
    server.clearRecords();
    await Promise.all([load(first, 200, 8), load(second, 200, 8)]);
    const requests = server.requests.length;
    const roundTrips = (await roundTripsSoFar()) - pacedFrom;
    expect(first.handle.paceOf(server.url, 'read')).not.toBeNull();
    expect(roundTrips).toBeLessThanOrEqual(requests / 10);
  }, 30_000);
});
