/**
 * Persistent behaviours of the local OBS server, evaluated when no queued step
 * applies: throttling to a rate, and an outage window. Time comes from the
 * server's injectable clock, so tests are deterministic.
 */
import type { ErrorStep, StepMatch } from './steps.js';

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

/** A persistent server behaviour. */
export type ObsScenario = ThrottleScenario | OutageScenario;

/** Builds a throttle scenario. */
export function throttle(options: Omit<ThrottleScenario, 'kind'>): ThrottleScenario {
  return { kind: 'throttle', ...options };
}

/** Builds an outage scenario. */
export function outage(options: Omit<OutageScenario, 'kind'>): OutageScenario {
  return { kind: 'outage', ...options };
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

/** The error a scenario answers with at `now`, or `undefined` when it lets the request through. */
export function scenarioAnswer(active: ActiveScenario, now: number): ErrorStep | undefined {
  const { scenario } = active;
  if (scenario.kind === 'outage') {
    const start = active.addedAt + (scenario.startMs ?? 0);
    return now >= start && now < start + scenario.durationMs ? { error: scenario.code ?? 'InternalError' } : undefined;
  }
  const burst = scenario.burst ?? Math.max(1, scenario.ratePerSec);
  active.tokens = Math.min(burst, active.tokens + ((now - active.refilledAt) / 1000) * scenario.ratePerSec);
  active.refilledAt = now;
  if (active.tokens >= 1) {
    active.tokens -= 1;
    return undefined;
  }
  return { error: scenario.code ?? 'SlowDown', retryAfter: scenario.retryAfter };
}
