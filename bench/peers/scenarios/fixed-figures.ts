/** The figures of one fixed-load run, shared by the throttle, noise, flaky and sweep scenarios. */
import type { FixedResult } from '../client/client-protocol.js';
import type { TagLog } from '../server/server-protocol.js';
import { sum } from '../report/stats.js';

/** What a fixed-load run amounts to. */
export interface FixedFigures {
  calls: number;
  ok: number;
  failed: number;
  /** From the load's start to the end of its last call. */
  completionMs: number;
  /** Requests that reached the server. */
  serverRequests: number;
  /** Requests reaching the server per call. */
  amplification: number;
  /** Requests the server answered with SlowDown (throttled). */
  throttled: number;
}

/** Figures of a run of `calls` GETs. */
export function fixedFigures(calls: number, result: FixedResult, log: TagLog): FixedFigures {
  const serverRequests = sum(Object.values(log.outcomes));
  return {
    calls,
    ok: result.ok,
    failed: result.failed,
    completionMs: result.endedAt - result.startedAt,
    serverRequests,
    amplification: serverRequests / Math.max(1, calls),
    throttled: log.outcomes.SlowDown ?? 0,
  };
}
