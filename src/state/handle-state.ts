/**
 * Taking a handle's learned state (`snapshot()`) and starting a handle from
 * one (`initialState`, read by `readState` first). On restore the handle's own
 * settings decide: breakers and paces are skipped when the handle has none;
 * each list keeps its most recent records up to the handle's caps
 * (`breaker.maxEndpoints`, four classes per `throttle.maxEndpoints`,
 * `redirect.cacheSize`); an open breaker whose wait is over by now is left
 * closed; and a remembered 301 is kept only when the handle's
 * `redirect.allowHosts` would let a live redirect go there (`checkRedirectTarget`),
 * so a state never sends calls, or their credentials, where this handle's
 * settings would not.
 */
import type { BreakerRegistry } from '../breaker/breaker-registry.js';
import type { PermanentRedirects } from '../redirect/permanent-redirects.js';
import { checkRedirectTarget } from '../redirect/redirect-target.js';
import { OPERATION_CLASSES } from '../throttle/operation-class.js';
import type { ThrottleRegistry } from '../throttle/throttle-registry.js';
import { STATE_VERSION, type ObsPolicyState, type ObsRedirectState } from './state-snapshot.js';

/** What a handle's state lives in. */
export interface StateHolders {
  readonly breakers: BreakerRegistry | undefined;
  readonly throttle: ThrottleRegistry | undefined;
  readonly redirects: PermanentRedirects;
  /** Server time minus local time, ms. */
  readonly clockOffsetMs: number;
}

/** The caps and checks of the handle a state is restored into. */
export interface RestoreLimits {
  /** `breaker.maxEndpoints`. */
  maxBreakers: number;
  /** `throttle.maxEndpoints`. */
  maxPacedEndpoints: number;
  /** `redirect.cacheSize`. */
  maxRedirects: number;
  /** The handle's `redirect.allowHosts`. */
  allowHosts: readonly (string | RegExp)[];
}

/** The handle's learned state now, as plain JSON. */
export function takeState(holders: StateHolders, now: number): ObsPolicyState {
  return {
    version: STATE_VERSION,
    takenAt: now,
    breakers: holders.breakers?.records() ?? [],
    paces: holders.throttle?.records() ?? [],
    redirects: holders.redirects.records().map(({ from, to }) => ({ from, to })),
    clockOffsetMs: holders.clockOffsetMs,
  };
}

/** The last `count` records (the most recent: lists are least recently used first). */
function newest<T>(records: readonly T[], count: number): readonly T[] {
  return records.length <= count ? records : records.slice(records.length - count);
}

/** Whether a live redirect from the scope `from` to the origin `to` would be followed under `allowHosts` (never throws). */
export function redirectAllowed(record: ObsRedirectState, allowHosts: readonly (string | RegExp)[]): boolean {
  if (!URL.canParse(record.from) || !URL.canParse(record.to)) return false;
  const from = new URL(record.from);
  const to = new URL(record.to);
  const moved = new URL(from.href);
  moved.protocol = to.protocol;
  moved.host = to.host;
  return checkRedirectTarget(moved, { current: from, original: from, allowHosts }).ok;
}

/**
 * Starts a handle from a state read by `readState`.
 * @returns the clock offset to start from
 */
export function restoreState(holders: StateHolders, state: ObsPolicyState, limits: RestoreLimits): number {
  holders.breakers?.restore(newest(state.breakers, limits.maxBreakers));
  if (holders.throttle !== undefined) {
    for (const pace of newest(state.paces, limits.maxPacedEndpoints * OPERATION_CLASSES.length)) holders.throttle.restore(pace);
  }
  for (const record of newest(state.redirects, limits.maxRedirects)) {
    if (redirectAllowed(record, limits.allowHosts)) holders.redirects.restore(record);
  }
  return state.clockOffsetMs;
}
