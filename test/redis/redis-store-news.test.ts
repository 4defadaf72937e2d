/**
 * News from the channel are trusted for nothing: garbage published by anyone
 * on the Redis is dropped silently, and the valid news after it still arrive.
 * The codec itself, case by case, is in news-codec.test.ts.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { ObsFleetStore } from '../../src/fleet/fleet-store.js';
import { createRedisStore } from '../../src/redis/index.js';
import { until } from '../support/poll.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { recorder, subscribed, userClient, watchRejections, type Recorder } from './store-fixture.js';

let server: RedisServer;
let user: Redis;
let store: ObsFleetStore;
let rec: Recorder;
const watch = watchRejections();

beforeAll(async () => {
  server = await startRedisServer();
  user = userClient(server.port);
  rec = recorder();
  store = createRedisStore(user, { prefix: 'news-test', timeoutMs: 5000 });
  store.connect(rec.listener);
  await subscribed(store, rec);
});

afterAll(async () => {
  store.disconnect();
  await user.quit();
  await server.stop();
  watch.stop();
  expect(watch.rejections).toEqual([]);
});

it('drops garbage published on the channel and passes the valid news after it', async () => {
  const garbage = [
    'not json',
    '',
    '[]',
    'null',
    '"open"',
    JSON.stringify({ kind: 'open', origin: 'x', endpoint: 'e', waitMs: -1, intervalMs: 1 }),
    JSON.stringify({ kind: 'open', origin: 'x', endpoint: 'e', waitMs: 1 }),
    JSON.stringify({ kind: 'pace', origin: 'x', endpoint: 'e', class: 'nope', fleetRatePerSec: 1, live: 1 }),
    JSON.stringify({ kind: 'pace', origin: 'x', endpoint: 'e', class: 'read', fleetRatePerSec: '1', live: 1 }),
    JSON.stringify({ kind: 'hold', origin: 'x', endpoint: 'e', class: 'read', pauseMs: 2 ** 40 }),
    JSON.stringify({ kind: 'clock', origin: 'x', serverMinusStoreMs: null }),
    JSON.stringify({ kind: 'unknown', origin: 'x' }),
    JSON.stringify({ kind: 'close', origin: 'x', endpoint: 'e'.repeat(20_000) }),
    '{"kind":"close","origin":"x","endpoint":"e","__proto__":{"polluted":true}}',
    '{"kind":"close","origin":"x","endpoint":"e","constructor":{"prototype":{}}}',
  ];
  for (const message of garbage) await user.publish('news-test:news', message);
  await user.publish('news-test:news', JSON.stringify({ kind: 'close', origin: 'valid', endpoint: 'https://e.example', extra: 'ignored' }));
  await until(() => rec.seen.some((news) => news.origin === 'valid'), { what: 'the valid news' });
  expect(rec.seen.filter((news) => news.origin !== 'warm-up')).toEqual([{ kind: 'close', origin: 'valid', endpoint: 'https://e.example' }]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(rec.healths).toEqual([]);
});
