/**
 * The vocabulary of the policy table: what the package may do about a failure,
 * and the retry knobs a table entry may carry.
 */

/**
 * What the policies do with an outcome:
 * - `retry`: re-send with backoff while attempts remain;
 * - `circuit`: count as a failure of the endpoint's breaker, and retry like `retry` while it is closed;
 * - `redirect`: follow the redirect target;
 * - `fail`: reject at once.
 */
export type PolicyAction = 'retry' | 'redirect' | 'circuit' | 'fail';

/** Every action, for validation and exhaustive tests. */
export const POLICY_ACTIONS: readonly PolicyAction[] = ['retry', 'redirect', 'circuit', 'fail'];

/** Retry knobs; each is optional and falls back along the precedence chain. */
export interface RetryKnobs {
  /** Retries after the first attempt. @default 3 */
  retries?: number;
  /** Base of the exponential backoff, in ms. @default 100 */
  minDelayMs?: number;
  /** Cap of one wait, in ms (also caps `Retry-After`). @default 20000 */
  maxDelayMs?: number;
  /** Growth factor of the exponential backoff. @default 2 */
  factor?: number;
  /**
   * Throttling outcomes (SlowDown, ServiceUnavailable, 429) back off from
   * `minDelayMs × throttleMultiplier` instead of `minDelayMs`: load shedding
   * wants the client to slow down more than a transient blip does. @default 4
   */
  throttleMultiplier?: number;
}

/** A table entry with knobs: the action plus retry settings for that code only. */
export interface PolicyOverride extends RetryKnobs {
  /** What to do with this code; the knobs beside it matter only when it retries (`retry`, `circuit`). */
  action: PolicyAction;
}

/** A policy table: OBS error code (or stand-in code) → action or action with knobs. */
export type PolicyTable = Readonly<Record<string, PolicyAction | PolicyOverride>>;
