/**
 * The Redis store in a process whose event loop is held up past the store's
 * timeout (a busy machine, a long synchronous task) while Redis, another
 * process, answers at once: the loop wakes with the timeout due and the answer
 * already in the socket. The answer counts; the store is not reported down.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { ObsFleetStore } from '../../src/fleet/fleet-store.js';
import { createRedisStore } from '../../src/redis/index.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { recorder, subscribed, userClient, watchRejections, type Recorder } from './store-fixture.js';

const TIMEOUT_MS = 100;
/** The loop is held up this long after the operations are sent: far past the timeout. */
const HELD_MS = 400;
const watch = watchRejections();
let server: RedisServer;
let user: Redis;
let store: ObsFleetStore;
let rec: Recorder;

beforeAll(async () => {
  server = await startRedisServer();
  user = userClient(server.port);
  rec = recorder();
  store = createRedisStore(user, { prefix: 'stall', timeoutMs: TIMEOUT_MS, retryMs: 50 });
  store.connect(rec.listener);
  await subscribed(store, rec);
  rec.healths.length = 0;
});

afterAll(async () => {
  store.disconnect();
  await user.quit();
  await server.stop();
  watch.stop();
  expect(watch.rejections).toEqual([]);
});

/** Holds the event loop for `ms` without yielding. */
function holdLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy: no timer, no I/O runs meanwhile.
  }
}

it('takes an answer that came while the event loop was held up past the timeout, and stays up', async () => {
  for (let round = 0; round < 3; round += 1) {
    const operations = [store.load(), store.reportStreak('https://stall.example', `p${String(round)}`, 1, 99, 1000, 1000, 1000), store.storeMinusLocalMs()];
    holdLoop(HELD_MS);
    const outcomes = await Promise.allSettled(operations);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  }
  expect(rec.healths).toEqual([]);
});
