/**
 * The state one handle shares across its calls: settings, emitter, breakers,
 * remembered redirects, retry budget, pending waits, clock offset, detached flag.
 */
import { BreakerRegistry } from '../breaker/breaker-registry.js';
import { FleetSync } from '../fleet/fleet-sync.js';
import { resolveHandleOptions, type HandleSettings } from '../options/resolve.js';
import type { ObsPolicyOptions } from '../options/types.js';
import { PermanentRedirects } from '../redirect/permanent-redirects.js';
import { PolicyEmitter } from '../reporting/emitter.js';
import { RetryBudget } from '../retry/retry-budget.js';
import { PendingWaits } from '../retry/wait.js';
import { redirectAllowed, restoreState } from '../state/handle-state.js';
import { readState } from '../state/read-state.js';
import { ThrottleRegistry } from '../throttle/throttle-registry.js';

/**
 * Answers a pacing window needs before it is judged. Fewer make the throttled share too noisy: with
 * 8, random shedding of 14 % reads as 30 %+ often enough to cut a pace step by step toward nothing;
 * with 30 the share's standard error stays under about 6 points.
 */
const PACE_MIN_SAMPLES = 30;

/** Shared state of one handle. */
export interface HandleContext {
  readonly settings: HandleSettings;
  readonly emitter: PolicyEmitter;
  readonly breakers: BreakerRegistry | undefined;
  readonly throttle: ThrottleRegistry | undefined;
  readonly redirects: PermanentRedirects;
  readonly budget: RetryBudget | undefined;
  /** The backoff waits in progress; detach cancels them all. */
  readonly pendingWaits: PendingWaits;
  /** Server time minus local time, learned from RequestTimeTooSkewed. */
  clockOffsetMs: number;
  /** True after `detach()`: calls in flight finish their current request and do not retry. */
  detached: boolean;
  /** The sync with the fleet store, when the handle has one (`store` option). */
  fleet: FleetSync | undefined;
}

/**
 * Builds the shared state from validated options, and starts it from `options.initialState` if given.
 * @throws TypeError when `initialState` is not a state `readState` accepts
 */
export function createHandleContext(options: ObsPolicyOptions): HandleContext {
  const settings = resolveHandleOptions(options);
  const emitter = new PolicyEmitter();
  // Read before anything is built: a bad state throws with no timer started.
  const initial = options.initialState === undefined ? undefined : readState(options.initialState, 'options.initialState');
  const ctx: HandleContext = {
    settings,
    emitter,
    breakers: settings.breaker === undefined ? undefined : new BreakerRegistry(settings.breaker, emitter, settings.random),
    throttle: settings.throttle === undefined ? undefined : new ThrottleRegistry({ ...settings.throttle, minSamples: PACE_MIN_SAMPLES }, emitter),
    redirects: new PermanentRedirects(settings.redirectCacheSize),
    budget: settings.retryBudget === undefined ? undefined : new RetryBudget(settings.retryBudget),
    pendingWaits: new PendingWaits(),
    clockOffsetMs: 0,
    detached: false,
    fleet: undefined,
  };
  if (initial !== undefined) {
    ctx.clockOffsetMs = restoreState(ctx, initial, {
      maxBreakers: settings.breaker?.maxEndpoints ?? 0,
      maxPacedEndpoints: settings.throttle?.maxEndpoints ?? 0,
      maxRedirects: settings.redirectCacheSize,
      allowHosts: settings.allowHosts,
    });
  }
  if (options.store === undefined) return ctx;
  const fleet = new FleetSync(options.store, {
    breakers: ctx.breakers,
    throttle: ctx.throttle,
    redirects: ctx.redirects,
    emitter,
    breaker: settings.breaker,
    throttleSettings: settings.throttle === undefined ? undefined : { ...settings.throttle, minSamples: PACE_MIN_SAMPLES },
    redirectAllowed: (redirect) => redirectAllowed(redirect, settings.allowHosts),
    setClockOffset: (offsetMs) => {
      ctx.clockOffsetMs = offsetMs;
    },
    random: settings.random,
    now: Date.now,
  });
  ctx.fleet = fleet;
  fleet.start();
  return ctx;
}
