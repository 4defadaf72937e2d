/**
 * Requests the parent sends to the OBS server process, and the log it gets back.
 */
import type { ScenarioSpec } from './scenario-spec.js';

/** Stores the benchmark object under `key` in each bucket (one bucket per client tag). */
export interface SeedRequest {
  type: 'seed';
  buckets: string[];
  key: string;
  bytes: number;
}

/**
 * Forgets every scenario and record, then plays `scenarios`. Arrival times
 * in the next log are counted from `origin` (epoch ms): the parent picks it
 * so that server times and client times share one axis.
 */
export interface ArmRequest {
  type: 'arm';
  scenarios: ScenarioSpec[];
  origin: number;
}

/** Returns the requests received since `arm`, per tag (bucket). */
export interface CollectRequest {
  type: 'collect';
}

/** Anything the server process is asked. */
export type ServerRequest = SeedRequest | ArmRequest | CollectRequest;

/** What the server saw of one tag (one client, or one fleet process). */
export interface TagLog {
  /** Arrival times in ms since the arm `origin`, in arrival order. */
  times: number[];
  /** Answers by outcome: the OBS code of error answers, `HTTP_<status>` of others, `reset`, or `pending`. */
  outcomes: Record<string, number>;
}

/** The reply to `collect`: one entry per bucket that received requests. */
export type RequestLog = Record<string, TagLog>;
