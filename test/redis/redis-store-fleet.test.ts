/**
 * The Redis store's operations against a real redis-server, two stores on one
 * Redis standing for two processes: breaker runs summed across the fleet,
 * one probe winner, fleet pace windows judged by exactly one reporter once
 * three quarters of the live processes' goodput is in the sum, joining
 * reports, live counting, holds, redirects, the clock, `load`, and the news each change
 * sends (to every store, the changer's own included).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { FleetNews, FleetPaceJudge, ObsFleetStore } from '../../src/fleet/fleet-store.js';
import { createRedisStore } from '../../src/redis/index.js';
import { unpacedState, type PaceState, type PaceWindow } from '../../src/throttle/pace-estimator.js';
import { sleep, until } from '../support/poll.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { recorder, subscribed, userClient, watchRejections, type Recorder } from './store-fixture.js';

/** Generous: a loaded machine must not fail these tests on time; the fault tests use short ones. */
const OPTIONS = { prefix: 'fleet-test', timeoutMs: 5000, retryMs: 100 };

let server: RedisServer;
let userA: Redis;
let userB: Redis;
let a: ObsFleetStore;
let b: ObsFleetStore;
let recA: Recorder;
let recB: Recorder;
const watch = watchRejections();

beforeAll(async () => {
  server = await startRedisServer();
  [userA, userB] = [userClient(server.port), userClient(server.port)];
  [recA, recB] = [recorder(), recorder()];
  a = createRedisStore(userA, OPTIONS);
  b = createRedisStore(userB, OPTIONS);
  a.connect(recA.listener);
  b.connect(recB.listener);
  await subscribed(b, recA);
  await subscribed(a, recB);
});

afterAll(async () => {
  a.disconnect();
  b.disconnect();
  await Promise.all([userA.quit(), userB.quit()]);
  await server.stop();
  watch.stop();
  expect(watch.rejections).toEqual([]);
  expect(recA.healths).toEqual([]);
  expect(recB.healths).toEqual([]);
});

async function newsOf(rec: Recorder, match: (news: FleetNews) => boolean): Promise<FleetNews | undefined> {
  await until(() => rec.seen.some(match), { timeoutMs: 5000, what: 'the news' });
  return rec.seen.find(match);
}

describe('breaker runs', () => {
  it('opens once when the fleet summed run reaches the threshold, with news to both stores', async () => {
    const endpoint = 'https://sum.example';
    expect(await a.reportStreak(endpoint, 'pa', 2, 3, 5000, 1250, 10_000)).toEqual({ opened: undefined });
    expect(await b.reportStreak(endpoint, 'pb', 1, 3, 5000, 1250, 10_000)).toEqual({ opened: { endpoint, waitMs: 5000, intervalMs: 1250 } });
    // Open already: no second opening, whatever the runs.
    expect(await a.reportStreak(endpoint, 'pa', 5, 3, 5000, 1250, 10_000)).toEqual({ opened: undefined });
    const open = { kind: 'open', origin: 'pb', endpoint, waitMs: 5000, intervalMs: 1250 };
    expect(await newsOf(recA, (news) => news.kind === 'open' && news.endpoint === endpoint)).toEqual(open);
    expect(await newsOf(recB, (news) => news.kind === 'open' && news.endpoint === endpoint)).toEqual(open);
    const state = await b.load();
    const breaker = state.breakers.find((open) => open.endpoint === endpoint);
    expect(breaker?.intervalMs).toBe(1250);
    expect(breaker?.waitMs).toBeGreaterThan(0);
    expect(breaker?.waitMs).toBeLessThanOrEqual(5000);
  });

  it('opens exactly once when many reports cross the threshold at the same time', async () => {
    const endpoint = 'https://race.example';
    const reports = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).reportStreak(endpoint, `p${String(i)}`, 1, 5, 5000, 1000, 10_000));
    const answers = await Promise.all(reports);
    expect(answers.filter((answer) => answer.opened !== undefined)).toHaveLength(1);
  });

  it('forgets a run set to 0 and a run older than staleMs', async () => {
    const endpoint = 'https://forget.example';
    await a.reportStreak(endpoint, 'pa', 2, 3, 5000, 1000, 10_000);
    await a.reportStreak(endpoint, 'pa', 0, 3, 5000, 1000, 10_000);
    expect(await b.reportStreak(endpoint, 'pb', 2, 3, 5000, 1000, 10_000)).toEqual({ opened: undefined });
    // The staleness a report gives applies when it is made: after the sleep, pa's run is older than 100 ms.
    const stale = 'https://stale.example';
    await a.reportStreak(stale, 'pa', 2, 3, 5000, 1000, 10_000);
    await sleep(150);
    expect(await b.reportStreak(stale, 'pb', 2, 3, 5000, 1000, 100)).toEqual({ opened: undefined });
    expect(await a.reportStreak(stale, 'pa', 1, 3, 5000, 1000, 10_000)).toEqual({ opened: { endpoint: stale, waitMs: 5000, intervalMs: 1000 } });
  });

  it('opens, gives one probe to one claimant, re-arms the probe on open, and closes with news', async () => {
    const endpoint = 'https://probe.example';
    await a.open({ endpoint, waitMs: 5000, intervalMs: 2500 }, 'pa');
    expect(await newsOf(recB, (news) => news.kind === 'open' && news.endpoint === endpoint)).toEqual({ kind: 'open', origin: 'pa', endpoint, waitMs: 5000, intervalMs: 2500 });
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claimProbe(endpoint, `p${String(i)}`, 5000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await b.open({ endpoint, waitMs: 5000, intervalMs: 5000 }, 'pb');
    expect(await a.claimProbe(endpoint, 'pa', 5000)).toBe(true);
    await b.close(endpoint, 'pb');
    expect(await newsOf(recA, (news) => news.kind === 'close' && news.endpoint === endpoint)).toEqual({ kind: 'close', origin: 'pb', endpoint });
    expect((await a.load()).breakers.map((open) => open.endpoint)).not.toContain(endpoint);
    expect(await b.claimProbe(endpoint, 'pb', 5000)).toBe(true);
  });
});

describe('pacing', () => {
  const report = (store: ObsFleetStore, processId: string, sent: number) =>
    store.reportPace({ endpoint: 'https://pace.example', class: 'read', processId, window: { sent, throttled: 1, waited: 2, durationMs: 40 }, windowMs: 100, minSamples: 10, liveMs: 10_000 });

  it('judges a fleet window in exactly one reporter, hands on the stored state, and sends the verdict as news', async () => {
    expect(await report(a, 'pa', 4)).toEqual({ pace: { endpoint: 'https://pace.example', class: 'read', fleetRatePerSec: null, live: 1 }, judge: undefined });
    expect((await report(b, 'pb', 4)).pace.live).toBe(2);
    await sleep(150);
    const answers = await Promise.all([report(a, 'pa', 5), report(b, 'pb', 5)]);
    const judged = answers.filter((answer) => answer.judge !== undefined);
    expect(judged).toHaveLength(1);
    const judge = judged[0]?.judge;
    expect(judge?.state).toBeUndefined();
    expect(judge?.window).toMatchObject({ sent: 13, throttled: 3, waited: 6 });
    // Both processes' goodput is summed; the first window judged takes the live count as the one before.
    expect(judge?.reporters).toBe(2);
    expect(judge?.liveBefore).toBe(2);
    expect(judge?.window.durationMs).toBeGreaterThanOrEqual(100);

    const state: PaceState = { ...unpacedState(), ratePerSec: 20.5, learnedRate: 20.5, verifying: { share: 0.25, cuts: 1, throttled: 3 } };
    await a.setPace('https://pace.example', 'read', state, 'pa');
    const news = { kind: 'pace', origin: 'pa', endpoint: 'https://pace.example', class: 'read', fleetRatePerSec: 20.5, live: 2 };
    expect(await newsOf(recB, (seen) => seen.kind === 'pace')).toEqual(news);
    expect((await report(b, 'pb', 0)).pace.fleetRatePerSec).toBe(20.5);
    await sleep(150);
    const next = await report(a, 'pa', 10);
    expect(next.judge?.state).toEqual(state);
    expect(next.judge?.reporters).toBe(2);
    expect(next.judge?.liveBefore).toBe(2);
    expect((await b.load()).paces).toContainEqual({ endpoint: 'https://pace.example', class: 'read', fleetRatePerSec: 20.5, live: 2 });
  });

  it('counts a process live for liveMs after its last report', async () => {
    const live = (store: ObsFleetStore, processId: string) =>
      store.reportPace({ endpoint: 'https://live.example', class: 'list', processId, window: { sent: 1, throttled: 0, waited: 0, durationMs: 1 }, windowMs: 60_000, minSamples: 100, liveMs: 1000 });
    expect((await live(a, 'pa')).pace.live).toBe(1);
    expect((await live(b, 'pb')).pace.live).toBe(2);
    expect((await live(b, 'pc')).pace.live).toBe(3);
    await sleep(1200);
    expect((await live(a, 'pa')).pace.live).toBe(1);
  });

  it('keeps a process live after a verdict for its stay from its last report: one that stopped reporting lapses while verdicts go on', async () => {
    const endpoint = 'https://ghost.example';
    const report = (store: ObsFleetStore, processId: string) =>
      store.reportPace({ endpoint, class: 'read', processId, window: { sent: 4, throttled: 1, waited: 0, durationMs: 40, goodputPerSec: 5 }, windowMs: 100, minSamples: 10, liveMs: 300 });
    // A verdict's stay at 100 req/s for 2 live processes: LIVE_ANSWERS (60) × 2 ÷ 100 req/s = 1.2 s.
    const verdict = (): Promise<void> => b.setPace(endpoint, 'read', { ...unpacedState(), ratePerSec: 100, learnedRate: 100 }, 'pb');
    await report(a, 'crashed');
    expect((await report(b, 'pb')).pace.live).toBe(2);
    await verdict();
    // The other process reports and a verdict comes every 100 ms for 2.5 s: the crashed one's stay ends
    // 1.2 s after its last report (each verdict used to lengthen it to 1.2 s from the verdict).
    const until = Date.now() + 2500;
    while (Date.now() < until) {
      await report(b, 'pb');
      await verdict();
      await sleep(100);
    }
    await verdict();
    expect((await report(b, 'pb')).pace.live).toBe(1);
  });

  describe('leaving and goodput', () => {
    const endpoint = 'https://leave.example';
    const keys = { live: '{fleet-test}:live:read:https://leave.example', window: '{fleet-test}:window:read:https://leave.example' };
    const join = (store: ObsFleetStore, processId: string, window: PaceWindow, operation: 'read' | 'list' = 'read') =>
      store.reportPace({ endpoint, class: operation, processId, window, windowMs: 100, minSamples: 10, liveMs: 10_000 });
    const few = (goodputPerSec?: number): PaceWindow => ({ sent: 4, throttled: 1, waited: 0, durationMs: 40, ...(goodputPerSec === undefined ? {} : { goodputPerSec }) });

    /**
     * Resolves once `rec` heard a marker (a hold of an endpoint of its own) that `publisher` sent after
     * everything before it: the news published before it arrived by then.
     */
    async function drained(publisher: ObsFleetStore, rec: Recorder): Promise<void> {
      const marker = 'https://marker.example';
      await publisher.hold({ endpoint: marker, class: 'read', pauseMs: 1 }, 'marker');
      await newsOf(rec, (news) => news.kind === 'hold' && news.endpoint === marker);
    }

    const isLeave = (news: FleetNews): boolean => news.kind === 'pace' && news.endpoint === endpoint && news.origin === 'pc';

    it('takes a process out of the live count, with pace news of the same rate and one fewer live', async () => {
      for (const [store, processId] of [[a, 'pa'], [b, 'pb'], [b, 'pc']] as const) await join(store, processId, few(5));
      await join(b, 'pc', few(5), 'list');
      const state: PaceState = { ...unpacedState(), ratePerSec: 30, learnedRate: 30 };
      await a.setPace(endpoint, 'read', state, 'pa');
      expect(await newsOf(recA, (news) => news.kind === 'pace' && news.endpoint === endpoint)).toMatchObject({ fleetRatePerSec: 30, live: 3 });

      await b.leave?.(endpoint, 'read', 'pc');
      expect(await newsOf(recA, isLeave)).toEqual({ kind: 'pace', origin: 'pc', endpoint, class: 'read', fleetRatePerSec: 30, live: 2 });
      expect(await userA.zscore(keys.live, 'pc')).toBeNull();
      expect(await userA.hexists(keys.window, 'g:pc')).toBe(0);
      expect((await join(a, 'pa', few(5))).pace).toEqual({ endpoint, class: 'read', fleetRatePerSec: 30, live: 2 });

      // Not live any more, and a class with no pace: no news (the marker sent after them arrives first).
      await b.leave?.(endpoint, 'read', 'pc');
      await b.leave?.(endpoint, 'list', 'pc');
      await drained(b, recA);
      expect(recA.seen.filter(isLeave)).toHaveLength(1);
      expect(recA.seen.filter((news) => news.kind === 'pace' && news.class === 'list')).toEqual([]);
      // Its next report counts it again.
      expect((await join(b, 'pc', few(5))).pace.live).toBe(3);
    });

    it("sums the reports' own goodput in the judge's window, without a process that left", async () => {
      const sum = 'https://goodput.example';
      const at = (store: ObsFleetStore, processId: string, sent: number, goodputPerSec: number) =>
        store.reportPace({ endpoint: sum, class: 'read', processId, window: { sent, throttled: 1, waited: 0, durationMs: 40, goodputPerSec }, windowMs: 100, minSamples: 10, liveMs: 10_000 });
      expect((await at(a, 'pa', 4, 7)).judge).toBeUndefined();
      expect((await at(b, 'pb', 4, 11)).judge).toBeUndefined();
      await sleep(150);
      // Sent minus throttled over 40 ms would be 225 req/s from pa alone.
      expect((await at(a, 'pa', 10, 7.5)).judge?.window).toMatchObject({ sent: 18, throttled: 3, goodputPerSec: 18.5 });

      await at(b, 'pb', 4, 11);
      await b.leave?.(sum, 'read', 'pb');
      await sleep(150);
      expect((await at(a, 'pa', 10, 7)).judge?.window).toMatchObject({ sent: 14, throttled: 2, goodputPerSec: 7 });
    });

    it('falls back to sent minus throttled over the window when a report has no goodput', async () => {
      const plain = 'https://plain.example';
      const at = (processId: string, sent: number) =>
        a.reportPace({ endpoint: plain, class: 'read', processId, window: { sent, throttled: 2, waited: 0, durationMs: 500 }, windowMs: 100, minSamples: 10, liveMs: 10_000 });
      await at('pa', 4);
      await sleep(150);
      expect((await at('pb', 10)).judge?.window.goodputPerSec).toBe(20);
    });

    it('a new pace keeps every live process live for three reports at its share of it, and never shortens a longer stay', async () => {
      const slow = 'https://slow.example';
      const liveKey = '{fleet-test}:live:read:https://slow.example';
      for (const processId of ['p1', 'p2', 'p3']) {
        await a.reportPace({ endpoint: slow, class: 'read', processId, window: few(5), windowMs: 100, minSamples: 1000, liveMs: 2000 });
      }
      // 3 live at 6 req/s: 2 req/s each, 60 answers take 30 s.
      const before = Date.now();
      await a.setPace(slow, 'read', { ...unpacedState(), ratePerSec: 6, learnedRate: 6 }, 'p1');
      for (const processId of ['p1', 'p2', 'p3']) expect(Number(await userA.zscore(liveKey, processId)) - before).toBeGreaterThanOrEqual(29_000);
      expect(await userA.pttl(liveKey)).toBeGreaterThanOrEqual(29_000);
      // A faster pace (600 req/s: 60 answers in 0.3 s) leaves the longer stays alone.
      await a.setPace(slow, 'read', { ...unpacedState(), ratePerSec: 600, learnedRate: 600 }, 'p1');
      expect(Number(await userA.zscore(liveKey, 'p2')) - before).toBeGreaterThanOrEqual(29_000);
    });

    it('refuses a goodput that is negative, NaN or infinite with a TypeError', async () => {
      for (const goodputPerSec of [-1, Number.NaN, Number.POSITIVE_INFINITY]) await expect(join(a, 'px', few(goodputPerSec))).rejects.toThrow(TypeError);
      expect(await userA.zscore(keys.live, 'px')).toBeNull();
      expect(recA.healths).toEqual([]);
    });
  });

  describe('joining reports and the reporters a verdict needs', () => {
    const windowKey = (endpoint: string) => `{fleet-test}:window:read:${endpoint}`;
    /** A report to `endpoint` (windows of 100 ms, 10 answers): `joining` makes it a joining report. */
    const at = (endpoint: string) => (store: ObsFleetStore, processId: string, window: PaceWindow, joining = false) =>
      store.reportPace({ endpoint, class: 'read', processId, window, windowMs: 100, minSamples: 10, liveMs: 10_000, ...(joining ? { joining } : {}) });
    const counts = (sent: number, goodputPerSec: number, throttled = 0): PaceWindow => ({ sent, throttled, waited: 1, durationMs: 40, goodputPerSec });

    // Before each sleep the window holds fewer than 10 answers, so no report there can close it however slow the machine.
    /** The fleet has a pace for `endpoint` (a later verdict needs three quarters of the live processes, the first all). */
    const paced = (endpoint: string) => a.setPace(endpoint, 'read', { ...unpacedState(), ratePerSec: 40, learnedRate: 40 }, 'pa');

    it('counts a joining process live and adds its counts, but sums its goodput only from its next report', async () => {
      const endpoint = 'https://joining.example';
      const report = at(endpoint);
      await paced(endpoint);
      await report(a, 'pa', counts(2, 5));
      await report(b, 'pb', counts(2, 6));
      await report(a, 'pc', counts(2, 7));
      const joined = await report(b, 'pd', counts(3, 100, 1), true);
      expect(joined).toEqual({ pace: { endpoint, class: 'read', fleetRatePerSec: 40, live: 4 }, judge: undefined });
      expect(await userA.hexists(windowKey(endpoint), 'g:pd')).toBe(0);
      await sleep(150);
      // 3 of 4 live processes' goodput in the sum: judged, with pd's answers but not its goodput.
      const first = (await report(a, 'pa', counts(2, 8))).judge;
      expect(first?.window).toMatchObject({ sent: 11, throttled: 1, waited: 5, goodputPerSec: 8 + 6 + 7 });
      expect(first?.reporters).toBe(3);
      expect(first?.liveBefore).toBe(4);

      // pd's next report, a normal one, brings its goodput.
      await sleep(150);
      const second = (await report(b, 'pd', counts(10, 9))).judge;
      expect(second?.window).toMatchObject({ sent: 10, goodputPerSec: 8 + 6 + 7 + 9 });
      expect(second?.reporters).toBe(4);
    });

    it("keeps a window open, counting on, until three quarters of the live processes' goodput is in the sum", async () => {
      const endpoint = 'https://quorum.example';
      const report = at(endpoint);
      await paced(endpoint);
      for (const [store, processId] of [[a, 'pa'], [b, 'pb'], [a, 'pc'], [b, 'pd']] as const) await report(store, processId, counts(2, 50, 1), true);
      await sleep(150);
      // Past windowMs and minSamples, but 1 and then 2 of the 4 live processes' goodput is in the sum.
      expect(await report(a, 'pa', counts(4, 5))).toEqual({ pace: { endpoint, class: 'read', fleetRatePerSec: 40, live: 4 }, judge: undefined });
      expect((await report(b, 'pb', counts(1, 6))).judge).toBeUndefined();
      const judge = (await report(a, 'pc', counts(1, 7))).judge;
      // Every report's answers since the window started, the joining ones' too.
      expect(judge?.window).toMatchObject({ sent: 14, throttled: 4, waited: 7, goodputPerSec: 5 + 6 + 7 });
      expect(judge?.window.durationMs).toBeGreaterThanOrEqual(100);
      expect(judge?.reporters).toBe(3);
      expect(judge?.liveBefore).toBe(4);
    });

    it("judges the fleet's first window only once every live process's goodput is in the sum", async () => {
      const endpoint = 'https://first.example';
      const report = at(endpoint);
      for (const [store, processId] of [[a, 'pa'], [b, 'pb'], [a, 'pc'], [b, 'pd']] as const) await report(store, processId, counts(2, 50, 1), true);
      await sleep(150);
      // Three of four, enough for a later verdict, but the fleet has no pace yet: the slowest report last.
      for (const [store, processId, goodput] of [[a, 'pa', 300], [b, 'pb', 280], [a, 'pc', 260]] as const) {
        expect(await report(store, processId, counts(5, goodput))).toEqual({ pace: { endpoint, class: 'read', fleetRatePerSec: null, live: 4 }, judge: undefined });
      }
      const judge = (await report(b, 'pd', counts(1, 160))).judge;
      expect(judge?.window).toMatchObject({ sent: 24, throttled: 4, goodputPerSec: 300 + 280 + 260 + 160 });
      expect(judge?.reporters).toBe(4);
    });

    it("keeps the fleet's first window open for firstWindowMs, a paced fleet's for windowMs", async () => {
      const endpoint = 'https://first-long.example';
      const report = (store: ObsFleetStore, processId: string, window: PaceWindow) =>
        store.reportPace({ endpoint, class: 'read', processId, window, windowMs: 100, firstWindowMs: 2000, minSamples: 10, liveMs: 10_000 });
      await report(a, 'pa', counts(2, 50, 1));
      await sleep(150);
      // Past windowMs and minSamples with every live process in the sum, but the fleet has no pace yet
      // (a machine would have to stall 1.85 s for this to be judged).
      expect((await report(a, 'pa', counts(10, 40))).judge).toBeUndefined();
      // Reported on until the store judges the window: by the store's clock, not before 2 s.
      let first: FleetPaceJudge | undefined;
      const deadline = Date.now() + 10_000;
      while (first === undefined && Date.now() < deadline) {
        await sleep(100);
        first = (await report(a, 'pa', counts(1, 40))).judge;
      }
      expect(first?.state).toBeUndefined();
      expect(first?.window.durationMs).toBeGreaterThanOrEqual(2000);

      await a.setPace(endpoint, 'read', { ...unpacedState(), ratePerSec: 40, learnedRate: 40 }, 'pa');
      await report(a, 'pa', counts(10, 40));
      await sleep(150);
      const paced = (await report(a, 'pa', counts(1, 40))).judge;
      expect(paced?.state?.ratePerSec).toBe(40);
      expect(paced?.window.durationMs).toBeGreaterThanOrEqual(100);
    });

    it('refuses a firstWindowMs that is negative, NaN or past 2³¹−1 ms with a TypeError', async () => {
      for (const firstWindowMs of [-1, Number.NaN, 2 ** 31]) {
        const report = { endpoint: 'https://first-bad.example', class: 'read' as const, processId: 'px', window: counts(1, 1), windowMs: 100, firstWindowMs, minSamples: 10, liveMs: 1000 };
        await expect(a.reportPace(report)).rejects.toThrow(TypeError);
      }
    });

    it('gives each verdict the live count when the window before it was judged, the first one the live count now', async () => {
      const endpoint = 'https://live-before.example';
      const report = at(endpoint);
      await report(a, 'pa', counts(2, 5));
      await report(b, 'pb', counts(2, 5));
      await sleep(150);
      const first = await report(a, 'pa', counts(8, 5));
      expect(first.pace.live).toBe(2);
      expect(first.judge?.liveBefore).toBe(2);

      await report(a, 'pc', counts(2, 5));
      await report(b, 'pd', counts(2, 5));
      await sleep(150);
      const second = await report(a, 'pa', counts(8, 5));
      expect(second.pace.live).toBe(4);
      expect(second.judge?.reporters).toBe(4);
      expect(second.judge?.liveBefore).toBe(2);

      await sleep(150);
      const third = await report(b, 'pb', counts(10, 5));
      expect(third.judge?.liveBefore).toBe(4);
    });
  });

  describe('a fleet that starts again', () => {
    const endpoint = 'https://restart.example';
    const paceKey = '{fleet-test}:pace:read:https://restart.example';
    const report = (processId: string, joining = false) =>
      a.reportPace({ endpoint, class: 'read', processId, window: { sent: 4, throttled: 1, waited: 0, durationMs: 40, goodputPerSec: 5 }, windowMs: 60_000, minSamples: 1000, liveMs: 10_000, ...(joining ? { joining } : {}) });
    const loaded = async () => (await b.load()).paces.find((pace) => pace.endpoint === endpoint);
    const verdict = (processId: string): Promise<void> => a.setPace(endpoint, 'read', { ...unpacedState(), ratePerSec: 400, learnedRate: 400 }, processId);

    it('shares its old pace among as many processes as its last verdict had, for a process not yet in the live count, until the next verdict', async () => {
      const first = ['p1', 'p2', 'p3', 'p4'];
      for (const processId of first) await report(processId);
      await verdict('p1');
      expect(await userA.hget(paceKey, 'size')).toBe('4');
      expect(await loaded()).toEqual({ endpoint, class: 'read', fleetRatePerSec: 400, live: 4 });
      // The whole fleet stops: the live count is empty, the pace stays.
      for (const processId of first) await a.leave?.(endpoint, 'read', processId);
      // A process that loads the state shares the pace among 4 (it used to take all 400 req/s as its share).
      expect(await loaded()).toEqual({ endpoint, class: 'read', fleetRatePerSec: 400, live: 1, sharedAmong: 4 });
      // So does the answer to the report (a joining one too) that adds a process to the live count; its next report does not.
      expect((await report('n1')).pace).toEqual({ endpoint, class: 'read', fleetRatePerSec: 400, live: 1, sharedAmong: 4 });
      expect((await report('n2', true)).pace).toEqual({ endpoint, class: 'read', fleetRatePerSec: 400, live: 2, sharedAmong: 4 });
      expect((await report('n1')).pace).toEqual({ endpoint, class: 'read', fleetRatePerSec: 400, live: 2 });
      // Past the old size, the live count rules.
      for (const processId of ['n3', 'n4']) await report(processId);
      expect((await report('n5')).pace).toEqual({ endpoint, class: 'read', fleetRatePerSec: 400, live: 5 });
      // A verdict keeps the live count then as the size (3 left, 2 live): a new process shares among the live count, 3.
      for (const processId of ['n3', 'n4', 'n5']) await a.leave?.(endpoint, 'read', processId);
      await verdict('n1');
      expect(await userA.hget(paceKey, 'size')).toBe('2');
      expect((await report('n6')).pace).toEqual({ endpoint, class: 'read', fleetRatePerSec: 400, live: 3 });
    });

    it('ignores a size the store holds that is not a number, or one past any count', async () => {
      for (const processId of ['n1', 'n2', 'n6']) await a.leave?.(endpoint, 'read', processId);
      for (const [index, size] of ['many', '1e400', 'nan', '-5'].entries()) {
        await userA.hset(paceKey, 'size', size);
        expect(await loaded()).toEqual({ endpoint, class: 'read', fleetRatePerSec: 400, live: 1 });
        const processId = `g${String(index)}`;
        expect((await report(processId)).pace).toEqual({ endpoint, class: 'read', fleetRatePerSec: 400, live: 1 });
        await a.leave?.(endpoint, 'read', processId);
      }
      expect(recA.healths).toEqual([]);
    });
  });

  it('lengthens a hold but never shortens it, with news only when lengthened', async () => {
    const endpoint = 'https://hold.example';
    await a.hold({ endpoint, class: 'write', pauseMs: 5000 }, 'pa');
    expect(await newsOf(recB, (news) => news.kind === 'hold' && news.endpoint === endpoint)).toEqual({ kind: 'hold', origin: 'pa', endpoint, class: 'write', pauseMs: 5000 });
    await b.hold({ endpoint, class: 'write', pauseMs: 100 }, 'pb');
    await b.hold({ endpoint, class: 'write', pauseMs: 8000 }, 'pb');
    await newsOf(recA, (news) => news.kind === 'hold' && news.pauseMs === 8000);
    expect(recA.seen.filter((news) => news.kind === 'hold' && news.endpoint === endpoint).map((news) => news.origin)).toEqual(['pa', 'pb']);
    const hold = (await a.load()).holds.find((held) => held.endpoint === endpoint);
    expect(hold?.pauseMs).toBeGreaterThan(5000);
    expect(hold?.pauseMs).toBeLessThanOrEqual(8000);
  });
});

describe('redirects, the clock and load', () => {
  it('remembers redirects (the newest 1000) and the clock, with news', async () => {
    await a.redirect({ from: 'https://old.example/b', to: 'https://new.example/b' }, 'pa');
    expect(await newsOf(recB, (news) => news.kind === 'redirect')).toEqual({ kind: 'redirect', origin: 'pa', from: 'https://old.example/b', to: 'https://new.example/b' });
    for (let i = 0; i < 1000; i++) await b.redirect({ from: `https://r${String(i)}.example`, to: 'https://to.example' }, 'pb');
    const redirects = (await a.load()).redirects;
    expect(redirects).toHaveLength(1000);
    expect(redirects.map((redirect) => redirect.from)).not.toContain('https://old.example/b');
    await b.clock(-1234.5, 'pb');
    expect(await newsOf(recA, (news) => news.kind === 'clock' && news.serverMinusStoreMs !== 0)).toEqual({ kind: 'clock', origin: 'pb', serverMinusStoreMs: -1234.5 });
    expect((await a.load()).serverMinusStoreMs).toBe(-1234.5);
  });

  it('measures the store clock against the local one (same machine: close to 0)', async () => {
    expect(Math.abs(await a.storeMinusLocalMs())).toBeLessThan(1000);
  });

  it('drops index members whose record aged out', async () => {
    const endpoint = 'https://brief.example';
    await a.open({ endpoint, waitMs: 30, intervalMs: 30 }, 'pa');
    await a.hold({ endpoint, class: 'other', pauseMs: 30 }, 'pa');
    await sleep(100);
    const state = await a.load();
    expect(state.breakers.map((open) => open.endpoint)).not.toContain(endpoint);
    expect(state.holds.map((held) => held.endpoint)).not.toContain(endpoint);
    expect(await userA.sismember('{fleet-test}:breakers', endpoint)).toBe(0);
  });

  it('refuses arguments it cannot store with a TypeError, leaving the health alone', async () => {
    await expect(a.open({ endpoint: 'https://x.example', waitMs: Number.NaN, intervalMs: 1 }, 'pa')).rejects.toThrow(TypeError);
    await expect(a.reportStreak('', 'pa', 1, 1, 1, 1, 1)).rejects.toThrow(TypeError);
    await expect(a.setPace('https://x.example', 'read', { ...unpacedState(), ratePerSec: -1 }, 'pa')).rejects.toThrow(TypeError);
    await expect(a.hold({ endpoint: 'https://x.example', class: 'nope' as 'read', pauseMs: 1 }, 'pa')).rejects.toThrow(TypeError);
    expect(recA.healths).toEqual([]);
    await a.load();
  });
});
