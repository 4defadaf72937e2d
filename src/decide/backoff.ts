/**
 * Backoff maths: exponential with full jitter, raised to Retry-After, capped.
 * Pure: the random source is a parameter, called once per wait.
 */
import type { ResolvedKnobs } from '../policy/resolve-policy.js';

/** Inputs of one backoff computation. */
export interface BackoffInput {
  /** 1-based retry number. */
  retry: number;
  knobs: ResolvedKnobs;
  /** Throttling outcomes back off from `minDelayMs × throttleMultiplier`. */
  throttled: boolean;
  /** The server's Retry-After, in ms, if it sent one. */
  retryAfterMs: number | undefined;
  /** Uniform random in [0, 1). */
  random: () => number;
}

/**
 * The ceiling of retry `n`'s wait: `min(maxDelayMs, base · factor^(n-1))`,
 * where `base` is `minDelayMs`, times `throttleMultiplier` for throttling.
 */
export function backoffCeiling(retry: number, knobs: ResolvedKnobs, throttled: boolean): number {
  const base = knobs.minDelayMs * (throttled ? knobs.throttleMultiplier : 1);
  const grown = base * knobs.factor ** Math.max(0, retry - 1);
  return Math.min(knobs.maxDelayMs, Number.isFinite(grown) ? grown : knobs.maxDelayMs);
}

/**
 * The wait before a retry: uniform in `[0, ceiling]` (full jitter), raised to at
 * least Retry-After, and never above `maxDelayMs`.
 */
export function backoffDelay(input: BackoffInput): number {
  const ceiling = backoffCeiling(input.retry, input.knobs, input.throttled);
  let r = input.random();
  if (!(r >= 0 && r < 1)) r = 0.5;
  let delay = Math.round(r * ceiling);
  if (input.retryAfterMs !== undefined) delay = Math.max(delay, input.retryAfterMs);
  return Math.min(delay, input.knobs.maxDelayMs);
}
