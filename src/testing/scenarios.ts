/**
 * Persistent behaviours of the local OBS server, consulted (in the order they
 * were added) for every request no queued step claimed: throttling to a rate,
 * an outage window, or your own rule. Time comes from the server's injectable
 * clock, so tests are deterministic.
 */
import { matchesRequest, type RecordedRequest, type StepMatch } from './recorded-request.js';
import type { ErrorStep, ObsServerStep } from './steps.js';

/** Throttling: a token bucket of `burst` tokens refilled at `ratePerSec`; a request finding it empty gets `code`. */
export interface ThrottleScenario {
  /** Discriminant. */
  kind: 'throttle';
  /** Sustained requests per second let through. */
  ratePerSec: number;
  /** Bucket size: requests let through at once after a quiet spell (the bucket starts full). @default max(1, ratePerSec) */
  burst?: number | undefined;
  /** The OBS code of throttled answers. @default 'SlowDown' (503) */
  code?: string | undefined;
  /** A `Retry-After` on throttled answers: seconds or an HTTP date. */
  retryAfter?: number | string | undefined;
  /** Only these requests are throttled (and use tokens). */
  match?: StepMatch | undefined;
}

/** An outage: from `startMs` after the scenario is added, for `durationMs`, every request gets `code`. */
export interface OutageScenario {
  /** Discriminant. */
  kind: 'outage';
  /** Delay from adding the scenario to the start of the window, in ms of the server clock. @default 0 */
  startMs?: number | undefined;
  /** Length of the window in ms of the server clock. */
  durationMs: number;
  /** The OBS code answered in the window. @default 'InternalError' (500) */
  code?: string | undefined;
  /** Only these requests are affected. */
  match?: StepMatch | undefined;
}

/**
 * Your own rule: called for every request no queued step claimed; return a step
 * to answer with, or `undefined` to let later scenarios or the store answer.
 * Chaos tests use it to inject seeded faults.
 */
export interface CustomScenario {
  /** Discriminant. */
  kind: 'custom';
  /** Decides the answer; a returned step's `match` and `times` are ignored, its `delayMs` applies. */
  answer: (request: RecordedRequest) => ObsServerStep | undefined;
}

/** A persistent server behaviour. */
export type ObsScenario = ThrottleScenario | OutageScenario | CustomScenario;

/** A throttle scenario: `server.scenario(throttle({ ratePerSec: 5 }))`. */
export function throttle(options: Omit<ThrottleScenario, 'kind'>): ThrottleScenario {
  return { kind: 'throttle', ...options };
}

/** An outage scenario: `server.scenario(outage({ durationMs: 1000 }))`. */
export function outage(options: Omit<OutageScenario, 'kind'>): OutageScenario {
  return { kind: 'outage', ...options };
}

/** A custom scenario from a per-request rule. */
export function custom(answer: CustomScenario['answer']): CustomScenario {
  return { kind: 'custom', answer };
}

/** A scenario with its running state (the throttle's tokens). */
export interface ActiveScenario {
  /** What was added. */
  readonly scenario: ObsScenario;
  /** Server-clock time it was added. */
  readonly addedAt: number;
  /** Throttle tokens left. */
  tokens: number;
  /** Server-clock time of the last refill. */
  refilledAt: number;
}

function burstOf(scenario: ThrottleScenario): number {
  return scenario.burst ?? Math.max(1, scenario.ratePerSec);
}

/** Starts a scenario at `now` (a throttle starts with a full bucket). */
export function activate(scenario: ObsScenario, now: number): ActiveScenario {
  return { scenario, addedAt: now, tokens: scenario.kind === 'throttle' ? burstOf(scenario) : 0, refilledAt: now };
}

function throttleAnswer(active: ActiveScenario, scenario: ThrottleScenario, now: number): ErrorStep | undefined {
  // A clock that goes backwards (a test rewinding it) refills nothing rather than draining tokens.
  const elapsed = Math.max(0, now - active.refilledAt);
  active.tokens = Math.min(burstOf(scenario), active.tokens + (elapsed / 1000) * scenario.ratePerSec);
  active.refilledAt = now;
  if (active.tokens >= 1) {
    active.tokens -= 1;
    return undefined;
  }
  return { error: scenario.code ?? 'SlowDown', retryAfter: scenario.retryAfter };
}

/** The answer of a scenario to `request` at `now`, or `undefined` when it lets the request through. */
export function scenarioAnswer(active: ActiveScenario, now: number, request: RecordedRequest): ObsServerStep | undefined {
  const { scenario } = active;
  if (scenario.kind === 'custom') return scenario.answer(request);
  if (!matchesRequest(scenario.match, request)) return undefined;
  if (scenario.kind === 'throttle') return throttleAnswer(active, scenario, now);
  const start = active.addedAt + (scenario.startMs ?? 0);
  return now >= start && now < start + scenario.durationMs ? { error: scenario.code ?? 'InternalError' } : undefined;
}
