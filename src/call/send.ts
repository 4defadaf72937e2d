/**
 * Sending one request of a call through the endpoint's gates: the breaker
 * (refuse at once when open), the pace (wait for a slot, holding no socket),
 * then the sign hook and the exchange; afterwards the answer is judged by the
 * policy table and taught to the breaker and the pace.
 */
import type { AxiosResponse } from 'axios';
import { breakerVerdict } from '../breaker/breaker-verdict.js';
import type { Refusal } from '../decide/decision.js';
import type { CallSettings } from '../options/resolve.js';
import { resolvePolicy } from '../policy/resolve-policy.js';
import type { ReportedFault } from '../reporting/reporter.js';
import { callSignal } from '../retry/call-signal.js';
import { PaceRefusal } from '../throttle/endpoint-pacer.js';
import { isThrottleSignal } from '../throttle/throttle-signal.js';
import type { BreakerTicket } from '../breaker/breaker-registry.js';
import type { ThrottleRegistry } from '../throttle/throttle-registry.js';
import { attemptConfig, lendCallConfig } from '../transport/attempt-config.js';
import { exchange, type ExchangeContext } from '../transport/exchange.js';
import type { ExchangeOutcome } from '../transport/outcome.js';
import type { RequestTarget } from '../transport/request-target.js';
import { nextMacrotask } from '../util/macrotask.js';
import type { HandleContext } from './handle-context.js';

/** What sending one request came to. */
type SendResult =
  | { type: 'success'; response: AxiosResponse }
  | { type: 'passthrough'; error: unknown }
  | ReportedFault
  | Refusal
  /** The call's signal aborted while it waited for the pace. */
  | { type: 'aborted' };

/** The call a request belongs to, as sending sees it. */
export type SendingCall = ExchangeContext & { settings: CallSettings };

/** What a send needs from its call. */
export interface SendRequest {
  /** Where it goes (the URL itself is parsed only if the answer is a fault). */
  target: RequestTarget;
  /** False for a redirect target that carries its own query. */
  keepParams: boolean;
  /** True when `target` is the call's own destination (no redirect, no remembered rewrite): its config can be lent as it is. */
  ownUrl: boolean;
  /** 1-based number of this request within the call (for the sign hook). */
  requestNumber: number;
  hops: number;
  /** Epoch ms after which a paced request must not start (`Infinity`: none). */
  deadline: number;
}

/** What sending one request came to, and whether a request went out (counting is the call's). */
export interface Sent {
  result: SendResult;
  sent: boolean;
}

/** Bound of a half-open probe when the call has no axios timeout of its own. */
const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/** Waits for a pace slot that was not free at once; `undefined` when the request may go. */
async function waitForSlot(slot: Promise<void>, endpoint: string): Promise<SendResult | undefined> {
  try {
    await slot;
    return undefined;
  } catch (error) {
    if (!(error instanceof PaceRefusal)) throw error;
    return error.refused === 'aborted' ? { type: 'aborted' } : { type: 'refused', endpoint, by: 'pace' };
  }
}

/** A refusal by the breaker or the pace, settled through the macrotask queue: a caller that retries at once cannot starve the breaker's timers. */
function refusedLater(endpoint: string, by: 'breaker' | 'pace'): Promise<Sent> {
  return nextMacrotask().then(() => ({ result: { type: 'refused', endpoint, by }, sent: false }));
}

/**
 * Sends one request of a call. Counts nothing itself: `sent` in the result
 * says whether a request went out. Not `async`: the common request (an
 * endpoint that is not paced, own URL, no sign hook) costs one promise
 * reaction after the adapter's, which every request pays.
 */
export function sendRequest(ctx: HandleContext, call: SendingCall, request: SendRequest): Promise<Sent> {
  // Detached mid-call: breakers and pacers are shut down, the request still goes out once.
  if (!ctx.detached && ctx.throttle?.tracks(request.target.origin) === true) return sendPaced(ctx, ctx.throttle, call, request);
  return sendGated(ctx, call, request);
}

/** Waits for the pace of an endpoint that has one, then sends. */
async function sendPaced(ctx: HandleContext, throttle: ThrottleRegistry, call: SendingCall, request: SendRequest): Promise<Sent> {
  const endpoint = request.target.origin;
  // Refused before queueing for a pace slot (an open breaker would refuse the slot's request anyway).
  if (ctx.breakers?.isOpen(endpoint) === true) return refusedLater(endpoint, 'breaker');
  // A free slot stays synchronous: no promise, no extra turn.
  const slot = throttle.acquire(endpoint, callSignal(call.callConfig), request.deadline, call.settings.maxPaceWaitMs);
  if (slot !== undefined) {
    const paced = await waitForSlot(slot, endpoint);
    if (paced !== undefined) return { result: paced, sent: false };
  }
  return sendGated(ctx, call, request);
}

/** Passes the breaker's gate, sends, and judges the answer. */
function sendGated(ctx: HandleContext, call: SendingCall, request: SendRequest): Promise<Sent> {
  const endpoint = request.target.origin;
  const breakers = ctx.detached ? undefined : ctx.breakers;
  const callConfig = call.callConfig;
  const timeout = callConfig.timeout !== undefined && callConfig.timeout > 0 ? callConfig.timeout : DEFAULT_PROBE_TIMEOUT_MS;
  const ticket = breakers?.gate(endpoint, timeout);
  if (breakers !== undefined && ticket === undefined) return refusedLater(endpoint, 'breaker');
  // When the request left (a pace window judges only requests sent in it).
  const sentAt = Date.now();
  // The common request (own URL, no sign hook) borrows the call's config; the others get their own copy.
  const exchanged =
    call.settings.sign === undefined && request.ownUrl
      ? exchange(call, callConfig, request.target, lendCallConfig(callConfig))
      : exchangeCopy(ctx, call, request, call.settings.sign);
  return exchanged.then(
    (outcome) => judge(ctx, call, endpoint, ticket, outcome, sentAt),
    (error: unknown) => {
      // A sign hook (or the config copy before it) threw; the exchange itself never rejects: no verdict on
      // the endpoint, but free the probe slot.
      if (ticket !== undefined) void ctx.breakers?.record(ticket, 'neither');
      throw error;
    },
  );
}

/** Sends a copy of the call's config: to a redirect target or a rewritten URL, or through the sign hook. */
async function exchangeCopy(ctx: HandleContext, call: SendingCall, request: SendRequest, sign: CallSettings['sign']): Promise<ExchangeOutcome> {
  let config = attemptConfig(call.callConfig, request.target.url, request.keepParams, sign !== undefined);
  if (sign !== undefined) {
    const { requestNumber, hops } = request;
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias is still filled in for old hooks
    config = await sign(config, { requestNumber, attempt: requestNumber, hops, clockOffsetMs: ctx.clockOffsetMs });
  }
  return exchange(call, config, request.target);
}

/** Teaches the answer to the breaker and the pace, and judges a fault by the policy table. */
function judge(ctx: HandleContext, call: SendingCall, endpoint: string, ticket: BreakerTicket | undefined, outcome: ExchangeOutcome, sentAt: number): Sent | Promise<Sent> {
  if (outcome.type === 'success') {
    if (ticket !== undefined) void ctx.breakers?.record(ticket, breakerVerdict({ type: 'success', status: outcome.response.status }));
    if (!ctx.detached) ctx.throttle?.record(endpoint, false, undefined, sentAt);
    return { result: outcome, sent: true };
  }
  if (outcome.type === 'passthrough') {
    if (ticket !== undefined) void ctx.breakers?.record(ticket, 'neither');
    return { result: outcome, sent: true };
  }
  const { fault } = outcome;
  const policy = resolvePolicy(fault.code, fault.status, call.settings.handleLayer, call.settings.requestLayer);
  const throttled = isThrottleSignal(fault);
  if (!ctx.detached) ctx.throttle?.record(endpoint, throttled, throttled ? fault.retryAfterMs : undefined, sentAt);
  const judged: Sent = { result: { ...outcome, policy }, sent: true };
  // A failure is counted (and may open the breaker) before the call decides: its next step sees the new state.
  const counted = ticket === undefined ? undefined : ctx.breakers?.record(ticket, breakerVerdict({ type: 'fault', action: policy.action, status: fault.status }));
  return counted === undefined ? judged : counted.then(() => judged);
}
