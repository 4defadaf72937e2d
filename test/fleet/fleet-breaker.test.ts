/**
 * Breakers shared through a real Redis: failures spread over the fleet open
 * every process's breaker (no process reached its own threshold), an open
 * breaker costs the other processes no request, one probe goes for the whole
 * fleet, and its success closes every process's breaker.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ObsPolicyOptions } from '../../src/index.js';
import { createObsServer, type ObsTestServer } from '../../src/testing/index.js';
import { until } from '../support/poll.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { freshPrefix, outcome, startFleet, stopFleet, type FleetProcess } from './fleet-fixture.js';

let redis: RedisServer;
let server: ObsTestServer;
let fleet: FleetProcess[] = [];
/** While true, the server answers every request with InternalError. */
let dead = false;
/** While true (and not dead), every answer takes 300 ms. */
let slow = false;
const SLOW_MS = 300;

const POLICIES: ObsPolicyOptions = {
  retry: { retries: 0 },
  breaker: { consecutiveFailures: 3, firstResetTimeoutMs: 400, resetTimeoutMs: 5000 },
  random: () => 0.5,
};

beforeAll(async () => {
  redis = await startRedisServer();
  server = await createObsServer();
  server.putObject('photos', 'cat.jpg', 'meow');
  server.scenario({ kind: 'custom', answer: () => (dead ? { error: 'InternalError' } : slow ? { ok: true, delayMs: SLOW_MS } : undefined) });
});

afterEach(() => {
  stopFleet(fleet);
  fleet = [];
  dead = false;
  slow = false;
  server.clearRecords();
});

afterAll(async () => {
  await server.close();
  await redis.stop();
});

describe('breakers shared on Redis', () => {
  it('opens every breaker when the fleet has failed threshold times, though no process did alone', async () => {
    fleet = await startFleet(3, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: POLICIES });
    dead = true;
    // One failure each: 3 in the fleet, 1 per process (each process's own threshold is 3).
    for (const member of fleet) expect(await outcome(member)).toBe('failed');
    await until(() => fleet.every((member) => member.handle.breakerState(server.url) === 'open'), { what: 'every breaker open', timeoutMs: 5000 });
    const sent = server.requests.length;
    for (const member of fleet) expect(await outcome(member)).toBe('refused');
    expect(server.requests.length).toBe(sent);
  });

  it("does not sum failures nobody answered (a reset may be one process's own trouble)", async () => {
    fleet = await startFleet(3, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: POLICIES });
    for (const member of fleet) {
      server.enqueue({ reset: 'before-head' });
      expect(await outcome(member)).toBe('failed');
    }
    // One more answered failure would open the fleet's breaker were the resets counted (3 + 1 ≥ 3).
    dead = true;
    const [first] = fleet as [FleetProcess];
    expect(await outcome(first)).toBe('failed');
    dead = false;
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const member of fleet) expect(member.handle.breakerState(server.url)).toBe('closed');
    // Resets open one process's breaker by its own rule (3 in a row); the others are not told.
    expect(await outcome(first)).toBe('ok');
    server.enqueue({ reset: 'before-head', times: 3 });
    const outcomes: string[] = [];
    for (let index = 0; index < 3; index += 1) outcomes.push(await outcome(first));
    expect([outcomes, server.pendingSteps]).toEqual([['failed', 'failed', 'failed'], 0]);
    expect(first.handle.breakerState(server.url)).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const member of fleet.slice(1)) expect(member.handle.breakerState(server.url)).toBe('closed');
  });

  it("waits twice as long after a failed probe, though the prober's own run of failures reached the fleet's threshold", async () => {
    // One process: it sends every probe. Its 3 failures open its breaker (0.9 × 400 = 360 ms at random 0.5).
    fleet = await startFleet(1, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: POLICIES });
    const [member] = fleet;
    if (member === undefined) throw new Error('no process');
    dead = true;
    for (let i = 0; i < 3; i++) expect(await outcome(member)).toBe('failed');
    const opened = server.requests.length;
    // Calls every 10 ms while still dead: two probes reach the server.
    for (let round = 0; round < 500 && server.requests.length < opened + 2; round += 1) {
      await outcome(member);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [first, second] = server.requests.slice(opened);
    // The failed probe was a fourth failure in a row: summed in Redis, it opened the fleet's breaker again for the first
    // wait (360 ms) instead of the 720 ms the probe's failure earned.
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(700);
  });

  it('sends one probe for the whole fleet: a failed one re-opens every breaker, a good one closes them all', async () => {
    fleet = await startFleet(3, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: POLICIES });
    dead = true;
    for (const member of fleet) await outcome(member);
    await until(() => fleet.every((member) => member.handle.breakerState(server.url) === 'open'), { what: 'every breaker open', timeoutMs: 5000 });
    const opened = server.requests.length;
    // Every process calls every 10 ms until it saw a call through, and stops at its first success.
    const untilFirstSuccess = (member: FleetProcess): Promise<number> =>
      (async () => {
        for (let round = 0; round < 2000; round += 1) {
          if ((await outcome(member)) === 'ok') return round;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return -1;
      })();
    const calling = Promise.all(fleet.map(untilFirstSuccess));
    // Still dead: the fleet's first probe fails and every breaker opens again, for a longer wait.
    await until(() => fleet.every((member) => member.events.filter(([name]) => name === 'circuitOpen').length >= 2), {
      what: 'every breaker re-opened',
      timeoutMs: 10_000,
    });
    expect(server.requests.length - opened).toBe(1);
    // Healed, but slow: the second probe takes 300 ms, and nobody else sends meanwhile.
    dead = false;
    slow = true;
    const results = await calling;
    expect(results.every((round) => round >= 0)).toBe(true);
    const afterHeal = server.requests.slice(opened + 1);
    expect(afterHeal.length).toBe(3);
    const [probe, ...others] = afterHeal;
    for (const request of others) expect(request.receivedAt - (probe?.receivedAt ?? 0)).toBeGreaterThanOrEqual(SLOW_MS - 5);
    for (const member of fleet) expect(member.handle.breakerState(server.url)).toBe('closed');
  });
});
