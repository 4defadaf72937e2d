/**
 * decide(): the one decision point. From a judged outcome and where the call
 * stands to what happens next. Pure: no axios, p-retry, opossum or timers; the
 * call object only acts on what this returns.
 */
import { resolveRedirect } from '../redirect/redirect-target.js';
import { PACE_DEADLINE_REASON, type BudgetView, type CallState, type DecideInput, type DecideSettings, type Decision, type JudgedFault } from './decision.js';
import { isThrottleSignal } from '../throttle/throttle-signal.js';
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
function writeRedirectReason(status: number | undefined, method: string): string | undefined {
  if ((status !== 302 && status !== 303) || READS.has(method)) return undefined;
  return `redirect refused: ${String(status)} to a ${method}: the request is not sent again (it may have been processed); the answer's Location says where to GET the result`;
}

/** A redirect outcome: follow it, or refuse it (fail fast) with the reason. */
function decideRedirect(outcome: JudgedFault, call: CallState, settings: DecideSettings): Decision {
  const writeRefusal = writeRedirectReason(outcome.fault.status, call.method);
  if (writeRefusal !== undefined) return { type: 'failFast', reason: writeRefusal };
  const verdict = resolveRedirect(outcome.fault, { current: outcome.url, original: call.startUrl, allowHosts: settings.allowHosts });
  if (!verdict.ok) return { type: 'failFast', reason: `redirect refused: ${verdict.reason}` };
  if (call.hops >= settings.maxRedirects) return { type: 'failFast', reason: `redirect refused: more than maxRedirects (${settings.maxRedirects}) hops` };
  if (call.visited.has(verdict.url.href)) return { type: 'failFast', reason: 'redirect refused: redirect loop' };
  if (call.unreplayableBody !== undefined) return { type: 'failFast', reason: `redirect refused: not replayable: ${call.unreplayableBody}` };
  return { type: 'redirect', url: verdict.url, permanent: verdict.permanent };
}

/** A `fail` outcome: fail fast, unless it is a clock skew a sign hook can correct (once). */
function decideFail(outcome: JudgedFault, call: CallState, settings: DecideSettings, nowMs: number): Decision {
  const { fault } = outcome;
  if (fault.code === 'RequestTimeTooSkewed' && settings.canSign && !call.skewCorrected && fault.serverDateMs !== undefined) {
    return { type: 'resign', offsetMs: fault.serverDateMs - nowMs };
  }
  return { type: 'failFast', reason: 'policy: fail' };
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

/** A `retry`/`circuit` outcome: retry after a backoff, or give up with the first reason that applies. */
function decideRetry(input: DecideInput & { outcome: JudgedFault }): Decision {
  const { outcome, call, budget } = input;
  if (call.detached) return { type: 'giveUp', reason: 'detached' };
  const check = checkRetry({
    fault: outcome.fault,
    policy: outcome.policy,
    method: call.method,
    unreplayableBody: call.unreplayableBody,
    retriesUsed: call.retriesUsed,
    elapsedMs: call.elapsedMs,
    maxElapsedMs: input.settings.maxElapsedMs,
    breakerOpen: input.breakerOpen,
    random: () => input.jitter,
  });
  if (!check.retry) return { type: 'giveUp', reason: check.reason };
  // The budget is asked last, so a refused retry costs no tokens.
  const cost = budget === undefined ? 0 : retryCost(outcome, budget, input.paced);
  if (budget !== undefined && cost > budget.tokens) return { type: 'giveUp', reason: 'retry budget exhausted' };
  return { type: 'retry', delayMs: check.delayMs, cost };
}

/**
 * Decides what a call does after an outcome that was not a success.
 * @param input the judged outcome (or the breaker's refusal), the call's state and settings, the budget and breaker state
 * @returns the decision; the call acts on it and on nothing else
 */
export function decide(input: DecideInput): Decision {
  const { outcome } = input;
  if (outcome.type === 'refused') {
    if (outcome.by === 'pace') return { type: 'giveUp', reason: PACE_DEADLINE_REASON };
    return input.call.hasFailed ? { type: 'giveUp', reason: 'circuit open: the endpoint breaker opened during retries' } : { type: 'refuse' };
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
