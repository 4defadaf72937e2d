/**
 * The chaos soak: a seeded mix of OBS faults against two local OBS servers,
 * many calls in flight, random aborts, and an oracle that checks every call:
 * it settles, its outcome matches what the server sent last, its attempts stay
 * bounded, and no POST the server may have processed is received twice.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import axios, { type AxiosResponse } from 'axios';
import { attachObsPolicies, isObsError, type ObsError, type ObsPolicyOptions } from '../../src/index.js';
import { createObsServer, throttle, type ObsTestServer, type RecordedRequest } from '../../src/testing/index.js';
// The jest-free part of the harness: this runner is also a program (`npm run soak`), outside jest.
import { sleep, until } from '../support/poll.js';
import { createChaos, seeded, type Chaos, type Injected } from './chaos.js';

/** Size and shape of a soak run. */
export interface SoakOptions {
  calls: number;
  concurrency: number;
  seed: number;
  /** Calls per batch: records are checked and dropped after each, bounding memory. */
  batch: number;
  /** axios timeout per attempt. */
  timeoutMs: number;
  /** A call not settled after this long is reported hung. */
  watchdogMs: number;
  /** Share of calls aborted at a random moment. */
  abortRate: number;
  /** Called after each batch has been checked (while the handle is still attached): heap sampling. */
  onBatch?: ((batch: number, figures: SoakFigures) => void) | undefined;
}

/** What a run measured. */
export interface SoakFigures {
  calls: number;
  settled: number;
  succeeded: number;
  canceled: number;
  failedByCode: Record<string, number>;
  faultsInjected: Record<string, number>;
  requestsSent: number;
  maxAttempts: number;
  /** Calls that never settled (the watchdog fired). */
  lost: number;
  /** The throttled phase: GETs against a rate-limited endpoint, with pacing on. */
  throttled: ThrottledFigures;
  /** The longest the event loop stalled during a chaos batch, ms (it widens the oracle's timer allowance). */
  maxLoopStallMs: number;
  violations: string[];
  durationMs: number;
}

/** What the throttled phase measured. */
export interface ThrottledFigures {
  calls: number;
  ok: number;
  /** Requests the throttled server received. */
  requests: number;
  slowDowns: number;
  paceChanges: number;
  /**
   * The pace the handle already held for server a's GETs when the phase started (`null`: none). The
   * chaos phase's random SlowDowns can leave one; a pace at or below the phase's limit is already
   * pacing it, and a throttled window never raises a pace, so no `rateChange` comes.
   */
  startPacePerSec: number | null;
  /** Requests per second this machine offered the unthrottled endpoint just before the phase. */
  offeredPerSec: number;
  /** The server's rate limit in the phase: a fixed share of what was offered, so it is exceeded at any machine speed. */
  limitPerSec: number;
}

/** Defaults at CI size. */
export const CI_SOAK: SoakOptions = { calls: 1500, concurrency: 64, seed: 424242, batch: 500, timeoutMs: 1000, watchdogMs: 20_000, abortRate: 0.02 };

const RETRIES = 3;
const MAX_REDIRECTS = 3;
const ATTEMPT_BOUND = RETRIES + 1 + MAX_REDIRECTS;
const OBJECTS = 100;
/** Written keys cycle through this many names, so the servers' stores stay bounded. */
const KEY_SPACE = 256;
/**
 * The throttled phase's server lets through this share of the rate the machine offered an
 * unthrottled endpoint just before: a fixed overload whatever the machine's speed.
 */
const THROTTLE_SHARE = 0.25;
/** The throttled server's limit never goes below this (req/s). */
const MIN_THROTTLE_RATE = 10;
/** GETs sent to measure the offered rate before the throttled phase. */
const CALIBRATION_CALLS = 256;
/** What a throttled-phase call may fail with. */
const THROTTLED_PHASE_CODES: ReadonlySet<string> = new Set(['SlowDown', 'Timeout', 'NetworkError', 'CircuitOpen']);
/** The throttled phase lasts at least this long (several pacing windows). */
const THROTTLE_PHASE_MIN_MS = 1500;
/** Until the handle has paced, the throttled phase goes on, up to this long. */
const THROTTLE_PHASE_MAX_MS = 20_000;
/**
 * Evidence that pacing must have started: the throttled server answered SlowDown to at least
 * this many requests, and to this share of all it received (a pacing window is judged on 30 answers
 * and cuts the pace past a 2 % throttled share).
 */
const PACE_EVIDENCE = { slowDowns: 100, share: 0.1 };
/**
 * Timer jitter allowance when comparing a request's delay with the client's timeout; the longest
 * event-loop stall measured in the batch is added to it (client and servers share one loop, so a
 * stall can fire the client's timeout before it reads an answer that was already sent).
 */
const TIMER_SLACK_MS = 50;

interface CallResult {
  id: number;
  method: string;
  aborted: boolean;
  outcome: { type: 'success'; response: AxiosResponse } | { type: 'error'; error: unknown } | { type: 'hung' };
}

interface Seen {
  request: RecordedRequest;
  injected: Injected | undefined;
}

function attemptOf(seen: Seen): number {
  return Number(seen.request.headers['x-soak-attempt'] ?? 0);
}

/** How long after the client sent it the request reached the server. */
function lateness(seen: Seen): number {
  return seen.request.receivedAt - Number(seen.request.headers['x-soak-sent-at'] ?? seen.request.receivedAt);
}

/** Runs one soak. */
export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const started = Date.now();
  const random = seeded(options.seed);
  const violations: string[] = [];
  const onUnhandled = (reason: unknown): void => {
    violations.push(`unhandled rejection: ${String(reason)}`);
  };
  const onUncaught = (error: Error): void => {
    violations.push(`uncaught exception: ${error.message}`);
  };
  const onWarning = (warning: Error): void => {
    if (warning.name === 'MaxListenersExceededWarning') violations.push(`warning: ${warning.message}`);
  };
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUncaught);
  process.on('warning', onWarning);

  let order = 0;
  const nextOrder = (): number => ++order;
  // Outage windows: 100 ms of InternalError in every 2 s.
  const outage = (): boolean => (Date.now() - started) % 2000 < 100;
  const a = await createObsServer();
  const b = await createObsServer();
  const chaosA = createChaos('a', seeded(options.seed + 1), b.url, options.timeoutMs, outage, nextOrder);
  const chaosB = createChaos('b', seeded(options.seed + 2), undefined, options.timeoutMs, outage, nextOrder);
  a.scenario(chaosA.scenario);
  b.scenario(chaosB.scenario);
  for (const server of [a, b]) {
    for (const bucket of ['photos', 'copies', 'logs', 'moved']) server.createBucket(bucket);
    for (let i = 0; i < OBJECTS; i++) {
      server.putObject('photos', `obj-${String(i)}`, Buffer.alloc(64, i));
      server.putObject('moved', `obj-${String(i)}`, Buffer.alloc(32, i));
    }
  }

  // The event loop's stalls, measured per batch (see TIMER_SLACK_MS).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let timerSlackMs = TIMER_SLACK_MS;

  /** The highest request number each call stamped (client side): a request that timed out may never reach the server. */
  const lastStamped = new Map<number, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const client = axios.create({ baseURL: a.url, timeout: options.timeoutMs, httpAgent: agent });
  const policyOptions: ObsPolicyOptions = {
    retry: { retries: RETRIES, minDelayMs: 1, maxDelayMs: 10 },
    breaker: { volumeThreshold: 20, errorThresholdPercentage: 50, resetTimeoutMs: 50 },
    redirect: { maxRedirects: MAX_REDIRECTS, allowHosts: [] },
    random: seeded(options.seed + 3),
    // Stamps each request with the client's own attempt number and send time, so the oracle
    // orders a call's requests as the client sent them (a request may reach the server late,
    // after the client has timed out on it and moved on).
    sign: (config, context) => {
      const call = Number(config.headers.get('x-soak-call'));
      lastStamped.set(call, Math.max(lastStamped.get(call) ?? 0, context.requestNumber));
      config.headers.set('x-soak-attempt', String(context.requestNumber));
      config.headers.set('x-soak-sent-at', String(Date.now()));
      return config;
    },
  };
  const handle = attachObsPolicies(client, policyOptions);

  const figures: SoakFigures = {
    calls: options.calls,
    settled: 0,
    succeeded: 0,
    canceled: 0,
    failedByCode: {},
    faultsInjected: {},
    requestsSent: 0,
    maxAttempts: 0,
    lost: 0,
    throttled: { calls: 0, ok: 0, requests: 0, slowDowns: 0, paceChanges: 0, startPacePerSec: null, offeredPerSec: 0, limitPerSec: 0 },
    maxLoopStallMs: 0,
    violations,
    durationMs: 0,
  };

  async function oneCall(id: number): Promise<CallResult> {
    const r = random();
    const n = Math.floor(random() * OBJECTS);
    const headers = { 'x-soak-call': String(id) };
    const controller = new AbortController();
    const aborted = random() < options.abortRate;
    let abortTimer: NodeJS.Timeout | undefined;
    if (aborted) abortTimer = setTimeout(() => {
      controller.abort();
    }, Math.floor(random() * 30));
    const config = { headers, signal: controller.signal };
    let method = 'GET';
    let call: Promise<AxiosResponse>;
    if (r < 0.35) call = client.get(`/photos/obj-${String(n)}`, config);
    else if (r < 0.4) call = client.get(`/moved/obj-${String(n)}`, config);
    else if (r < 0.45) call = client.get(`/photos/missing-${String(id)}`, config);
    else if (r < 0.6) [method, call] = ['PUT', client.put(`/photos/up-${String(id % KEY_SPACE)}`, `body ${String(id)}`, config)];
    else if (r < 0.7) [method, call] = ['HEAD', client.head(`/photos/obj-${String(n)}`, config)];
    else if (r < 0.75) [method, call] = ['DELETE', client.delete(`/logs/gone-${String(id)}`, config)];
    else if (r < 0.87) [method, call] = ['POST', client.post(`/logs/append-${String(id)}?append&position=0`, `line ${String(id)}\n`, config)];
    else [method, call] = ['PUT', client.put(`/copies/copy-${String(id % KEY_SPACE)}`, undefined, { ...config, headers: { ...headers, 'x-obs-copy-source': `/photos/obj-${String(n)}` } })];
    let watchdog: NodeJS.Timeout | undefined;
    const hung = new Promise<CallResult>((resolve) => {
      watchdog = setTimeout(() => {
        resolve({ id, method, aborted, outcome: { type: 'hung' } });
      }, options.watchdogMs);
    });
    const settledCall = call.then(
      (response): CallResult => ({ id, method, aborted, outcome: { type: 'success', response } }),
      (error: unknown): CallResult => ({ id, method, aborted, outcome: { type: 'error', error } }),
    );
    const result = await Promise.race([settledCall, hung]);
    clearTimeout(watchdog);
    clearTimeout(abortTimer);
    return result;
  }

  function seenByCall(): Map<number, Seen[]> {
    const byCall = new Map<number, Seen[]>();
    for (const [name, server, chaos] of [['a', a, chaosA], ['b', b, chaosB]] as [string, ObsTestServer, Chaos][]) {
      for (const request of server.requests) {
        const id = Number(request.headers['x-soak-call']);
        const list = byCall.get(id) ?? [];
        list.push({ request, injected: chaos.injected.get(`${name}:${String(request.seq)}`) });
        byCall.set(id, list);
      }
    }
    for (const list of byCall.values()) list.sort((x, y) => attemptOf(x) - attemptOf(y));
    return byCall;
  }

  function check(result: CallResult, seen: Seen[]): void {
    const where = `call ${String(result.id)} (${result.method})`;
    figures.requestsSent += seen.length;
    figures.maxAttempts = Math.max(figures.maxAttempts, seen.length);
    if (seen.length > ATTEMPT_BOUND) violations.push(`${where}: ${String(seen.length)} requests > bound ${String(ATTEMPT_BOUND)}`);
    if (result.method === 'POST') {
      seen.slice(0, -1).forEach((s) => {
        if (s.injected?.mayHaveProcessed !== false) violations.push(`${where}: POST re-sent after ${s.injected?.fault ?? 'unknown'}`);
      });
    }
    const last = seen.at(-1);
    const { outcome } = result;
    if (outcome.type === 'hung') {
      figures.lost++;
      violations.push(`${where}: did not settle within ${String(options.watchdogMs)} ms`);
      return;
    }
    figures.settled++;
    if (outcome.type === 'success') {
      figures.succeeded++;
      const lastOk = last?.injected?.fault === 'ok' || (result.method === 'HEAD' && last?.injected?.fault === 'reset after head');
      // The request that succeeded is the call's last one, and it reached the server. (Earlier ones
      // may be missing: a request the client timed out on can die before the server reads it,
      // more so on a loaded machine.)
      if (last === undefined || attemptOf(last) !== lastStamped.get(result.id)) {
        violations.push(`${where}: succeeded but its last request did not reach the server`);
      }
      if (!lastOk) violations.push(`${where}: succeeded although the last answer was ${last?.injected?.fault ?? 'nothing'}`);
      return;
    }
    const { error } = outcome;
    if (axios.isCancel(error)) {
      figures.canceled++;
      if (!result.aborted) violations.push(`${where}: canceled without an abort`);
      return;
    }
    if (!isObsError(error)) {
      violations.push(`${where}: rejected with a non-ObsError: ${String(error)}`);
      return;
    }
    const obsError: ObsError = error;
    figures.failedByCode[obsError.obsCode] = (figures.failedByCode[obsError.obsCode] ?? 0) + 1;
    if (obsError.obsCode === 'CircuitOpen') {
      if (seen.length !== 0) violations.push(`${where}: CircuitOpen after ${String(seen.length)} requests were sent`);
      return;
    }
    if (obsError.attempts > ATTEMPT_BOUND) violations.push(`${where}: attempts ${String(obsError.attempts)} > bound`);
    if (seen.length > obsError.attempts) violations.push(`${where}: the servers received ${String(seen.length)} requests, the client counted ${String(obsError.attempts)}`);
    // The client's last request either reached the server (then its answer decides the code) or it
    // did not in time (the client timed out or lost the connection first).
    const clientGaveUpFirst =
      last === undefined || attemptOf(last) < obsError.attempts || lateness(last) >= options.timeoutMs - timerSlackMs;
    if (clientGaveUpFirst && (obsError.obsCode === 'Timeout' || obsError.obsCode === 'NetworkError')) return;
    if (last === undefined) {
      violations.push(`${where}: ${obsError.obsCode} although nothing reached the servers`);
      return;
    }
    const response = last.request.response;
    const storeCode = typeof response === 'object' ? (response.code ?? `HTTP_${String(response.status)}`) : undefined;
    // A HEAD answer has no body: a code that only the body carried cannot be known.
    const bodyOnly = result.method === 'HEAD' && last.injected?.fault === 'truncated XML';
    const expected = bodyOnly ? storeCode : (last.injected?.expectedCode ?? storeCode);
    if (obsError.obsCode !== expected) violations.push(`${where}: ${obsError.obsCode} but the server last sent ${expected ?? 'nothing'} (${last.injected?.fault ?? '?'})`);
  }

  for (let from = 0; from < options.calls; from += options.batch) {
    const to = Math.min(options.calls, from + options.batch);
    const results: CallResult[] = [];
    loopDelay.reset();
    let next = from;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < to) results.push(await oneCall(next++));
      }),
    );
    // Let late server-side answers (slow, reset) land before reading the records.
    await sleep(options.timeoutMs + 150);
    const stallMs = loopDelay.max / 1e6;
    figures.maxLoopStallMs = Math.max(figures.maxLoopStallMs, Math.round(stallMs));
    timerSlackMs = TIMER_SLACK_MS + stallMs;
    const byCall = seenByCall();
    for (const result of results) check(result, byCall.get(result.id) ?? []);
    for (const server of [a, b]) {
      server.clearRecords();
      // Appends use fresh keys (position 0); dropping them keeps the test servers' memory flat.
      server.emptyBucket('logs');
    }
    chaosA.injected.clear();
    chaosB.injected.clear();
    options.onBatch?.(from / options.batch, figures);
  }

  await throttledPhase();

  /**
   * The throttled phase: server a limits GETs to a share of the rate this machine just offered it,
   * so it is overloaded at any speed. Every call must settle with a success or the SlowDown it last
   * got, within the attempt bound; once the server has throttled plainly, the handle must pace it:
   * a `rateChange` in the phase, or a pace at or below the limit held from the chaos phase (the
   * server still throttles then: the soak's `maxDelayMs` of 10 ms caps each wait for the pace).
   */
  async function throttledPhase(): Promise<void> {
    a.clearScenarios();
    a.clearRecords();
    // The chaos phase may have left a's breaker open (its outage windows): start once it has let go.
    await until(() => handle.breakerState(new URL(a.url).origin) !== 'open', { timeoutMs: 5000 }).catch(() => undefined);
    const stats = figures.throttled;
    stats.offeredPerSec = await offeredRate();
    stats.limitPerSec = Math.max(MIN_THROTTLE_RATE, Math.round(stats.offeredPerSec * THROTTLE_SHARE));
    a.clearRecords();
    const origin = new URL(a.url).origin;
    stats.startPacePerSec = handle.snapshot().paces.find((pace) => pace.endpoint === origin && pace.class === 'read')?.ratePerSec ?? null;
    a.scenario(throttle({ ratePerSec: stats.limitPerSec, burst: Math.max(1, Math.round(stats.limitPerSec / 10)) }));
    const off = handle.on('rateChange', () => {
      stats.paceChanges++;
    });
    // Paced: a pace was learned in the phase, or the one held from the chaos phase is at or below the limit.
    const paced = (): boolean => stats.paceChanges > 0 || (stats.startPacePerSec !== null && stats.startPacePerSec <= stats.limitPerSec);
    // At least a few pacing windows long (the retry budget may make early calls fail fast), then on
    // until the handle has paced (bounded by a count and a time).
    const minCalls = Math.max(CALIBRATION_CALLS, Math.floor(options.calls / 10));
    const maxCalls = minCalls * 40;
    const phaseStart = Date.now();
    let next = 0;
    const enough = (): boolean =>
      next >= maxCalls || Date.now() - phaseStart >= THROTTLE_PHASE_MAX_MS || (next >= minCalls && Date.now() - phaseStart >= THROTTLE_PHASE_MIN_MS && paced());
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (!enough()) {
          const id = options.calls + next++;
          stats.calls++;
          try {
            await client.get(`/photos/obj-${String(id % OBJECTS)}`, { headers: { 'x-soak-call': String(id) } });
            stats.ok++;
          } catch (error) {
            // SlowDown is what the server sends; a loaded machine may add client timeouts, and with
            // them an open breaker (CircuitOpen). Anything else is wrong.
            if (!isObsError(error) || !THROTTLED_PHASE_CODES.has(error.obsCode)) {
              violations.push(`throttled call ${String(id)}: ${isObsError(error) ? error.obsCode : String(error)} instead of success or SlowDown`);
            }
          }
        }
      }),
    );
    off();
    for (const request of a.requests) {
      stats.requests++;
      if (typeof request.response === 'object' && request.response.code === 'SlowDown') stats.slowDowns++;
    }
    const plainlyThrottled = stats.slowDowns >= PACE_EVIDENCE.slowDowns && stats.slowDowns >= PACE_EVIDENCE.share * stats.requests;
    if (!paced() && plainlyThrottled) {
      const held = stats.startPacePerSec === null ? 'no pace' : `a pace of ${String(stats.startPacePerSec)} req/s`;
      violations.push(
        `throttled phase: the server answered ${String(stats.slowDowns)} of ${String(stats.requests)} requests SlowDown (limit ${String(stats.limitPerSec)} req/s), and the handle never paced it (it held ${held} when the phase started)`,
      );
    }
    if (stats.requests > stats.calls * (RETRIES + 1)) violations.push(`throttled phase: ${String(stats.requests)} requests for ${String(stats.calls)} calls exceeds the attempt bound`);
    a.clearScenarios();
    a.clearRecords();
  }

  /** Requests per second server a received from CALIBRATION_CALLS GETs, all in flight at the soak's concurrency. */
  async function offeredRate(): Promise<number> {
    const startedAt = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < CALIBRATION_CALLS) {
          const id = options.calls + next++;
          await client.get(`/photos/obj-${String(id % OBJECTS)}`, { headers: { 'x-soak-call': String(id) } }).catch(() => undefined);
        }
      }),
    );
    return (a.requests.length * 1000) / Math.max(1, Date.now() - startedAt);
  }

  for (const chaos of [chaosA, chaosB]) {
    for (const [fault, n] of chaos.counts) figures.faultsInjected[fault] = (figures.faultsInjected[fault] ?? 0) + n;
  }
  loopDelay.disable();
  handle.detach();
  agent.destroy();
  await Promise.all([a.close(), b.close()]);
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUncaught);
  process.off('warning', onWarning);
  figures.durationMs = Date.now() - started;
  return figures;
}
