/**
 * Shares of a fleet's pace through a real Redis, against a throttled local OBS
 * server: a process that stops sending gives its share back at once (the
 * others' shares grow long before its liveness would lapse).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { FleetNews, FleetPaceJudge, FleetPaceReport, ObsFleetStore } from '../../src/fleet/fleet-store.js';
import type { ObsPolicyOptions } from '../../src/index.js';
import { decodeNews } from '../../src/redis/news-codec.js';
import { memberOf, storeKeys } from '../../src/redis/redis-keys.js';
import { createObsServer, type ObsTestServer } from '../../src/testing/index.js';
import { sleep } from '../support/poll.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { userClient } from '../redis/store-fixture.js';
import { freshPrefix, startFleet, stopFleet, type FleetProcess } from './fleet-fixture.js';

let redis: RedisServer;
let server: ObsTestServer;
let fleet: FleetProcess[] = [];
let probe: Redis;
let listener: Redis | undefined;
const loads: Load[] = [];

/** No retries: a call ends with its first answer, so a process that stops sending has nothing left in flight within a few slots. */
const POLICIES: ObsPolicyOptions = { retry: { retries: 0 }, random: () => 0.5 };

beforeAll(async () => {
  redis = await startRedisServer();
  probe = userClient(redis.port);
  server = await createObsServer();
  for (let index = 0; index < 4; index += 1) server.putObject('photos', `k${String(index)}`, 'meow');
});

afterEach(async () => {
  await Promise.all(loads.splice(0).map((load) => load.stop()));
  stopFleet(fleet);
  fleet = [];
  listener?.disconnect();
  listener = undefined;
  server.clearScenarios();
  server.clearRecords();
});

afterAll(async () => {
  probe.disconnect();
  await server.close();
  await redis.stop();
});

/** GETs sent without end from one process until `stop()`, which resolves once every one settled. */
interface Load {
  stop(): Promise<void>;
}

/** Keeps `inFlight` GETs going from `member` (a failed one, throttled past its retries, is dropped). */
function keepLoading(member: FleetProcess, inFlight: number): Load {
  let stopped = false;
  let next = 0;
  const workers = Array.from({ length: inFlight }, async () => {
    while (!stopped) {
      next += 1;
      await member.client.get(`/photos/k${String(next % 4)}`).catch(() => undefined);
    }
  });
  const load = {
    async stop() {
      stopped = true;
      await Promise.all(workers);
    },
  };
  loads.push(load);
  return load;
}

/** The pace news of the fleet with `prefix`, as they come (read by a client of the test's own). */
async function paceNews(prefix: string): Promise<Extract<FleetNews, { kind: 'pace' }>[]> {
  const seen: Extract<FleetNews, { kind: 'pace' }>[] = [];
  const client = userClient(redis.port);
  listener = client;
  client.on('message', (_channel: string, message: string) => {
    const news = decodeNews(message);
    if (news?.kind === 'pace' && news.class === 'read') seen.push(news);
  });
  await client.subscribe(storeKeys(prefix).channel);
  return seen;
}

/** A process's share of the fleet's pace, as the fleet sync rounds it. */
function shareOf(fleetRatePerSec: number, live: number): number {
  return Math.round((fleetRatePerSec / live) * 10) / 10;
}

/** True when the last pace news counted `live` processes and every one of `members` is paced at its share. */
function atShare(members: readonly FleetProcess[], last: Extract<FleetNews, { kind: 'pace' }> | undefined, live: number): boolean {
  if (last?.fleetRatePerSec === undefined || last.fleetRatePerSec === null || last.live !== live) return false;
  const share = shareOf(last.fleetRatePerSec, live);
  return members.every((member) => member.handle.paceOf(server.url, 'read') === share);
}

/** The processes in the live set `key`, each with how long it still counts (ms of the store's clock). */
async function liveFor(key: string): Promise<Map<string, number>> {
  const [[seconds, micros], scored] = await Promise.all([probe.time(), probe.zrange(key, 0, -1, 'WITHSCORES')]);
  const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const left = new Map<string, number>();
  for (let index = 0; index < scored.length; index += 2) left.set(String(scored[index]), Number(scored[index + 1]) - now);
  return left;
}

/** Polls `condition` (async) every 20 ms until it holds. */
async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${String(timeoutMs)} ms`);
    await sleep(20);
  }
}

/**
 * Three processes on a fresh prefix against the server throttled to 45 req/s (about 15 a process: a
 * report needs over a second, so each counts live some 4 s after it), with the fleet's pace news as
 * they come and the live set's key.
 */
async function throttledFleet(): Promise<{ news: Extract<FleetNews, { kind: 'pace' }>[]; live: string; prefix: string; first: FleetProcess; second: FleetProcess; leaver: FleetProcess }> {
  const prefix = freshPrefix();
  fleet = await startFleet(3, { baseURL: server.url, redisPort: redis.port, prefix, policies: POLICIES });
  const news = await paceNews(prefix);
  const [first, second, leaver] = fleet as [FleetProcess, FleetProcess, FleetProcess];
  server.scenario({ kind: 'throttle', ratePerSec: 45, burst: 4 });
  return { news, live: storeKeys(prefix).live(memberOf(server.url, 'read')), prefix, first, second, leaver };
}

describe('shares of the fleet pace', () => {
  it("a process that stops sending gives its share back: the others' shares grow at once, long before its liveness would lapse", async () => {
    const { news, live, first, second, leaver } = await throttledFleet();
    keepLoading(first, 4);
    keepLoading(second, 4);
    const leaving = keepLoading(leaver, 4);
    // Steady: each process at a third of the fleet pace, each counted live for 2 s more at least.
    let members: string[] = [];
    await eventually(
      async () => {
        const left = await liveFor(live);
        members = [...left.keys()];
        return left.size === 3 && [...left.values()].every((ms) => ms > 2000) && atShare(fleet, news.at(-1), 3);
      },
      'three processes paced at a third of the fleet pace',
      15_000,
    );

    const eventsBefore = first.events.length;
    // The throttling ends as it stops, so its calls end with answers that got through: a process whose
    // last answer was throttled does not leave (its calls may wait in backoff) and is counted until its
    // liveness lapses, which a call in a long backoff can outlast.
    server.clearScenarios();
    await leaving.stop();
    // The leaver is the process no longer live; it said so itself (pace news with its origin), while
    // its last report still counted it live for a while (`leftMs`: as last seen before it went). Those
    // two facts, not a time bound, tell a leave from a lapse: a busy machine may take seconds for it.
    const leftMs = new Map<string, number>();
    let leaverId: string | undefined;
    await eventually(
      async () => {
        const left = await liveFor(live);
        for (const [member, ms] of left) leftMs.set(member, ms);
        const gone = members.filter((member) => !left.has(member));
        leaverId = gone.length === 1 ? gone[0] : undefined;
        return left.size === 2 && news.some((item) => item.origin === leaverId && item.live === 2) && atShare([first, second], news.at(-1), 2);
      },
      'the leaver gone and two processes paced at half the fleet pace',
      10_000,
    );
    expect(leftMs.get(leaverId ?? '')).toBeGreaterThan(500);
    const pace = first.handle.paceOf(server.url, 'read');
    expect(first.events.slice(eventsBefore)).toContainEqual(['rateChange', { endpoint: server.url, class: 'read', ratePerSec: pace, cause: 'fleet' }]);
  }, 30_000);

  it('a process that detaches gives its share back as it goes', async () => {
    const { news, live, first, second, leaver } = await throttledFleet();
    for (const member of fleet) keepLoading(member, 4);
    let before = new Map<string, number>();
    await eventually(
      async () => {
        before = await liveFor(live);
        return before.size === 3 && [...before.values()].every((ms) => ms > 1500) && atShare(fleet, news.at(-1), 3);
      },
      'three processes paced at a third of the fleet pace',
      15_000,
    );

    // Detached, it sends nothing more: only its leave on the way out publishes news with its own origin
    // (a lapse is noticed in the others' reports).
    leaver.handle.detach();
    let left = before;
    await eventually(
      async () => {
        left = await liveFor(live);
        return left.size === 2;
      },
      'the detached process gone from the live set',
      10_000,
    );
    const leaverId = [...before.keys()].find((member) => !left.has(member));
    expect(before.get(leaverId ?? '')).toBeGreaterThan(1500);
    await eventually(async () => Promise.resolve(news.some((item) => item.origin === leaverId && item.live === 2) && atShare([first, second], news.at(-1), 2)), 'the others at half the fleet pace', 10_000);
  }, 30_000);
});

describe('a fleet that starts again', () => {
  it("takes the pace its last run learned in shares among as many processes as that run's last verdict had, not one", async () => {
    const { news, live, prefix } = await throttledFleet();
    for (const member of fleet) keepLoading(member, 4);
    await eventually(async () => Promise.resolve(atShare(fleet, news.at(-1), 3)), 'three processes paced at a third of the fleet pace', 15_000);
    // The whole fleet stops (a deploy): each process leaves, the pace stays in the store.
    await Promise.all(loads.splice(0).map((load) => load.stop()));
    stopFleet(fleet);
    fleet = [];
    await eventually(async () => (await probe.zcard(live)) === 0, 'the live count empty', 10_000);
    const rate = Number(await probe.hget(storeKeys(prefix).pace(memberOf(server.url, 'read')), 'rate'));
    expect(rate).toBeGreaterThan(0);

    // The new processes load the state before sending anything: each takes a third of the pace, not all of it.
    fleet = await startFleet(3, { baseURL: server.url, redisPort: redis.port, prefix, policies: POLICIES });
    await eventually(async () => Promise.resolve(fleet.every((member) => member.handle.paceOf(server.url, 'read') !== null)), 'the new processes paced', 10_000);
    for (const member of fleet) expect(member.handle.paceOf(server.url, 'read')).toBe(shareOf(rate, 3));
  }, 30_000);
});

describe("the fleet's first verdict", () => {
  it('comes four windows after its window opened at the earliest: the live count fills as processes report', async () => {
    const reports: FleetPaceReport[] = [];
    const judges: FleetPaceJudge[] = [];
    /** The real store, its pace reports and the windows it hands over to judge recorded on the way. */
    const recording = (store: ObsFleetStore): ObsFleetStore => ({
      ...store,
      reportPace: async (report) => {
        reports.push(report);
        const answer = await store.reportPace(report);
        if (answer.judge !== undefined) judges.push(answer.judge);
        return answer;
      },
    });
    fleet = await startFleet(2, { baseURL: server.url, redisPort: redis.port, prefix: freshPrefix(), policies: { ...POLICIES, throttle: { windowMs: 200 } }, wrapStore: recording });
    server.scenario({ kind: 'throttle', ratePerSec: 45, burst: 4 });
    for (const member of fleet) keepLoading(member, 4);
    await eventually(() => Promise.resolve(judges.length > 0), 'a fleet window judged', 15_000);
    expect(new Set(reports.map((report) => report.firstWindowMs))).toEqual(new Set([800]));
    const [first] = judges as [FleetPaceJudge];
    expect(first.state).toBeUndefined();
    expect(first.window.durationMs).toBeGreaterThanOrEqual(800);
  }, 30_000);
});
