/**
 * The store works whatever the user's client is set to, since it makes its
 * own connections from it: RESP2 or RESP3 with either reply mapping, and a
 * `keyPrefix` of the user's (the store's keys are its own, under `{prefix}`,
 * so stores from differently set clients share one fleet).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { ObsFleetStore } from '../../src/fleet/fleet-store.js';
import { createRedisStore } from '../../src/redis/index.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { recorder, subscribed, watchRejections } from './store-fixture.js';

let server: RedisServer;
const clients: Redis[] = [];
const stores: ObsFleetStore[] = [];
const watch = watchRejections();

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  for (const store of stores) store.disconnect();
  for (const client of clients) client.disconnect();
  await server.stop();
  watch.stop();
  expect(watch.rejections).toEqual([]);
});

it('shares one fleet between stores made from RESP2, RESP3 and key-prefixed clients', async () => {
  const port = server.port;
  const plain = new Redis({ port, protocol: 2 });
  clients.push(
    plain,
    new Redis({ port, protocol: 3, replyMapping: 'resp3' }),
    new Redis({ port, keyPrefix: 'app:' }),
  );
  const recs = clients.map(() => recorder());
  clients.forEach((client, i) => {
    const store = createRedisStore(client, { prefix: 'clients', timeoutMs: 5000 });
    stores.push(store);
    store.connect((recs[i] ?? recorder()).listener);
  });
  const [first, second, third] = stores as [ObsFleetStore, ObsFleetStore, ObsFleetStore];
  for (const rec of recs) await subscribed(first, rec);
  await first.open({ endpoint: 'https://e.example', waitMs: 5000, intervalMs: 10 }, 'p1');
  await second.hold({ endpoint: 'https://e.example', class: 'read', pauseMs: 5000 }, 'p2');
  expect(await third.claimProbe('https://e.example', 'p3', 1000)).toBe(true);
  expect(await second.claimProbe('https://e.example', 'p2', 1000)).toBe(false);
  const paced = await third.reportPace({ endpoint: 'https://e.example', class: 'read', processId: 'p3', window: { sent: 1, throttled: 0, waited: 0, durationMs: 1 }, windowMs: 1000, minSamples: 5, liveMs: 1000 });
  expect(paced.pace).toEqual({ endpoint: 'https://e.example', class: 'read', fleetRatePerSec: null, live: 1 });
  for (const store of stores) {
    const state = await store.load();
    expect(state.breakers.map((open) => open.endpoint)).toEqual(['https://e.example']);
    expect(state.holds.map((held) => held.class)).toEqual(['read']);
    expect(Math.abs(await store.storeMinusLocalMs())).toBeLessThan(1000);
  }
  expect(await plain.exists('{clients}:open:https://e.example')).toBe(1);
  for (const rec of recs) expect(rec.healths).toEqual([]);
});
