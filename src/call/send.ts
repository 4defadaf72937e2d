/**
 * Sending one request of a call through the endpoint's gates: the breaker
 * (refuse at once when open), the pace (wait for a slot, holding no socket),
 * then the sign hook and the exchange; afterwards the answer is judged by the
 * policy table and taught to the breaker and the pace.
 */
import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { breakerVerdict } from '../breaker/breaker-verdict.js';
import { makeFault, type ObsFault } from '../classify/fault.js';
import { TIMEOUT_CODE } from '../classify/stand-in-codes.js';
import type { Refusal } from '../decide/decision.js';
import type { CallSettings } from '../options/resolve.js';
import { resolvePolicy } from '../policy/resolve-policy.js';
import type { ReportedFault } from '../reporting/reporter.js';
import { callSignal } from '../retry/call-signal.js';
import { PaceRefusal } from '../throttle/endpoint-pacer.js';
import { operationClassOf, type OperationClass } from '../throttle/operation-class.js';
import { isThrottleSignal } from '../throttle/throttle-signal.js';
import type { BreakerTicket } from '../breaker/breaker-registry.js';
import type { ThrottleRegistry } from '../throttle/throttle-registry.js';
import { attemptConfig, lendCallConfig } from '../transport/attempt-config.js';
import { tagUploadProgress, type FreshBodies } from '../transport/body-factory.js';
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
export type SendingCall = ExchangeContext & {
  settings: CallSettings;
  /** The bodies of a call with a body factory (`obs.body`): each request is given a fresh one. */
  bodies?: FreshBodies | undefined;
};

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
  /** True when the server refused the credentials of the call's previous request: the sign hook fetches fresh ones. */
  refreshCredentials: boolean;
}

/** A request that was never handed to the adapter, because the call ended while its sign hook ran. */
interface Unsent {
  type: 'unsent';
  result: SendResult;
}

/** What the sign hook came to: the config to send, or the call's end while it ran. */
type Signed = { type: 'signed'; config: InternalAxiosRequestConfig } | Unsent;

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

/**
 * The operation class of a request (its pace is kept per endpoint and class). Read only for an endpoint
 * that has a pace, or from a throttling answer: the common request never reads its URL for it.
 */
function classOf(call: SendingCall, request: SendRequest): OperationClass {
  return operationClassOf(call.method, request.target.href, request.keepParams ? call.callConfig.params : undefined);
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
  const throttle = ctx.detached ? undefined : ctx.throttle;
  const endpoint = request.target.origin;
  if (throttle?.tracks(endpoint) !== true) return sendGated(ctx, call, request);
  // The endpoint has a pace for some class: only a request of a paced class waits.
  const cls = classOf(call, request);
  return throttle.tracks(endpoint, cls) ? sendPaced(ctx, throttle, call, request, cls) : sendGated(ctx, call, request, cls);
}

/** Waits for the pace of the request's class (which has one), then sends. */
async function sendPaced(ctx: HandleContext, throttle: ThrottleRegistry, call: SendingCall, request: SendRequest, cls: OperationClass): Promise<Sent> {
  const endpoint = request.target.origin;
  // Refused before queueing for a pace slot (an open breaker would refuse the slot's request anyway).
  if (ctx.breakers?.isOpen(endpoint) === true) return refusedLater(endpoint, 'breaker');
  // A free slot stays synchronous: no promise, no extra turn.
  const slot = throttle.acquire(endpoint, cls, callSignal(call.callConfig), request.deadline, call.settings.maxPaceWaitMs);
  if (slot !== undefined) {
    const paced = await waitForSlot(slot, endpoint);
    if (paced !== undefined) return { result: paced, sent: false };
  }
  return sendGated(ctx, call, request, cls);
}

/**
 * Passes the breaker's gate, sends, and judges the answer.
 * @param cls the request's operation class, when sending already read it
 */
function sendGated(ctx: HandleContext, call: SendingCall, request: SendRequest, cls?: OperationClass): Promise<Sent> {
  const endpoint = request.target.origin;
  const breakers = ctx.detached ? undefined : ctx.breakers;
  const callConfig = call.callConfig;
  const timeout = callConfig.timeout !== undefined && callConfig.timeout > 0 ? callConfig.timeout : DEFAULT_PROBE_TIMEOUT_MS;
  const ticket = breakers?.gate(endpoint, timeout);
  if (breakers !== undefined && ticket === undefined) return refusedLater(endpoint, 'breaker');
  // When the request left (a pace window judges only requests sent in it).
  const sentAt = Date.now();
  // The common request (own URL, no sign hook, the call's own body, no upload progress to tag) borrows the
  // call's config; the others get their own copy.
  const exchanged =
    call.settings.sign === undefined && request.ownUrl && call.bodies === undefined && callConfig.onUploadProgress === undefined
      ? exchange(call, callConfig, request.target, lendCallConfig(callConfig))
      : exchangeCopy(ctx, call, request, call.settings.sign);
  return exchanged.then(
    (outcome) => {
      if (outcome.type !== 'unsent') return judge(ctx, call, request, cls, ticket, outcome, sentAt);
      // Nothing reached the endpoint: no verdict on it and nothing for its pace, but free the probe slot.
      if (ticket !== undefined) void ctx.breakers?.record(ticket, 'neither');
      return { result: outcome.result, sent: false };
    },
    (error: unknown) => {
      // A sign hook or a body factory (or the config copy before them) threw; the exchange itself never
      // rejects: no verdict on the endpoint, but free the probe slot.
      if (ticket !== undefined) void ctx.breakers?.record(ticket, 'neither');
      throw error;
    },
  );
}

/**
 * Sends a copy of the call's config: to a redirect target or a rewritten URL, through the sign hook,
 * with a fresh body from the call's body factory (made before the hook, which signs it), or with its
 * upload progress tagged with the request's number.
 */
async function exchangeCopy(ctx: HandleContext, call: SendingCall, request: SendRequest, sign: CallSettings['sign']): Promise<ExchangeOutcome | Unsent> {
  let config = attemptConfig(call.callConfig, request.target.url, request.keepParams, sign !== undefined);
  tagUploadProgress(config, request.requestNumber);
  if (call.bodies !== undefined) {
    // Nothing is made for a call aborted by now; a factory that throws or rejects ends the call with its own error, unsent.
    if (callSignal(call.callConfig)?.aborted === true) return ABORTED;
    config.data = await call.bodies.next();
  }
  if (sign !== undefined) {
    const signed = await signWithinCall(ctx, call, request, sign, config);
    if (signed.type === 'unsent') return signed;
    config = signed.config;
  }
  // The last look before the adapter: a call aborted by now sends nothing.
  if (callSignal(call.callConfig)?.aborted === true) return ABORTED;
  return exchange(call, config, request.target);
}

/** The longest delay a timer can hold, in ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The call's signal aborted before its request was handed to the adapter. */
const ABORTED: Unsent = { type: 'unsent', result: { type: 'aborted' } };

/**
 * Runs the sign hook, bounded by the call: the call's signal (or cancel token)
 * aborting, or the call's axios `timeout` passing, ends the wait at once, and
 * the config the hook hands back later is dropped unsent. A hook called on an
 * aborted call is not called at all. A hook that settles at once (a plain
 * value) costs no timer.
 *
 * A hook that outlasts `timeout` ends the attempt with the error axios's own
 * timeout gives (`AxiosError`, `ECONNABORTED`, `timeout of <ms>ms exceeded`,
 * or what `timeoutErrorMessage` / `transitional.clarifyTimeoutError` ask
 * for), classified as a `Timeout` and judged by the table like one: retried
 * while its entry says so (the default `circuit`), each retry signing again
 * with a fresh bound. Nothing was sent, so the endpoint's breaker and pace
 * learn nothing from it and it is not counted as a request; replaying it is
 * safe, though decide() still treats a POST or PATCH after a `Timeout` as not
 * replayable. The hook's own time is bounded apart from the request's: the
 * request that follows gets the whole `timeout` from the adapter.
 */
function signWithinCall(
  ctx: HandleContext,
  call: SendingCall,
  request: SendRequest,
  sign: NonNullable<CallSettings['sign']>,
  config: InternalAxiosRequestConfig,
): Signed | Promise<Signed> {
  const signal = callSignal(call.callConfig);
  if (signal?.aborted === true) return ABORTED;
  const { requestNumber, hops } = request;
  // The call's own config stands for the call (SignContext.call): the same object on every request of it.
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias is still filled in for old hooks
  const signing = sign(config, { requestNumber, attempt: requestNumber, hops, clockOffsetMs: ctx.clockOffsetMs, refreshCredentials: request.refreshCredentials, call: call.callConfig });
  if (!isThenable(signing)) return { type: 'signed', config: signing };
  const timeoutMs = call.callConfig.timeout;
  // A timeout no timer can hold (past 2³¹−1 ms, or not a number) bounds nothing: a timer would fire at once.
  const bounded = timeoutMs !== undefined && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS;
  if (signal === undefined && !bounded) return Promise.resolve(signing).then((signed) => ({ type: 'signed', config: signed }));
  return new Promise<Signed>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      settle(ABORTED);
    };
    // The first to come wins; every path clears the timer and the listener, so nothing keeps the process alive.
    const settle = (signed: Signed | undefined, error?: unknown): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the hook's own rejection, handed on untouched
      if (signed === undefined) reject(error);
      else resolve(signed);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (bounded) {
      timer = setTimeout(() => {
        settle({ type: 'unsent', result: hookTimeout(call, request, timeoutMs) });
      }, timeoutMs);
    }
    // Handled either way: a hook that rejects after the race is lost is no unhandled rejection.
    Promise.resolve(signing).then(
      (signed) => {
        settle({ type: 'signed', config: signed });
      },
      (error: unknown) => {
        settle(undefined, error);
      },
    );
  });
}

/** True for a promise or any other thenable (a hook may return either). */
function isThenable(value: unknown): value is PromiseLike<InternalAxiosRequestConfig> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** The timeout of a sign hook that outlasted the call's `timeout`: the error axios's own timeout gives, as a judged fault. */
function hookTimeout(call: SendingCall, request: SendRequest, timeoutMs: number): ReportedFault {
  const config = call.callConfig;
  const message = config.timeoutErrorMessage ?? `timeout of ${String(timeoutMs)}ms exceeded`;
  const code = config.transitional?.clarifyTimeoutError === true ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED;
  const error = new AxiosError(message, code, config);
  // A Timeout whatever the message says (classifying by the error alone reads a custom message as a network error).
  const fault: ObsFault = { ...makeFault('timeout', TIMEOUT_CODE), errorCode: code };
  const policy = resolvePolicy(fault.code, fault.status, call.settings.handleLayer, call.settings.requestLayer);
  return { type: 'fault', fault, policy, url: request.target.url, response: undefined, error };
}

/**
 * Teaches the answer to the breaker and the pace, and judges a fault by the policy table.
 * @param cls the request's operation class, when sending already read it (else read here, only when the pace needs it)
 */
function judge(
  ctx: HandleContext,
  call: SendingCall,
  request: SendRequest,
  cls: OperationClass | undefined,
  ticket: BreakerTicket | undefined,
  outcome: ExchangeOutcome,
  sentAt: number,
): Sent | Promise<Sent> {
  const endpoint = request.target.origin;
  // Only an endpoint that has a pace learns from an answer that is not throttling.
  const throttle = ctx.detached ? undefined : ctx.throttle;
  if (outcome.type === 'success') {
    if (ticket !== undefined) void ctx.breakers?.record(ticket, breakerVerdict({ type: 'success', status: outcome.response.status }));
    if (throttle?.tracks(endpoint) === true) throttle.record(endpoint, cls ?? classOf(call, request), false, undefined, sentAt);
    return { result: outcome, sent: true };
  }
  if (outcome.type === 'passthrough') {
    if (ticket !== undefined) void ctx.breakers?.record(ticket, 'neither');
    return { result: outcome, sent: true };
  }
  const { fault } = outcome;
  const policy = resolvePolicy(fault.code, fault.status, call.settings.handleLayer, call.settings.requestLayer);
  const throttled = isThrottleSignal(fault);
  if (throttle !== undefined && (throttled || throttle.tracks(endpoint))) {
    throttle.record(endpoint, cls ?? classOf(call, request), throttled, throttled ? fault.retryAfterMs : undefined, sentAt, call.settings.maxPaceWaitMs);
  }
  const judged: Sent = { result: { ...outcome, policy }, sent: true };
  // A failure is counted (and may open the breaker) before the call decides: its next step sees the new state.
  const counted = ticket === undefined ? undefined : ctx.breakers?.record(ticket, breakerVerdict({ type: 'fault', action: policy.action, status: fault.status }), fault.status !== undefined);
  return counted === undefined ? judged : counted.then(() => judged);
}
