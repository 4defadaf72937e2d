/**
 * Options resolved once: the handle's at attach time, a call's (request over
 * handle) once per call. Everything after this reads filled-in values.
 */
import type { PolicyLayer } from '../policy/resolve-policy.js';
import { DEFAULTS } from './defaults.js';
import type { BreakerOptions, ObsPolicyOptions, ObsRequestOptions, RequestBodyFactory, RetryBudgetOptions, SignHook, ThrottleOptions } from './types.js';

/** The handle's options with every default filled in. */
export interface HandleSettings {
  /** The handle's layer of the policy precedence chain. */
  layer: PolicyLayer;
  /** Breaker settings, or `undefined` with `breaker: false`. */
  breaker: Required<BreakerOptions> | undefined;
  /** Pacing settings, or `undefined` with `throttle: false`. */
  throttle: Required<ThrottleOptions> | undefined;
  /** Retry quota, or `undefined` with `retryBudget: false`. */
  retryBudget: Required<RetryBudgetOptions> | undefined;
  maxRedirects: number;
  allowHosts: readonly (string | RegExp)[];
  redirectCacheSize: number;
  maxElapsedMs: number | undefined;
  sign: SignHook | undefined;
  random: () => number;
  /** A streamed download's body idle timeout in ms (`0`: none). */
  bodyIdleTimeoutMs: number;
}

/** Fills in the handle's defaults (options are validated before). */
export function resolveHandleOptions(options: ObsPolicyOptions): HandleSettings {
  return {
    layer: { policies: options.policies, retry: options.retry },
    breaker: options.breaker === false ? undefined : { ...DEFAULTS.breaker, ...options.breaker },
    throttle: options.throttle === false ? undefined : { ...DEFAULTS.throttle, ...options.throttle },
    retryBudget: options.retryBudget === false ? undefined : { ...DEFAULTS.retryBudget, ...options.retryBudget },
    maxRedirects: options.redirect?.maxRedirects ?? DEFAULTS.redirect.maxRedirects,
    allowHosts: options.redirect?.allowHosts ?? DEFAULTS.redirect.allowHosts,
    redirectCacheSize: options.redirect?.cacheSize ?? DEFAULTS.redirect.cacheSize,
    maxElapsedMs: options.retry?.maxElapsedMs,
    sign: options.sign,
    random: options.random ?? Math.random,
    bodyIdleTimeoutMs: options.bodyIdleTimeoutMs ?? DEFAULTS.bodyIdleTimeoutMs,
  };
}

/** One call's options: its `obs` key merged over the handle's, once. */
export interface CallSettings {
  /** The handle's layer of the policy precedence chain. */
  handleLayer: PolicyLayer;
  /** The request's layer, if it has an `obs` key. */
  requestLayer: PolicyLayer | undefined;
  maxRedirects: number;
  allowHosts: readonly (string | RegExp)[];
  maxElapsedMs: number | undefined;
  /** The longest one request waits for its endpoint's pace: `retry.maxDelayMs`, the cap of any one wait. */
  maxPaceWaitMs: number;
  /** The hook that signs this call's attempts; `undefined` with none or `sign: false`. */
  sign: SignHook | undefined;
  /** A streamed download's body idle timeout in ms (`0`: none). */
  bodyIdleTimeoutMs: number;
  /** Makes the body of each request of the call (`obs.body`); `undefined`: the call sends its `data`. */
  body: RequestBodyFactory | undefined;
}

/** The settings of calls without an `obs` key: one object per handle, not one per call. */
const plainCalls = new WeakMap<HandleSettings, CallSettings>();

/** Merges a request's `obs` options over the handle's settings. */
export function resolveCallOptions(handle: HandleSettings, request: ObsRequestOptions | undefined): CallSettings {
  if (request === undefined) {
    let plain = plainCalls.get(handle);
    if (plain === undefined) {
      plain = merge(handle, undefined);
      plainCalls.set(handle, plain);
    }
    return plain;
  }
  return merge(handle, request);
}

function merge(handle: HandleSettings, request: ObsRequestOptions | undefined): CallSettings {
  const ownSign = request?.sign;
  return {
    handleLayer: handle.layer,
    requestLayer: request === undefined ? undefined : { policies: request.policies, retry: request.retry },
    maxRedirects: request?.redirect?.maxRedirects ?? handle.maxRedirects,
    allowHosts: request?.redirect?.allowHosts ?? handle.allowHosts,
    maxElapsedMs: request?.retry?.maxElapsedMs ?? handle.maxElapsedMs,
    maxPaceWaitMs: request?.retry?.maxDelayMs ?? handle.layer.retry?.maxDelayMs ?? DEFAULTS.retry.maxDelayMs,
    sign: ownSign === false ? undefined : (ownSign ?? handle.sign),
    bodyIdleTimeoutMs: request?.bodyIdleTimeoutMs ?? handle.bodyIdleTimeoutMs,
    body: request?.body,
  };
}
