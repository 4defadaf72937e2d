/**
 * Every default of the package, in one object. The TSDoc `@default` tags of the
 * option types and the README's options table are tested against this object.
 * The values are written here, except the retry knobs: they are the weakest
 * layer of the policy precedence chain, written beside it (`RETRY_DEFAULTS`,
 * src/policy/resolve-policy.ts), and `DEFAULTS.retry` is that object.
 */
import { RETRY_DEFAULTS } from '../policy/resolve-policy.js';
import { OBS_OFFICIAL_HOSTS } from '../redirect/host-allowlist.js';
import type { BreakerOptions, RetryBudgetOptions, ThrottleOptions } from './types.js';

/** The defaults, by option group. */
export const DEFAULTS = Object.freeze({
  /** Retry knobs: the weakest layer of the precedence chain. */
  retry: RETRY_DEFAULTS,
  /** Per-endpoint breakers. */
  breaker: Object.freeze({
    consecutiveFailures: 5,
    errorThresholdPercentage: 50,
    volumeThreshold: 10,
    resetTimeoutMs: 30_000,
    firstResetTimeoutMs: 1250,
    rollingWindowMs: 10_000,
    maxEndpoints: 1000,
  } satisfies Required<BreakerOptions>),
  /** Pacing of throttled endpoints. */
  throttle: Object.freeze({
    minRatePerSec: 1,
    windowMs: 250,
    maxEndpoints: 1000,
  } satisfies Required<ThrottleOptions>),
  /** Redirect following. */
  redirect: Object.freeze({
    maxRedirects: 3,
    cacheSize: 500,
    allowHosts: OBS_OFFICIAL_HOSTS,
  }),
  /** The longest a streamed download goes without a body chunk before it is resumed, in ms (`0`: no watch). */
  bodyIdleTimeoutMs: 30_000,
  /** The handle's retry quota. */
  retryBudget: Object.freeze({
    capacity: 500,
    retryCost: 5,
    timeoutRetryCost: 10,
    successRefund: 1,
  } satisfies Required<RetryBudgetOptions>),
});
