/**
 * Fail-open against a real Redis: killed, restarted, and slowed by a delaying
 * loopback proxy. No call fails or waits because of the store; the handles
 * say so once (`storeDown`), learn alone meanwhile (a breaker still opens,
 * probes and closes), and rejoin the fleet when Redis answers again
 * (`storeUp`), its scripts loaded again into the restarted server. A store
 * that restarted empty knows no pace: a handle keeps the one it learned.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ObsPolicyOptions } from '../../src/index.js';
import { memberOf, storeKeys } from '../../src/redis/redis-keys.js';
import { createObsServer, type ObsScenario, type ObsTestServer } from '../../src/testing/index.js';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.js';
import { sleep, until } from '../support/poll.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { userClient } from '../redis/store-fixture.js';
import { eventNames, freshPrefix, outcome, startFleet, stopFleet, type FleetProcess } from './fleet-fixture.js';

let redis: RedisServer;
let server: ObsTestServer;
let fleet: FleetProcess[] = [];
let proxy: DelayProxy | undefined;
let dead = false;
/** Loads still sending, each resolving once its calls settled. */
const loads: (() => Promise<void>)[] = [];
const rejections: unknown[] = [];
const onRejection = (reason: unknown): void => {
  rejections.push(reason);
};

const POLICIES: ObsPolicyOptions = {
  retry: { retries: 0 },
  breaker: { consecutiveFailures: 3, firstResetTimeoutMs: 300, resetTimeoutMs: 5000 },
  random: () => 0.5,
};
/** Every call fails while `dead`. */
const OUTAGE: ObsScenario = { kind: 'custom', answer: () => (dead ? { error: 'InternalError' } : undefined) };

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  redis = await startRedisServer();
  server = await createObsServer();
  server.putObject('photos', 'cat.jpg', 'meow');
  server.scenario(OUTAGE);
});

afterEach(async () => {
  await Promise.all(loads.splice(0).map((stop) => stop()));
  stopFleet(fleet);
  fleet = [];
  dead = false;
  await proxy?.close();
  proxy = undefined;
  server.clearScenarios();
  server.scenario(OUTAGE);
  server.clearRecords();
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await server.close();
  await redis.stop();
});

/** Opens `member`'s breaker by failures, heals, and calls until a call goes through again (its own probe). */
async function outageAlone(member: FleetProcess): Promise<void> {
  dead = true;
  for (let index = 0; index < 3; index += 1) expect(await outcome(member)).toBe('failed');
  expect(member.handle.breakerState(server.url)).toBe('open');
  dead = false;
  for (let round = 0; (await outcome(member)) !== 'ok'; round += 1) {
    if (round > 500) throw new Error('the breaker never let a probe through');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(member.handle.breakerState(server.url)).toBe('closed');
}

/** Keeps `inFlight` GETs going from `member` until the test ends (a throttled one is dropped: no retries). */
function keepLoading(member: FleetProcess, inFlight: number): void {
  let stopped = false;
  const workers = Array.from({ length: inFlight }, async () => {
    while (!stopped) await member.client.get('/photos/cat.jpg').catch(() => undefined);
  });
  loads.push(async () => {
    stopped = true;
    await Promise.all(workers);
  });
}

/** Waits (at most `timeoutMs`) until the Redis on `port` holds `key`. */
async function keyExists(port: number, key: string, timeoutMs: number): Promise<void> {
  const probe = userClient(port);
  try {
    for (const deadline = Date.now() + timeoutMs; (await probe.exists(key).catch(() => 0)) !== 1; ) {
      if (Date.now() > deadline) throw new Error(`${key} not stored within ${String(timeoutMs)} ms`);
      await sleep(20);
    }
  } finally {
    probe.disconnect();
  }
}

describe('a fleet store that fails', () => {
  it('killed: calls go on, each handle says so once and learns alone; restarted: the fleet shares again', async () => {
    // A store slower than its timeout is down too (tested below through the delaying proxy). Here the
    // timeout is long enough that a restarted Redis's first answers (each script sent again), late on a
    // machine whose cores are busy, are not read as a second outage: 200 ms flapped once in ten runs.
    const store = { timeoutMs: 2000 };
    fleet = await startFleet(2, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: POLICIES, store });
    const [first, second] = fleet as [FleetProcess, FleetProcess];
    await redis.kill();
    for (let index = 0; index < 20; index += 1) expect(await outcome(first)).toBe('ok');
    await until(() => fleet.every((member) => eventNames(member).includes('storeDown')), { what: 'storeDown everywhere', timeoutMs: 5000 });
    // Alone, a breaker opens, probes and closes as without a store.
    await outageAlone(first);
    expect(second.handle.breakerState(server.url)).not.toBe('open');
    await redis.restart();
    await until(() => fleet.every((member) => eventNames(member).includes('storeUp')), { what: 'storeUp everywhere', timeoutMs: 10_000 });
    for (const member of fleet) expect(eventNames(member).filter((name) => name === 'storeDown')).toHaveLength(1);
    // Rejoined (scripts loaded into the new server): failures spread over the fleet open both breakers.
    dead = true;
    expect(await outcome(first)).toBe('failed');
    expect(await outcome(second)).toBe('failed');
    expect(await outcome(first)).toBe('failed');
    await until(() => fleet.every((member) => member.handle.breakerState(server.url) === 'open'), { what: 'both open after the restart', timeoutMs: 5000 });
    expect(rejections).toEqual([]);
  });

  it('restarted empty: a handle keeps the pace it learned, through the reports the empty store answers without one, to its next verdict', async () => {
    const prefix = freshPrefix();
    fleet = await startFleet(1, { baseURL: server.url, redisPort: redis.port, prefix, policies: { retry: { retries: 0 }, random: () => 0.5 } });
    const [member] = fleet as [FleetProcess];
    const paceKey = storeKeys(prefix).pace(memberOf(server.url, 'read'));
    server.scenario({ kind: 'throttle', ratePerSec: 45, burst: 4 });
    keepLoading(member, 4);
    await keyExists(redis.port, paceKey, 15_000);
    await until(() => member.handle.paceOf(server.url, 'read') !== null, { what: 'a fleet pace', timeoutMs: 5000 });

    await redis.kill();
    await until(() => eventNames(member).includes('storeDown'), { what: 'storeDown', timeoutMs: 5000 });
    const fromRestart = member.events.length;
    await redis.restart();
    await until(() => eventNames(member).includes('storeUp'), { what: 'storeUp', timeoutMs: 10_000 });
    // The first report to the empty store opens its window (no verdict: answered without a pace); a
    // stored pace means a later report closed a window, so every answer without a pace came before it.
    await keyExists(redis.port, paceKey, 15_000);
    const unpaced = member.events.slice(fromRestart).filter(([name, payload]) => name === 'rateChange' && (payload as { ratePerSec: unknown; cause: unknown }).ratePerSec === null);
    expect(unpaced).toEqual([]);
    expect(member.handle.paceOf(server.url, 'read')).not.toBeNull();
    expect(rejections).toEqual([]);
  }, 60_000);

  it('slow past its timeout: no call waits for it, and a half-open breaker probes by itself', async () => {
    proxy = await startDelayProxy(redis.port);
    fleet = await startFleet(1, { baseURL: server.url, redisPort: proxy.port, prefix: freshPrefix(), policies: POLICIES, store: { timeoutMs: 100 } });
    const [member] = fleet as [FleetProcess];
    proxy.setDelay(2000);
    const started = Date.now();
    await outageAlone(member);
    for (let index = 0; index < 20; index += 1) expect(await outcome(member)).toBe('ok');
    // 25 calls or more: had each waited for Redis (2 s), this would take 50 s.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(eventNames(member)).toContain('storeDown');
    proxy.setDelay(0);
    await until(() => eventNames(member).includes('storeUp'), { what: 'storeUp', timeoutMs: 15_000 });
    expect(rejections).toEqual([]);
  }, 40_000);

  it('black-holed: the same', async () => {
    proxy = await startDelayProxy(redis.port);
    fleet = await startFleet(1, { baseURL: server.url, redisPort: proxy.port, prefix: freshPrefix(), policies: POLICIES, store: { timeoutMs: 100 } });
    const [member] = fleet as [FleetProcess];
    proxy.blackHole(true);
    await outageAlone(member);
    expect(eventNames(member)).toContain('storeDown');
    proxy.blackHole(false);
    await until(() => eventNames(member).includes('storeUp'), { what: 'storeUp', timeoutMs: 10_000 });
    expect(rejections).toEqual([]);
  });
});
