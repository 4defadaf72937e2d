/**
 * attachObsPolicies: installs the policies on an axios instance through one
 * request interceptor that swaps in a wrapping adapter. Attempts run inside the
 * adapter, so the user's response interceptors run once per call, and
 * `detach()` ejects the interceptor and shuts every breaker and timer down.
 */
import axios, { type AxiosAdapter, type AxiosInstance, type AxiosRequestConfig, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { ObsPolicyOptions } from './options/types.js';
import { resolveCallOptions } from './options/resolve.js';
import { validateHandleOptions, validateRequestOptions } from './options/validate.js';
import type { ObsPolicyEventName, ObsPolicyListener } from './reporting/events.js';
import { createHandleContext, type HandleContext } from './call/handle-context.js';
import { PolicyCall } from './call/policy-call.js';
import { takeState } from './state/handle-state.js';
import type { ObsPolicyState } from './state/state-snapshot.js';
import type { OperationClass } from './throttle/operation-class.js';
import { callTarget, RequestTarget } from './transport/request-target.js';

/** What `attachObsPolicies` returns. */
export interface ObsPolicyHandle {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends ObsPolicyEventName>(event: E, listener: ObsPolicyListener<E>): () => void;
  /** Subscribes for one event only; returns the unsubscribe function. */
  once<E extends ObsPolicyEventName>(event: E, listener: ObsPolicyListener<E>): () => void;
  /** Unsubscribes. */
  off<E extends ObsPolicyEventName>(event: E, listener: ObsPolicyListener<E>): void;
  /**
   * Removes everything `attachObsPolicies` installed and shuts down every breaker
   * and timer. Calls in flight finish their current request and do not retry.
   */
  detach(): void;
  /** True after `detach()`. */
  readonly detached: boolean;
  /** Server time minus local time in ms, learned from a RequestTimeTooSkewed answer (0 until then). */
  readonly clockOffsetMs: number;
  /**
   * The breaker state of an endpoint, or `undefined` if it has none yet. `endpoint` is any absolute
   * URL or origin of it (`https://Bucket.Host:443/key` names `https://bucket.host`, as requests do);
   * anything that is not an absolute URL answers `undefined`.
   */
  breakerState(endpoint: string): 'closed' | 'open' | 'halfOpen' | undefined;
  /**
   * The pace of an endpoint in requests per second, or `null` when it is not paced. `endpoint` is
   * read as by `breakerState`; anything that is not an absolute URL answers `null`. The pace is kept
   * per operation class (`list`, `read`, `write`, `other`): `operation` names one; without it, the
   * slowest pace among the endpoint's classes.
   */
  paceOf(endpoint: string, operation?: OperationClass): number | null;
  /** Tokens left in the retry budget (`Infinity` when the budget is off). */
  readonly retryBudgetTokens: number;
  /**
   * Opens an endpoint's breaker by hand until `reset(endpoint)`: no probe goes, every call to it is
   * refused with `CircuitOpenError` (and `circuitReject`); `breakerState` says `open`. Emits
   * `circuitOpen` unless it was open already. `endpoint` is read as by `breakerState`.
   * @returns false, changing nothing, when `endpoint` is not an absolute URL, the handle has no
   *   breakers, or `breaker.maxEndpoints` endpoints are isolated already; true otherwise
   */
  isolate(endpoint: string): boolean;
  /**
   * Closes an endpoint's breaker by hand, isolated or not: an empty window, the open interval back
   * to `firstResetTimeoutMs`. Emits `circuitClose` when it was open or half-open. `endpoint` is read
   * as by `breakerState`.
   * @returns false when `endpoint` is not an absolute URL or the handle has no breakers; true otherwise
   */
  reset(endpoint: string): boolean;
  /**
   * The handle's learned state as plain JSON (open and isolated breakers, paces, remembered 301s,
   * clock offset): store it and pass it as `initialState` to the next process's handle. See
   * docs/breaker.md for the format.
   */
  snapshot(): ObsPolicyState;
}

/** Marks the instances that carry policies, so a second attach is refused instead of nesting retries. */
const ATTACHED = Symbol.for('obs-axios-policies.attached');
/** Marks our adapters with the adapter they wrap, so a re-dispatched config is re-wrapped, not nested. */
const WRAPPED = Symbol.for('obs-axios-policies.wrappedAdapter');

type AdapterSetting = AxiosRequestConfig['adapter'];
type WrappedAdapter = AxiosAdapter & { [WRAPPED]?: AdapterSetting };

function unwrap(adapter: AdapterSetting): AdapterSetting {
  const inner = typeof adapter === 'function' ? (adapter as WrappedAdapter)[WRAPPED] : undefined;
  return inner !== undefined ? unwrap(inner) : adapter;
}

/**
 * The origin key requests of `endpoint` are kept under (breakers, paces), read as a request's URL
 * is read: scheme and host in lower case, a default port dropped, path, query and fragment
 * ignored. `undefined` for anything that is not an absolute URL; never throws.
 */
function endpointKey(endpoint: unknown): string | undefined {
  return typeof endpoint === 'string' ? RequestTarget.parse(endpoint)?.origin : undefined;
}

function runCall(ctx: HandleContext, config: InternalAxiosRequestConfig, base: AxiosAdapter): Promise<AxiosResponse> {
  const request = config.obs === false ? undefined : config.obs;
  try {
    validateRequestOptions(request);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new TypeError(String(error)));
  }
  const target = callTarget(config);
  // Not an absolute URL: axios reports that itself; there is nothing to retry.
  if (target === undefined) return base(config);
  return new PolicyCall(ctx, config, base, resolveCallOptions(ctx.settings, request), target).run();
}

function makeAdapter(ctx: HandleContext, inner: AdapterSetting): WrappedAdapter {
  let resolved: AxiosAdapter | undefined;
  const adapter: WrappedAdapter = (config) => {
    resolved ??= axios.getAdapter(inner ?? axios.defaults.adapter, config);
    return runCall(ctx, config, resolved);
  };
  adapter[WRAPPED] = inner;
  return adapter;
}

/**
 * Installs the OBS policies on an axios instance.
 *
 * @param instance the user's axios instance (never the global default unless you mean it)
 * @param options see `ObsPolicyOptions`; unknown names or invalid values throw a `TypeError` here
 * @returns the handle: events, `detach()`, breaker state
 * @throws TypeError on invalid options, Error when the instance already has policies attached
 * @example
 * const client = axios.create({ baseURL: 'https://bucket.obs.cn-north-4.myhuaweicloud.com' });
 * const handle = attachObsPolicies(client, { retry: { retries: 4 } });
 * handle.on('retry', (e) => console.warn(`retry ${e.attempt} in ${e.delayMs} ms: ${e.error.obsCode}`));
 */
export function attachObsPolicies(instance: AxiosInstance, options: ObsPolicyOptions = {}): ObsPolicyHandle {
  validateHandleOptions(options);
  const marked = instance as AxiosInstance & { [ATTACHED]?: boolean };
  if (marked[ATTACHED] === true) {
    throw new Error('obs-axios-policies: this axios instance already has policies attached; detach() the first handle before attaching again.');
  }
  const ctx = createHandleContext(options);
  const adapters = new Map<unknown, WrappedAdapter>();
  const interceptorId = instance.interceptors.request.use(
    (config) => {
      if (config.obs === false || ctx.detached) return config;
      const inner = unwrap(config.adapter);
      // One wrapper per distinct adapter setting (usually just the instance default).
      let adapter = adapters.get(inner);
      if (adapter === undefined) {
        adapter = makeAdapter(ctx, inner);
        if (adapters.size < 16) adapters.set(inner, adapter);
      }
      config.adapter = adapter;
      return config;
    },
    undefined,
    { synchronous: true },
  );
  marked[ATTACHED] = true;

  return {
    on: (event, listener) => ctx.emitter.on(event, listener),
    once: (event, listener) => ctx.emitter.once(event, listener),
    off: (event, listener) => {
      ctx.emitter.off(event, listener);
    },
    detach: () => {
      if (ctx.detached) return;
      ctx.detached = true;
      instance.interceptors.request.eject(interceptorId);
      ctx.pendingWaits.cancelAll();
      ctx.fleet?.stop();
      ctx.breakers?.shutdown();
      ctx.throttle?.shutdown();
      ctx.redirects.clear();
      ctx.emitter.clear();
      adapters.clear();
      Reflect.deleteProperty(marked, ATTACHED);
    },
    get detached() {
      return ctx.detached;
    },
    get clockOffsetMs() {
      return ctx.clockOffsetMs;
    },
    breakerState: (endpoint) => {
      const key = endpointKey(endpoint);
      return key === undefined ? undefined : ctx.breakers?.state(key);
    },
    paceOf: (endpoint, operation) => {
      const key = endpointKey(endpoint);
      return key === undefined ? null : (ctx.throttle?.rate(key, operation) ?? null);
    },
    get retryBudgetTokens() {
      return ctx.budget?.available ?? Number.POSITIVE_INFINITY;
    },
    isolate: (endpoint) => {
      const key = endpointKey(endpoint);
      return key !== undefined && ctx.breakers !== undefined && !ctx.detached && ctx.breakers.isolate(key);
    },
    reset: (endpoint) => {
      const key = endpointKey(endpoint);
      if (key === undefined || ctx.breakers === undefined || ctx.detached) return false;
      ctx.breakers.reset(key);
      return true;
    },
    snapshot: () => takeState(ctx, Date.now()),
  };
}
