/**
 * Persistent behaviours of the local OBS server, evaluated when no queued step
 * applies: throttling to a rate, and an outage window. Time comes from the
 * server's injectable clock, so tests are deterministic.
 */
import type { RecordedRequest } from './obs-test-server.js';
import type { ErrorStep, ObsServerStep, StepMatch } from './steps.js';

/** Throttle to `ratePerSec` (token bucket of `burst`); beyond it answer `code` (503 SlowDown). */
export interface ThrottleScenario {
  kind: 'throttle';
  ratePerSec: number;
  burst?: number | undefined;
  code?: string | undefined;
  /** Seconds for a `Retry-After` header on throttled answers. */
  retryAfter?: number | undefined;
  match?: StepMatch | undefined;
}

/** From `startMs` after it is added, for `durationMs`, answer `code` (500 InternalError). */
export interface OutageScenario {
  kind: 'outage';
  startMs?: number | undefined;
  durationMs: number;
  code?: string | undefined;
  match?: StepMatch | undefined;
}

/**
 * Your own rule: called for every request no queued step claimed; return a step
 * to answer with, or `undefined` for the default behaviour. Chaos tests use it
 * to inject seeded faults.
 */
export interface CustomScenario {
  kind: 'custom';
  answer: (request: RecordedRequest) => ObsServerStep | undefined;
}

/** A persistent server behaviour. */
export type ObsScenario = ThrottleScenario | OutageScenario | CustomScenario;

/** Builds a throttle scenario. */
export function throttle(options: Omit<ThrottleScenario, 'kind'>): ThrottleScenario {
  return { kind: 'throttle', ...options };
}

/** Builds an outage scenario. */
export function outage(options: Omit<OutageScenario, 'kind'>): OutageScenario {
  return { kind: 'outage', ...options };
}

/** Builds a custom scenario from a per-request rule. */
export function custom(answer: CustomScenario['answer']): CustomScenario {
  return { kind: 'custom', answer };
}

/** A scenario with its running state. */
export interface ActiveScenario {
  scenario: ObsScenario;
  addedAt: number;
  tokens: number;
  refilledAt: number;
}

/** Starts a scenario at `now`. */
export function activate(scenario: ObsScenario, now: number): ActiveScenario {
  const burst = scenario.kind === 'throttle' ? (scenario.burst ?? Math.max(1, scenario.ratePerSec)) : 0;
  return { scenario, addedAt: now, tokens: burst, refilledAt: now };
}

/** The answer of a scenario at `now`, or `undefined` when it lets the request through. */
export function scenarioAnswer(active: ActiveScenario, now: number, request: RecordedRequest): ObsServerStep | undefined {
  const { scenario } = active;
  if (scenario.kind === 'custom') return scenario.answer(request);
  if (scenario.kind === 'outage') {
    const start = active.addedAt + (scenario.startMs ?? 0);
    const answer: ErrorStep = { error: scenario.code ?? 'InternalError' };
    return now >= start && now < start + scenario.durationMs ? answer : undefined;
  }
  const burst = scenario.burst ?? Math.max(1, scenario.ratePerSec);
  active.tokens = Math.min(burst, active.tokens + ((now - active.refilledAt) / 1000) * scenario.ratePerSec);
  active.refilledAt = now;
  if (active.tokens >= 1) {
    active.tokens -= 1;
    return undefined;
  }
  const throttled: ErrorStep = { error: scenario.code ?? 'SlowDown', retryAfter: scenario.retryAfter };
  return throttled;
}
