/**
 * The Redis store when its Redis goes away: a killed redis-server makes every
 * operation reject within the timeout, with one health fault for the whole
 * outage and no operation sent while down; a restart (an empty Redis, script
 * cache included) brings it back with one health report, and the scripts run
 * again; a script cache flushed under a live connection goes the NOSCRIPT
 * way. Also: a Redis unreachable from the start, and `disconnect`, which
 * closes the store's connections only.
 */
import { afterAll, afterEach, beforeEach, expect, it, jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { ObsFleetStore } from '../../src/fleet/fleet-store.js';
import { createRedisStore } from '../../src/redis/index.js';
import { REPORT_STREAK } from '../../src/redis/scripts.js';
import { createHash } from 'node:crypto';
import { sleep, until } from '../support/poll.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { recorder, subscribed, timed, userClient, watchRejections, type Recorder } from './store-fixture.js';

const TIMEOUT_MS = 300;
const watch = watchRejections();
let server: RedisServer;
let user: Redis;
let store: ObsFleetStore;
let rec: Recorder;

beforeEach(async () => {
  server = await startRedisServer();
  user = userClient(server.port);
  rec = recorder();
  store = createRedisStore(user, { prefix: 'outage', timeoutMs: TIMEOUT_MS, retryMs: 50 });
});

afterEach(async () => {
  store.disconnect();
  user.disconnect();
  await server.stop();
});

afterAll(() => {
  watch.stop();
  expect(watch.rejections).toEqual([]);
});

async function statOf(section: string, name: string): Promise<number> {
  const info = await user.info(section);
  return Number(new RegExp(`^${name}:(?:calls|count)=(\\d+)`, 'm').exec(info)?.[1] ?? 0);
}

async function scriptCalls(): Promise<number> {
  return (await statOf('commandstats', 'cmdstat_evalsha')) + (await statOf('commandstats', 'cmdstat_eval'));
}

it('rejects within the timeout once Redis is killed, reports one fault, sends nothing while down, and comes back after a restart', async () => {
  store.connect(rec.listener);
  await subscribed(store, rec);
  rec.healths.length = 0;
  await server.kill();
  const first = await timed(store.reportStreak('https://e.example', 'p', 1, 5, 1000, 1000, 1000));
  expect(first.error).toBeInstanceOf(Error);
  expect(first.ms).toBeLessThan(TIMEOUT_MS + 2000);
  for (let i = 0; i < 5; i++) await expect(store.load()).rejects.toThrow(/unavailable/);
  await sleep(300);
  expect(rec.healths).toHaveLength(1);
  const [fault, detail] = rec.healths[0] ?? [];
  expect(['closed', 'timeout']).toContain(fault);
  expect(detail).not.toContain(String(server.port));

  await server.restart();
  expect(await user.script('EXISTS', createHash('sha1').update(REPORT_STREAK.lua).digest('hex'))).toEqual([0]);
  await until(() => rec.healths.length === 2, { timeoutMs: 10_000, what: 'the store up again' });
  expect(rec.healths[1]).toEqual([undefined, 'answers again']);
  // Nothing was sent while down but the checks: the restarted Redis saw no script yet.
  expect(await scriptCalls()).toBe(0);
  expect(await store.reportStreak('https://e.example', 'p', 1, 1, 1000, 1000, 1000)).toEqual({ opened: { endpoint: 'https://e.example', waitMs: 1000, intervalMs: 1000 } });
  expect(await scriptCalls()).toBe(1);
  expect(rec.healths).toHaveLength(2);
});

it('runs a script again when the script cache was flushed under a live connection (NOSCRIPT)', async () => {
  store.connect(rec.listener);
  await subscribed(store, rec);
  rec.healths.length = 0;
  await store.clock(1, 'p');
  await user.script('FLUSH');
  await user.config('RESETSTAT');
  await store.clock(2, 'p');
  expect(await statOf('errorstats', 'errorstat_NOSCRIPT')).toBe(1);
  expect((await store.load()).serverMinusStoreMs).toBe(2);
  expect(rec.healths).toEqual([]);
});

it('reports one fault when Redis cannot be reached from the start, and health once it can', async () => {
  await server.kill();
  store.connect(rec.listener);
  await expect(store.load()).rejects.toThrow(/unavailable/);
  await until(() => rec.healths.length > 0, { what: 'the fault' });
  await sleep(200);
  expect(rec.healths).toEqual([['closed', expect.stringMatching(/closed/)]]);
  expect(rec.healths[0]?.[1]).not.toMatch(/127\.0\.0\.1|\d{4,5}/);
  await server.restart();
  await until(() => rec.healths.length === 2, { timeoutMs: 10_000, what: 'the store up' });
  expect((await store.load()).breakers).toEqual([]);
});

it('closes its own connections on disconnect and leaves the user client open and unchanged', async () => {
  const clients = async (): Promise<number> => String(await user.client('LIST')).trim().split('\n').length;
  await user.ping();
  expect(await clients()).toBe(1);
  const listeners = user.eventNames().map((name) => [name, user.listenerCount(name)]);
  // Watches what the store makes of the client (calls through): its own duplicates.
  const duplicate = jest.spyOn(user, 'duplicate');
  store.connect(rec.listener);
  await subscribed(store, rec);
  expect(await clients()).toBe(3);
  const own = duplicate.mock.results.map((result) => result.value as Redis);
  expect(own).toHaveLength(2);
  duplicate.mockRestore();
  store.disconnect();
  // A socket error of a closing duplicate has a listener (ioredis prints unhandled ones).
  for (const client of own) expect(client.listenerCount('error')).toBeGreaterThan(0);
  await until(() => rec.healths.length > 0, { timeoutMs: 200 }).catch(() => undefined);
  await expect(store.load()).rejects.toThrow(/unavailable/);
  for (let n = await clients(); n !== 1; n = await clients()) await sleep(10);
  expect(await user.ping()).toBe('PONG');
  expect(user.status).toBe('ready');
  expect(user.options.enableOfflineQueue).toBe(true);
  expect(user.eventNames().map((name) => [name, user.listenerCount(name)])).toEqual(listeners);
  expect(rec.healths).toEqual([]);
  // Connected again, it works again.
  store.connect(rec.listener);
  await subscribed(store, rec);
  await store.load();
});
