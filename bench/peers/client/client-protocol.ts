/**
 * Requests the parent sends to a client process, and what it gets back.
 * A client process builds one client at a time (`open`), drives load with it
 * (`load`, any number of times: the overhead rounds reuse one client), and
 * drops it (`close`).
 */
import type { JsonObject } from '../ipc/protocol.js';
import type { StoreSpec } from '../store/store-spec.js';

/** The client libraries the benchmark knows; each has a builder in `client/kinds/`. */
export type ClientKind = 'axios' | 'axios-retry' | 's3' | 'obs';

/** How to build a client. */
export interface ClientSpec {
  kind: ClientKind;
  /** Extra constructor options of the kind, as JSON (for `obs`: `attachObsPolicies` options). */
  options: JsonObject;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** The bucket: every request of this client carries it in its path, which tags it for the server's log. */
  bucket: string;
  key: string;
  /** Sockets of its keep-alive agent (the calls in flight). */
  sockets: number;
  /** axios clients: `relative` uses `baseURL` and a relative path, `absolute` a full URL per call. */
  urlStyle: 'relative' | 'absolute';
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Absolute path of the built package (`dist/index.js`), for `obs`. */
  distEntry: string;
  /** The Redis and prefix of an `obs` client whose options ask for the fleet store. */
  store?: StoreSpec;
}

/** `calls` GETs, `concurrency` in flight, from `startAt` (epoch ms); in-flight calls are aborted at `deadlineMs`. */
export interface FixedLoad {
  mode: 'fixed';
  calls: number;
  concurrency: number;
  startAt: number;
  deadlineMs: number;
}

/**
 * `callers` loops that call again the moment a call ends, success or not (no
 * delay of their own), from `startAt` until `hardEndAt`, or until `settleMs`
 * after the first success that completes after `healAt`.
 */
export interface LoopLoad {
  mode: 'loop';
  callers: number;
  startAt: number;
  healAt: number;
  hardEndAt: number;
  settleMs: number;
  /** A bound on calls across all callers, in case a client fails in microseconds. */
  maxCalls: number;
  /** Epoch ms at which the calls in flight are counted (`inFlightAtMark`), e.g. an outage's start. */
  markAt?: number;
}

/** A load to drive. */
export type LoadSpec = FixedLoad | LoopLoad;

/** A request to a client process. */
export type ClientRequest = { type: 'open'; spec: ClientSpec } | { type: 'warm'; sockets: number } | { type: 'load'; load: LoadSpec } | { type: 'close' };

/** What a fixed load measured. */
export interface FixedResult {
  ok: number;
  failed: number;
  /** Calls never started because the deadline came first (also counted in `failed`). */
  notStarted: number;
  /** Failed calls by code (`SlowDown`, `HTTP_503`, `CircuitOpen`, `ECONNRESET`, `Aborted` …). */
  byCode: Record<string, number>;
  /** Client CPU (user + system) in µs over the load. */
  cpuUs: number;
  /** Epoch ms of the start and of the last call's end. */
  startedAt: number;
  endedAt: number;
}

/** What a loop load measured. */
export interface LoopResult {
  calls: number;
  ok: number;
  failed: number;
  /** Calls refused by the client itself (an open circuit breaker): nothing was sent. */
  refused: number;
  byCode: Record<string, number>;
  /** Epoch ms when the first call completing after `healAt` succeeded, or null. */
  firstSuccessAfterHeal: number | null;
  startedAt: number;
  endedAt: number;
  /** Longest gap (ms) between two turns of the event loop during the load: starvation shows here. */
  maxLoopLagMs: number;
  /** Calls in flight at `markAt` (null without a mark, or when the load ended first). */
  inFlightAtMark: number | null;
}
