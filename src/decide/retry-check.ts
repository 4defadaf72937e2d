/**
 * The retry check of `decide()` for a `retry`/`circuit` outcome, with
 * its refusals in a fixed order: idempotency, body, attempts, breaker, deadline.
 * The retry budget is checked by `decide()` after this, so a refused retry costs no tokens.
 */
import type { ObsFault } from '../classify/fault.js';
import type { ResolvedPolicy } from '../policy/resolve-policy.js';
import { backoffDelay } from './backoff.js';
import { endReason, type EndReason, type GiveUpCode } from './reasons.js';
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
  /** The jitter source: called once, for the backoff, when the checks before it pass. */
  random: () => number;
}

/** Retry after `delayMs`, or give up (`code` and message). */
export type RetryDecision = { retry: true; delayMs: number } | ({ retry: false } & EndReason<GiveUpCode>);

/** Whether and when a failed attempt may be retried (the budget aside). */
export function checkRetry(input: RetryDecisionInput): RetryDecision {
  const { fault, policy } = input;
  if (!isIdempotentMethod(input.method) && !serverDidNotProcess(fault.kind)) {
    return { retry: false, ...endReason('notReplayable', { why: `${input.method.toUpperCase()} may have been processed (${fault.code})`, redirect: false }) };
  }
  if (input.unreplayableBody !== undefined) return { retry: false, ...endReason('notReplayable', { why: input.unreplayableBody, redirect: false }) };
  if (input.retriesUsed >= policy.retries) return { retry: false, ...endReason('retriesExhausted', { retries: policy.retries }) };
  if (input.breakerOpen) return { retry: false, ...endReason('circuitOpen') };
  const delayMs = backoffDelay({
    retry: input.retriesUsed + 1,
    knobs: policy,
    throttled: fault.kind === 'throttled',
    retryAfterMs: fault.retryAfterMs,
    random: input.random,
  });
  if (input.maxElapsedMs !== undefined && input.elapsedMs + delayMs > input.maxElapsedMs) {
    return { retry: false, ...endReason('deadline', { maxElapsedMs: input.maxElapsedMs, delayMs }) };
  }
  return { retry: true, delayMs };
}
