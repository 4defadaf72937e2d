/**
 * The state one handle shares across its calls: options, emitter, breakers,
 * remembered redirects, retry budget, clock offset, detach signal.
 */
import type { ObsPolicyOptions } from '../options/types.js';
import type { PolicyLayer } from '../policy/resolve-policy.js';
import { BREAKER_DEFAULTS, BreakerRegistry } from '../breaker/breaker-registry.js';
import { PolicyEmitter } from '../reporting/events.js';
import { OBS_OFFICIAL_HOSTS } from '../redirect/host-allowlist.js';
import { PermanentRedirects } from '../redirect/permanent-redirects.js';
import { RETRY_BUDGET_DEFAULTS, RetryBudget } from '../retry/retry-budget.js';
import { PendingWaits } from '../retry/wait.js';

/** Redirect hops per call by default. */
export const DEFAULT_MAX_REDIRECTS = 3;
/** Remembered 301 rewrites per handle by default. */
export const DEFAULT_REDIRECT_CACHE_SIZE = 500;

/** Shared state of one handle. */
export interface HandleContext {
  readonly options: ObsPolicyOptions;
  readonly layer: PolicyLayer;
  readonly emitter: PolicyEmitter;
  readonly breakers: BreakerRegistry | undefined;
  readonly redirects: PermanentRedirects;
  readonly budget: RetryBudget | undefined;
  readonly random: () => number;
  readonly allowHosts: readonly (string | RegExp)[];
  readonly maxRedirects: number;
  /** The backoff waits in progress; detach cancels them all (and marks the handle detached). */
  readonly pendingWaits: PendingWaits;
  /** Server time minus local time, learned from RequestTimeTooSkewed. */
  clockOffsetMs: number;
}

/** Builds the shared state from validated options. */
export function createHandleContext(options: ObsPolicyOptions): HandleContext {
  const emitter = new PolicyEmitter();
  const breakers = options.breaker === false ? undefined : new BreakerRegistry({ ...BREAKER_DEFAULTS, ...options.breaker }, emitter);
  const budget = options.retryBudget === false ? undefined : new RetryBudget({ ...RETRY_BUDGET_DEFAULTS, ...options.retryBudget });
  return {
    options,
    layer: { policies: options.policies, retry: options.retry },
    emitter,
    breakers,
    redirects: new PermanentRedirects(options.redirect?.cacheSize ?? DEFAULT_REDIRECT_CACHE_SIZE),
    budget,
    random: options.random ?? Math.random,
    allowHosts: options.redirect?.allowHosts ?? OBS_OFFICIAL_HOSTS,
    maxRedirects: options.redirect?.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    pendingWaits: new PendingWaits(),
    clockOffsetMs: 0,
  };
}
