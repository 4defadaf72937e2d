/**
 * decide(): the one decision point. From a judged outcome and where the call
 * stands to what happens next. Pure: no axios, p-retry, opossum or timers; the
 * call object only acts on what this returns.
 */
import { resolveRedirect } from '../redirect/redirect-target.js';
import type { BudgetView, CallState, DecideInput, DecideSettings, Decision, JudgedFault } from './decision.js';
import { isThrottleSignal } from '../throttle/throttle-signal.js';
import { endReason, type EndReason, type FailFastCode } from './reasons.js';
import { checkRetry } from './retry-check.js';

/** The methods a 302 or 303 may be followed for: they read, so sending them again changes nothing. */
const READS = new Set(['GET', 'HEAD']);

/**
 * Why a redirect must not be followed with the call's method and body, if it must not. A 303 says
 * the request was processed and its result is at `Location` (RFC 9110 §15.4.4). A 302 leaves it
 * open (clients have long answered a 302 to a POST with a GET, as if it were a 303), and OBS moves
 * requests with 301 and 307, never 302. Re-sending anything but a read there could replay a
 * processed write, and turning it into a GET would answer the call with something it did not ask
 * for, so any method but GET and HEAD answered 302 or 303 fails fast. The error keeps the answer
 * (`err.response`, its `Location` header included) for a caller that wants to GET the result.
 */
function writeRedirectRefusal(status: number | undefined, method: string): EndReason<FailFastCode> | undefined {
  if ((status !== 302 && status !== 303) || READS.has(method)) return undefined;
  return endReason('writeRedirect', { status, method });
}

/** A redirect outcome: follow it, or refuse it (fail fast) with the reason. */
function decideRedirect(outcome: JudgedFault, call: CallState, settings: DecideSettings): Decision {
  const writeRefusal = writeRedirectRefusal(outcome.fault.status, call.method);
  if (writeRefusal !== undefined) return { type: 'failFast', ...writeRefusal };
  const verdict = resolveRedirect(outcome.fault, { current: outcome.url, original: call.startUrl, allowHosts: settings.allowHosts });
  if (!verdict.ok) return { type: 'failFast', ...endReason('redirectRefused', { why: verdict.reason }) };
  if (call.hops >= settings.maxRedirects) return { type: 'failFast', ...endReason('tooManyRedirects', { maxRedirects: settings.maxRedirects }) };
  if (call.visited.has(verdict.url.href)) return { type: 'failFast', ...endReason('redirectLoop') };
  if (call.unreplayableBody !== undefined) return { type: 'failFast', ...endReason('notReplayable', { why: call.unreplayableBody, redirect: true }) };
  return { type: 'redirect', url: verdict.url, permanent: verdict.permanent };
}

/**
 * Answers that refuse the request's credentials, not the request: OBS's InvalidAccessKeyId (also its
 * answer to an expired or revoked security token) and S3's token codes. Not SignatureDoesNotMatch:
 * fresh credentials do not mend a wrong signature.
 */
const CREDENTIAL_REFUSALS: ReadonlySet<string> = new Set(['InvalidAccessKeyId', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired']);

/** A `fail` outcome: fail fast, unless it is a clock skew a sign hook can correct, or refused credentials it can refresh (each once). */
function decideFail(outcome: JudgedFault, call: CallState, settings: DecideSettings, nowMs: number): Decision {
  const { fault } = outcome;
  if (fault.code === 'RequestTimeTooSkewed' && settings.canSign && !call.skewCorrected && fault.serverDateMs !== undefined) {
    return { type: 'resign', offsetMs: fault.serverDateMs - nowMs };
  }
  if (CREDENTIAL_REFUSALS.has(fault.code) && settings.canSign && !call.credentialsRefreshed) return { type: 'refreshCredentials' };
  return { type: 'failFast', ...endReason('policyFail') };
}

/**
 * The budget's price of retrying this fault: timeouts and network errors cost more (likelier a real
 * outage). A throttling answer from an endpoint that has a pacer is free: its retry waits for a pace
 * slot once the first window has set one, so the pace, not the budget, bounds the load. The retries of
 * that first window go unpaced and are free too, on purpose: charging them let the first burst at high
 * concurrency (128 in flight against 100 req/s) empty the budget and fail half the calls.
 */
function retryCost(outcome: JudgedFault, budget: BudgetView, paced: boolean): number {
  const { fault } = outcome;
  if (paced && isThrottleSignal(fault)) return 0;
  return fault.kind === 'timeout' || fault.kind === 'network' ? budget.timeoutRetryCost : budget.retryCost;
}

/** The retry budget has no tokens for the retry. */
const BUDGET_EXHAUSTED: Decision = Object.freeze({ type: 'giveUp' as const, ...endReason('budgetExhausted') });

/** A `retry`/`circuit` outcome: retry after a backoff, or give up with the first reason that applies. */
function decideRetry(input: DecideInput & { outcome: JudgedFault }): Decision {
  const { outcome, call, budget } = input;
  if (call.detached) return { type: 'giveUp', ...endReason('detached') };
  const check = checkRetry({
    fault: outcome.fault,
    policy: outcome.policy,
    method: call.method,
    unreplayableBody: call.unreplayableBody,
    retriesUsed: call.retriesUsed,
    elapsedMs: call.elapsedMs,
    maxElapsedMs: input.settings.maxElapsedMs,
    breakerOpen: input.breakerOpen,
    random: input.random,
  });
  if (!check.retry) return { type: 'giveUp', code: check.code, reason: check.reason };
  // The budget is asked last, so a refused retry costs no tokens.
  const cost = budget === undefined ? 0 : retryCost(outcome, budget, input.paced);
  if (budget !== undefined && cost > budget.tokens) return BUDGET_EXHAUSTED;
  return { type: 'retry', delayMs: check.delayMs, cost };
}

/**
 * What a `retry` decision comes to once the call has asked the handle's budget for its `cost`: the
 * retry itself, or, when the budget refused (it is shared by every call of the handle), the same
 * `giveUp` `decide()` answers for an empty budget.
 * @param decision the `retry` decide() returned
 * @param took whether the budget gave the tokens
 */
export function afterBudgetTake(decision: Extract<Decision, { type: 'retry' }>, took: boolean): Decision {
  return took ? decision : BUDGET_EXHAUSTED;
}

/**
 * Decides what a call does after an outcome that was not a success.
 * @param input the judged outcome (or the breaker's refusal), the call's state and settings, the budget and breaker state
 * @returns the decision; the call acts on it and on nothing else
 */
export function decide(input: DecideInput): Decision {
  const { outcome } = input;
  if (outcome.type === 'refused') {
    if (outcome.by === 'pace') return { type: 'giveUp', ...endReason('paceDeadline') };
    return input.call.hasFailed ? { type: 'giveUp', ...endReason('circuitOpen') } : { type: 'refuse' };
  }
  switch (outcome.policy.action) {
    case 'redirect':
      return decideRedirect(outcome, input.call, input.settings);
    case 'fail':
      return decideFail(outcome, input.call, input.settings, input.nowMs);
    case 'retry':
    case 'circuit':
      return decideRetry({ ...input, outcome });
  }
}
