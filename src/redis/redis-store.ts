/**
 * The fleet store on Redis (`obs-axios-policies/redis`): an `ObsFleetStore`
 * whose operations are the Lua scripts of scripts.ts, run on connections of
 * its own, duplicated from the ioredis client the user passes (which is never
 * changed or closed). Every operation rejects within `timeoutMs` when Redis
 * cannot answer; an argument that cannot be stored (a caller's bug) rejects
 * with a `TypeError` and leaves the store's health alone.
 */
import type { Redis } from 'ioredis';
import type { FleetHold, FleetOpenBreaker, FleetPaceReport, FleetRedirect, ObsFleetStore } from '../fleet/fleet-store.js';
import { MAX_TIMER_DELAY_MS } from '../util/timer-limit.js';
import type { OperationClass } from '../throttle/operation-class.js';
import type { PaceState } from '../throttle/pace-estimator.js';
import { decodeFleetState, decodePaceAnswer, decodeStreakAnswer, UnexpectedAnswer } from './answer-codec.js';
import { classOf, countOf, durationOf, finiteAtLeastZero, MAX_TEXT_LENGTH, offsetOf, rateOf, textOf } from '../fleet/fleet-items.js';
import { LIVE_ANSWERS } from '../fleet/liveness.js';
import { memberOf, storeKeys } from './redis-keys.js';
import { resolveStoreOptions, type RedisStoreOptions } from './redis-options.js';
import { CLOCK, CLOSE, HOLD, LEAVE, LOAD, OPEN, REDIRECT, REPORT_PACE, REPORT_STREAK, SET_PACE, type StoreScript } from './scripts.js';
import { openConnection, type StoreConnection } from './store-connection.js';
import { StoreUnavailable } from './store-fault.js';

/** Redirects remembered at most; the oldest goes first. */
const MAX_REDIRECTS = 1000;

type ScriptCommand = (...keysAndArgs: string[]) => Promise<unknown>;

function runScript(client: Redis, script: StoreScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  const command = (client as unknown as Record<string, ScriptCommand | undefined>)[script.name];
  if (typeof command !== 'function') return Promise.reject(new UnexpectedAnswer(`script ${script.name} is not defined`));
  return command.apply(client, [...keys, ...args]);
}

function invalid(name: string, expected: string): never {
  throw new TypeError(`obs-axios-policies: redis store argument "${name}" must be ${expected}.`);
}

function text(name: string, value: unknown): string {
  return textOf(value) ?? invalid(name, `a non-empty string of at most ${String(MAX_TEXT_LENGTH)} characters`);
}

function cls(value: unknown): OperationClass {
  return classOf(value) ?? invalid('class', 'an operation class');
}

/** A duration as Redis expiries take it: a whole number of ms, at least 1. */
function ms(name: string, value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_DELAY_MS) invalid(name, 'a duration in ms from 0 to 2³¹−1');
  return String(Math.max(1, Math.ceil(value)));
}

/** A duration kept as given (not an expiry). */
function duration(name: string, value: unknown): string {
  return String(durationOf(value) ?? invalid(name, 'a duration in ms from 0 to 2³¹−1'));
}

function count(name: string, value: unknown, min = 0): string {
  return String(countOf(value, min) ?? invalid(name, `an integer ≥ ${String(min)}`));
}

function finite(name: string, value: unknown): string {
  return String(offsetOf(value) ?? invalid(name, 'a finite number'));
}

/** A rate in req/s that may be 0. */
function goodput(name: string, value: unknown): string {
  return String(finiteAtLeastZero(value) ?? invalid(name, 'a finite number ≥ 0'));
}

/**
 * A fleet store on Redis.
 * @param redis the user's ioredis client (connected or connecting); the store duplicates it for its
 *   own connections (`redis.duplicate`) and never changes or closes it
 * @param options key prefix, timeout and retry interval
 * @throws TypeError when an option is invalid or `redis` is not an ioredis client
 */
export function createRedisStore(redis: Redis, options?: RedisStoreOptions): ObsFleetStore {
  const settings = resolveStoreOptions(options);
  if (typeof (redis as Partial<Redis> | null | undefined)?.duplicate !== 'function') {
    throw new TypeError('obs-axios-policies: createRedisStore needs an ioredis client (with a duplicate method).');
  }
  const keys = storeKeys(settings.prefix);
  let connection: StoreConnection | undefined;

  function run<T>(op: (client: Redis) => Promise<T>): Promise<T> {
    if (connection === undefined) return Promise.reject(new StoreUnavailable({ fault: 'closed', detail: 'not connected' }));
    return connection.run(op);
  }

  return {
    connect(listener) {
      connection?.close();
      connection = undefined;
      try {
        connection = openConnection(redis, settings, keys.channel, listener);
      } catch {
        try {
          listener.health('error', 'could not open a connection');
        } catch {
          // The listener's own failure is not the store's.
        }
      }
    },
    disconnect() {
      connection?.close();
      connection = undefined;
    },
    async load() {
      return decodeFleetState(await run((c) => runScript(c, LOAD, [keys.breakers, keys.paces, keys.holds, keys.redirects, keys.clock], [keys.openBase, keys.paceBase, keys.liveBase, keys.holdBase])));
    },
    storeMinusLocalMs() {
      return run(async (c) => {
        const before = Date.now();
        const [seconds, micros] = await c.time();
        const after = Date.now();
        const store = Number(seconds) * 1000 + Number(micros) / 1000;
        if (!Number.isFinite(store)) throw new UnexpectedAnswer('TIME did not answer a time');
        return store - (before + after) / 2;
      });
    },
    async reportStreak(endpoint, processId, streak, threshold, waitMs, intervalMs, staleMs) {
      const args = [text('endpoint', endpoint), text('processId', processId), count('streak', streak), count('threshold', threshold, 1), ms('waitMs', waitMs), duration('intervalMs', intervalMs), ms('staleMs', staleMs), keys.channel];
      return decodeStreakAnswer(await run((c) => runScript(c, REPORT_STREAK, [keys.streaks(endpoint), keys.open(endpoint), keys.probe(endpoint), keys.breakers], args)));
    },
    async open(breaker: FleetOpenBreaker, processId) {
      const { endpoint } = breaker;
      const args = [text('endpoint', endpoint), text('processId', processId), ms('waitMs', breaker.waitMs), duration('intervalMs', breaker.intervalMs), keys.channel];
      await run((c) => runScript(c, OPEN, [keys.open(endpoint), keys.probe(endpoint), keys.breakers], args));
    },
    async close(endpoint, processId) {
      const args = [text('endpoint', endpoint), text('processId', processId), keys.channel];
      await run((c) => runScript(c, CLOSE, [keys.open(endpoint), keys.probe(endpoint), keys.streaks(endpoint), keys.breakers], args));
    },
    async claimProbe(endpoint, processId, ttlMs) {
      const args = [text('endpoint', endpoint), text('processId', processId), ms('ttlMs', ttlMs)] as const;
      return (await run((c) => c.set(keys.probe(endpoint), args[1], 'PX', args[2], 'NX'))) === 'OK';
    },
    async reportPace(report: FleetPaceReport) {
      const { endpoint, window } = report;
      const member = memberOf(text('endpoint', endpoint), cls(report.class));
      const args = [text('processId', report.processId), count('window.sent', window.sent), count('window.throttled', window.throttled), count('window.waited', window.waited), ms('windowMs', report.windowMs), count('minSamples', report.minSamples), ms('liveMs', report.liveMs), duration('window.durationMs', window.durationMs), window.goodputPerSec === undefined ? '' : goodput('window.goodputPerSec', window.goodputPerSec), report.joining === true ? '1' : '', ms('firstWindowMs', report.firstWindowMs ?? report.windowMs)];
      const reply = await run((c) => runScript(c, REPORT_PACE, [keys.window(member), keys.live(member), keys.pace(member)], args));
      return decodePaceAnswer(reply, endpoint, report.class);
    },
    async setPace(endpoint, operationClass, state: PaceState, processId) {
      const member = memberOf(text('endpoint', endpoint), cls(operationClass));
      const rate = rateOf(state.ratePerSec);
      if (rate === undefined) invalid('state.ratePerSec', 'a rate above 0 or null');
      const args = [endpoint, operationClass, text('processId', processId), JSON.stringify(state), rate === null ? '' : String(rate), member, keys.channel, String(LIVE_ANSWERS)];
      await run((c) => runScript(c, SET_PACE, [keys.pace(member), keys.live(member), keys.paces, keys.window(member)], args));
    },
    async leave(endpoint, operationClass, processId) {
      const member = memberOf(text('endpoint', endpoint), cls(operationClass));
      const args = [endpoint, operationClass, text('processId', processId), keys.channel];
      await run((c) => runScript(c, LEAVE, [keys.live(member), keys.window(member), keys.pace(member)], args));
    },
    async hold(hold: FleetHold, processId) {
      const member = memberOf(text('endpoint', hold.endpoint), cls(hold.class));
      const args = [hold.endpoint, hold.class, text('processId', processId), ms('pauseMs', hold.pauseMs), member, keys.channel];
      await run((c) => runScript(c, HOLD, [keys.hold(member), keys.holds], args));
    },
    async redirect(redirect: FleetRedirect, processId) {
      const args = [text('from', redirect.from), text('to', redirect.to), text('processId', processId), String(MAX_REDIRECTS), keys.channel];
      await run((c) => runScript(c, REDIRECT, [keys.redirects, keys.redirectOrder], args));
    },
    async clock(serverMinusStoreMs, processId) {
      const args = [finite('serverMinusStoreMs', serverMinusStoreMs), text('processId', processId), keys.channel];
      await run((c) => runScript(c, CLOCK, [keys.clock], args));
    },
  };
}
