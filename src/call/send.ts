/**
 * Sending one request of a call through the endpoint's gates: the breaker
 * (refuse at once when open), the pace (wait for a slot, holding no socket),
 * then the sign hook and the exchange; afterwards the answer is judged by the
 * policy table and taught to the breaker and the pace.
 */
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { breakerVerdict } from '../breaker/breaker-verdict.js';
import type { Refusal } from '../decide/decision.js';
import type { CallSettings } from '../options/resolve.js';
import { resolvePolicy } from '../policy/resolve-policy.js';
import type { ReportedFault } from '../reporting/reporter.js';
import { callSignal } from '../retry/call-signal.js';
import { PaceRefusal } from '../throttle/endpoint-pacer.js';
import { isThrottleSignal } from '../throttle/throttle-signal.js';
import { attemptConfig, lendCallConfig } from '../transport/attempt-config.js';
import { exchange, type ExchangeContext } from '../transport/exchange.js';
import type { RequestTarget } from '../transport/request-target.js';
import { nextMacrotask } from '../util/macrotask.js';
import type { HandleContext } from './handle-context.js';

/** What sending one request came to. */
export type SendResult =
  | { type: 'success'; response: AxiosResponse }
  | { type: 'passthrough'; error: unknown }
  | ReportedFault
  | Refusal
  /** The call's signal aborted while it waited for the pace. */
  | { type: 'aborted' };

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

/**
 * Sends one request of a call. Counts nothing itself: `sent` in the result
 * says whether a request went out.
 */
export async function sendRequest(
  ctx: HandleContext,
  call: ExchangeContext & { settings: CallSettings },
  request: SendRequest,
): Promise<{ result: SendResult; sent: boolean }> {
  const { target } = request;
  const endpoint = target.origin;
  // Detached mid-call: breakers and pacers are shut down, the request still goes out once.
  const breakers = ctx.detached ? undefined : ctx.breakers;
  const throttle = ctx.detached ? undefined : ctx.throttle;
  const callConfig: InternalAxiosRequestConfig = call.callConfig;
  if (throttle?.tracks(endpoint) === true) {
    // Refused before queueing for a pace slot (an open breaker would refuse the slot's request anyway).
    if (breakers?.isOpen(endpoint) === true) {
      await nextMacrotask();
      return { result: { type: 'refused', endpoint, by: 'breaker' }, sent: false };
    }
    // A free slot stays synchronous: no promise, no extra turn.
    const slot = throttle.acquire(endpoint, callSignal(callConfig), request.deadline, call.settings.maxPaceWaitMs);
    if (slot !== undefined) {
      const paced = await waitForSlot(slot, endpoint);
      if (paced !== undefined) return { result: paced, sent: false };
    }
  }
  const timeout = callConfig.timeout !== undefined && callConfig.timeout > 0 ? callConfig.timeout : DEFAULT_PROBE_TIMEOUT_MS;
  const ticket = breakers?.gate(endpoint, timeout);
  if (breakers !== undefined && ticket === undefined) {
    await nextMacrotask();
    return { result: { type: 'refused', endpoint, by: 'breaker' }, sent: false };
  }
  try {
    const sign = call.settings.sign;
    // The common request (own URL, no sign hook) borrows the call's config; the others get their own copy.
    const lent = sign === undefined && request.ownUrl ? lendCallConfig(callConfig) : undefined;
    let config = lent !== undefined ? callConfig : attemptConfig(callConfig, target.url, request.keepParams, sign !== undefined);
    if (sign !== undefined) {
      const { requestNumber, hops } = request;
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias is still filled in for old hooks
      config = await sign(config, { requestNumber, attempt: requestNumber, hops, clockOffsetMs: ctx.clockOffsetMs });
    }
    const sentAt = Date.now();
    const outcome = await exchange(call, config, target, lent);
    if (outcome.type === 'success') {
      if (ticket !== undefined) void breakers?.record(ticket, breakerVerdict({ type: 'success', status: outcome.response.status }));
      throttle?.record(endpoint, false, undefined, sentAt);
      return { result: outcome, sent: true };
    }
    if (outcome.type === 'passthrough') {
      if (ticket !== undefined) void breakers?.record(ticket, 'neither');
      return { result: outcome, sent: true };
    }
    const { fault } = outcome;
    const policy = resolvePolicy(fault.code, fault.status, call.settings.handleLayer, call.settings.requestLayer);
    const throttled = isThrottleSignal(fault);
    if (!ctx.detached) ctx.throttle?.record(endpoint, throttled, throttled ? fault.retryAfterMs : undefined, sentAt);
    if (ticket !== undefined) await breakers?.record(ticket, breakerVerdict({ type: 'fault', action: policy.action, status: fault.status }));
    return { result: { ...outcome, policy }, sent: true };
  } catch (error) {
    // A sign hook or adapter that threw: no verdict on the endpoint, but free the probe slot.
    if (ticket !== undefined) void breakers?.record(ticket, 'neither');
    throw error;
  }
}
