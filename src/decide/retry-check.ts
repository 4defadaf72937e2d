/**
 * The retry check of `decide()` for a `retry`/`circuit` outcome, with
 * its refusals in a fixed order: idempotency, body, attempts, breaker, deadline.
 * The retry budget is checked by the caller last, so a refused retry costs no tokens.
 */
import type { ObsFault } from '../classify/fault.js';
import type { ResolvedPolicy } from '../policy/resolve-policy.js';
import { backoffDelay } from '../retry/backoff.js';
import { isIdempotentMethod, serverDidNotProcess } from './replay.js';

/** Everything the decision reads. */
export interface RetryDecisionInput {
  fault: ObsFault;
  policy: ResolvedPolicy;
  method: string;
  /** Why the body cannot be re-sent, if it cannot. */
  unreplayableBody: string | undefined;
  /** Retries this call has used so far. */
  retriesUsed: number;
  /** ms since the call started. */
  elapsedMs: number;
  /** The call's total budget, if any. */
  maxElapsedMs: number | undefined;
  /** True when the breaker of the endpoint that failed is open now. */
  breakerOpen: boolean;
  random: () => number;
}

/** Retry after `delayMs`, or give up for `reason`. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** Whether and when a failed attempt may be retried (the budget aside). */
export function checkRetry(input: RetryDecisionInput): RetryDecision {
  const { fault, policy } = input;
  if (!isIdempotentMethod(input.method) && !serverDidNotProcess(fault.kind)) {
    return { retry: false, reason: `not replayable: ${input.method.toUpperCase()} may have been processed (${fault.code})` };
  }
  if (input.unreplayableBody !== undefined) return { retry: false, reason: `not replayable: ${input.unreplayableBody}` };
  if (input.retriesUsed >= policy.retries) return { retry: false, reason: `retries exhausted (${policy.retries})` };
  if (input.breakerOpen) return { retry: false, reason: 'circuit open: the endpoint breaker opened during retries' };
  const delayMs = backoffDelay({
    retry: input.retriesUsed + 1,
    knobs: policy,
    throttled: fault.kind === 'throttled',
    retryAfterMs: fault.retryAfterMs,
    random: input.random,
  });
  if (input.maxElapsedMs !== undefined && input.elapsedMs + delayMs > input.maxElapsedMs) {
    return { retry: false, reason: `maxElapsedMs (${input.maxElapsedMs}) would be exceeded by a ${delayMs} ms wait` };
  }
  return { retry: true, delayMs };
}
