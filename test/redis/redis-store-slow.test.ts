/**
 * The Redis store behind a slow or silent network (a delaying TCP proxy in
 * front of a real redis-server): an operation rejects within the timeout
 * instead of waiting for the answer, one health fault covers the outage, no
 * operation is sent while down, and the store is back once Redis answers in
 * time again. A proxy silent from the start is the same. The connection's
 * first handshake may take longer than the timeout; and a process whose
 * event loop is held up past the timeout while Redis (another process)
 * answers at once takes the answer waiting in its socket.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { ObsFleetStore } from '../../src/fleet/fleet-store.js';
import { createRedisStore } from '../../src/redis/index.js';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.js';
import { until } from '../support/poll.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { recorder, subscribed, timed, userClient, watchRejections, type Recorder } from './store-fixture.js';

const TIMEOUT_MS = 300;
/** Far beyond the timeout: an operation that waited for its answer would take this long. */
const DELAY_MS = 4000;
const watch = watchRejections();
let server: RedisServer;
let admin: Redis;
let proxy: DelayProxy;
let user: Redis;
let store: ObsFleetStore;
let rec: Recorder;

beforeAll(async () => {
  server = await startRedisServer();
  admin = userClient(server.port);
});

beforeEach(async () => {
  proxy = await startDelayProxy(server.port);
  user = userClient(proxy.port);
  rec = recorder();
  store = createRedisStore(user, { prefix: 'slow', timeoutMs: TIMEOUT_MS, retryMs: 50 });
});

afterEach(async () => {
  store.disconnect();
  user.disconnect();
  await proxy.close();
});

afterAll(async () => {
  await admin.quit();
  await server.stop();
  watch.stop();
  expect(watch.rejections).toEqual([]);
});

/** Script runs Redis saw since the last RESETSTAT. */
async function scriptCalls(): Promise<number> {
  const info = await admin.info('commandstats');
  const calls = (name: string): number => Number(new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return calls('evalsha') + calls('eval');
}

async function connected(): Promise<void> {
  store.connect(rec.listener);
  await subscribed(store, rec);
  rec.healths.length = 0;
  await admin.config('RESETSTAT');
}

/** Asserts the outage as the store reports it, then lifts it with `lift` and waits until the store is back. */
async function outageAndBack(lift: () => void): Promise<void> {
  // Three at once: all time out, one fault is reported.
  const firsts = await Promise.all([1, 2, 3].map((i) => timed(store.reportStreak('https://e.example', `p${String(i)}`, 1, 9, 1000, 1000, 1000))));
  for (const first of firsts) {
    expect(first.error).toBeInstanceOf(Error);
    expect(first.ms).toBeLessThan(DELAY_MS / 2);
  }
  for (let i = 0; i < 5; i++) await expect(store.load()).rejects.toThrow(/unavailable \(timeout/);
  expect(rec.healths).toEqual([['timeout', `no answer within ${String(TIMEOUT_MS)} ms`]]);
  lift();
  await until(() => rec.healths.length === 2, { timeoutMs: 3 * DELAY_MS, what: 'the store up again' });
  expect(rec.healths[1]).toEqual([undefined, 'answers again']);
  // Of the operations while down, none reached Redis: only the first three, which timed out.
  expect(await scriptCalls()).toBe(3);
  expect((await store.load()).breakers).toEqual([]);
}

it('rejects within the timeout while Redis answers too slowly, and is back when it answers in time again', async () => {
  await connected();
  proxy.setDelay(DELAY_MS);
  await outageAndBack(() => {
    proxy.setDelay(0);
  });
});

it('rejects within the timeout while the network is silent, and is back when it carries again', async () => {
  await connected();
  proxy.blackHole(true);
  await outageAndBack(() => {
    proxy.blackHole(false);
  });
});

it('rejects within the timeout when the network is silent from the start, and is up once it carries', async () => {
  proxy.blackHole(true);
  store.connect(rec.listener);
  const first = await timed(store.load());
  expect(first.error).toBeInstanceOf(Error);
  expect(first.ms).toBeLessThan(DELAY_MS / 2);
  // Its connection never finished its first handshake: the operation waited for it 1 s.
  expect(rec.healths).toEqual([['timeout', 'no answer within 1000 ms']]);
  proxy.blackHole(false);
  await until(() => rec.healths.length === 2, { timeoutMs: 10_000, what: 'the store up' });
  await subscribed(store, rec);
  expect((await store.load()).holds).toEqual([]);
});

it("waits up to 1 s for its connection's first handshake, however short its timeout, then bounds each operation by the timeout", async () => {
  // Every chunk 120 ms late: the handshake's round trip and the first operation's (a TIME) take about
  // 0.5 s, five times the 100 ms timeout and half the first handshake's bound.
  proxy.setDelay(120);
  const quick = createRedisStore(user, { prefix: 'slow-first', timeoutMs: 100, retryMs: 50 });
  const quickRec = recorder();
  try {
    quick.connect(quickRec.listener);
    const first = await timed(quick.storeMinusLocalMs());
    expect(first.error).toBeUndefined();
    expect(first.ms).toBeGreaterThan(100);
    expect(quickRec.healths).toEqual([]);
    // Ready since: a 240 ms round trip is past the timeout.
    await expect(quick.load()).rejects.toThrow(/unavailable \(timeout/);
    expect(quickRec.healths).toEqual([['timeout', 'no answer within 100 ms']]);
  } finally {
    quick.disconnect();
  }
});

/** Holds the event loop for `ms` without yielding. */
function holdLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy: no timer, no I/O runs meanwhile.
  }
}

it('takes an answer that came while the event loop was held up past the timeout, and stays up', async () => {
  // Straight to Redis (the proxy runs in this process, so it would be held up too).
  const direct = userClient(server.port);
  const stalled = createRedisStore(direct, { prefix: 'stall', timeoutMs: 100, retryMs: 50 });
  const stalledRec = recorder();
  try {
    stalled.connect(stalledRec.listener);
    await subscribed(stalled, stalledRec);
    stalledRec.healths.length = 0;
    for (let round = 0; round < 2; round += 1) {
      const operations = [stalled.load(), stalled.reportStreak('https://stall.example', `p${String(round)}`, 1, 99, 1000, 1000, 1000), stalled.storeMinusLocalMs()];
      // Ten times the timeout, long enough for Redis to answer however busy the cores: the loop wakes
      // with the timers due and the answers in the socket.
      holdLoop(1000);
      const outcomes = await Promise.allSettled(operations);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    }
    expect(stalledRec.healths).toEqual([]);
  } finally {
    stalled.disconnect();
    direct.disconnect();
  }
});
