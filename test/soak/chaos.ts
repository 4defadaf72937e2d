/**
 * The seeded fault mix of the chaos soak, as a custom scenario of the local OBS
 * server. Every injected answer is remembered with the code the policies must
 * report if it is the last thing a call sees, so the soak can check outcomes.
 */
import { copyFailure, custom, html502, malformedXml, truncatedXml, type CustomScenario, type ObsServerStep, type RecordedRequest } from '../../src/testing/index.js';

/** A seeded PRNG (mulberry32): the same seed drives the same faults. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a request was answered with, for the soak's oracle. */
export interface Injected {
  /** The fault kind, for the figures (`ok` when the store answered). */
  fault: string;
  /** The code an ObsError must carry if this was the call's last request; `undefined` when decided by the store's answer. */
  expectedCode: string | undefined;
  /** True when the server may have processed the request (a POST must not follow it). */
  mayHaveProcessed: boolean;
  /** Arrival order across both servers. */
  order: number;
}

/** One entry of the mix: weight, the step, and what it means. */
interface Fault {
  name: string;
  weight: number;
  step: (otherServerUrl: string, request: RecordedRequest) => ObsServerStep;
  expectedCode: string | undefined;
  mayHaveProcessed: boolean;
}

/** The fault mix; the rest of the weight (to 1) is the store's normal answer. */
function faults(timeoutMs: number): Fault[] {
  return [
    { name: 'SlowDown', weight: 0.07, step: () => ({ error: 'SlowDown' }), expectedCode: 'SlowDown', mayHaveProcessed: false },
    { name: 'ServiceUnavailable', weight: 0.04, step: () => ({ error: 'ServiceUnavailable', retryAfter: 0 }), expectedCode: 'ServiceUnavailable', mayHaveProcessed: false },
    { name: 'RequestTimeout', weight: 0.03, step: () => ({ error: 'RequestTimeout' }), expectedCode: 'RequestTimeout', mayHaveProcessed: false },
    { name: 'InternalError', weight: 0.05, step: () => ({ error: 'InternalError' }), expectedCode: 'InternalError', mayHaveProcessed: true },
    { name: 'reset before head', weight: 0.03, step: () => ({ reset: 'before-head' }), expectedCode: 'NetworkError', mayHaveProcessed: true },
    { name: 'reset after head', weight: 0.02, step: () => ({ reset: 'after-head' }), expectedCode: 'NetworkError', mayHaveProcessed: true },
    { name: 'slow past timeout', weight: 0.02, step: () => ({ ok: true, delayMs: timeoutMs + 100 }), expectedCode: 'Timeout', mayHaveProcessed: true },
    { name: 'malformed XML', weight: 0.02, step: () => malformedXml(500), expectedCode: 'HTTP_500', mayHaveProcessed: true },
    { name: 'truncated XML', weight: 0.02, step: () => truncatedXml('InternalError', 500), expectedCode: 'InternalError', mayHaveProcessed: true },
    { name: 'HTML 502', weight: 0.03, step: () => html502(), expectedCode: 'HTTP_502', mayHaveProcessed: true },
    {
      name: '307 to the other instance',
      weight: 0.04,
      step: (other, request) => ({ redirect: 307, location: `${other}${request.url}` }),
      expectedCode: 'TemporaryRedirect',
      mayHaveProcessed: false,
    },
  ];
}

/** The chaos of one server: a custom scenario plus the log of what it injected, keyed by `server:seq`. */
export interface Chaos {
  scenario: CustomScenario;
  injected: Map<string, Injected>;
  /** Counts by fault name. */
  counts: Map<string, number>;
}

/**
 * Builds the chaos of one server.
 * @param name a label for the injected-log keys (`a`, `b`)
 * @param random the seeded random source
 * @param otherUrl where 307s point (the other instance), or `undefined` for no redirects
 * @param outage a shared switch: while it returns true, every request gets InternalError (an outage window)
 */
export function createChaos(
  name: string,
  random: () => number,
  otherUrl: string | undefined,
  timeoutMs: number,
  outage: () => boolean,
  nextOrder: () => number,
): Chaos {
  const injected = new Map<string, Injected>();
  const counts = new Map<string, number>();
  const mix = faults(timeoutMs).filter((f) => otherUrl !== undefined || !f.name.startsWith('307'));
  const note = (request: RecordedRequest, entry: Omit<Injected, 'order'>): void => {
    injected.set(`${name}:${String(request.seq)}`, { ...entry, order: nextOrder() });
    counts.set(entry.fault, (counts.get(entry.fault) ?? 0) + 1);
  };
  const scenario = custom((request) => {
    if (request.bucket === 'copies' && request.method === 'PUT' && random() < 0.3) {
      note(request, { fault: 'copy 200 with <Error>', expectedCode: 'InternalError', mayHaveProcessed: true });
      return copyFailure('InternalError');
    }
    if (request.bucket === 'moved' && otherUrl !== undefined) {
      // The bucket moved for good: a 301 the client remembers, so later calls go straight to the other server.
      note(request, { fault: '301 bucket moved', expectedCode: 'PermanentRedirect', mayHaveProcessed: false });
      return { redirect: 301, location: `${otherUrl}${request.url}` };
    }
    if (outage()) {
      note(request, { fault: 'outage InternalError', expectedCode: 'InternalError', mayHaveProcessed: true });
      return { error: 'InternalError' };
    }
    let r = random();
    for (const fault of mix) {
      if (r < fault.weight) {
        note(request, { fault: fault.name, expectedCode: fault.expectedCode, mayHaveProcessed: fault.mayHaveProcessed });
        return fault.step(otherUrl ?? '', request);
      }
      r -= fault.weight;
    }
    note(request, { fault: 'ok', expectedCode: undefined, mayHaveProcessed: true });
    return undefined;
  });
  return { scenario, injected, counts };
}
