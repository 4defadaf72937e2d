/**
 * Every default of the package, in one place. The TSDoc `@default` tags of the
 * option types and the README's options table are tested against this object,
 * so a default changes here or nowhere.
 */
import { OBS_OFFICIAL_HOSTS } from '../redirect/host-allowlist.js';
import type { BreakerOptions, RetryBudgetOptions, ThrottleOptions } from './types.js';
import type { RetryKnobs } from '../policy/types.js';

/** The defaults, by option group. */
export const DEFAULTS = Object.freeze({
  /** Retry knobs: the weakest layer of the precedence chain. */
  retry: Object.freeze({
    retries: 3,
    minDelayMs: 100,
    maxDelayMs: 20_000,
    factor: 2,
    throttleMultiplier: 4,
  } satisfies Required<RetryKnobs>),
  /** Per-endpoint breakers. */
  breaker: Object.freeze({
    consecutiveFailures: 5,
    errorThresholdPercentage: 50,
    volumeThreshold: 10,
    resetTimeoutMs: 30_000,
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
  /** The handle's retry quota. */
  retryBudget: Object.freeze({
    capacity: 500,
    retryCost: 5,
    timeoutRetryCost: 10,
    successRefund: 1,
  } satisfies Required<RetryBudgetOptions>),
});
