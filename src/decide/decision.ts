/**
 * The vocabulary of the one decision point: what `decide()` reads and what it
 * answers. Plain data, no axios, no timers.
 */
import type { ObsFault } from '../classify/fault.js';
import type { ResolvedPolicy } from '../policy/resolve-policy.js';
import type { EndReason, FailFastCode, GiveUpCode } from './reasons.js';

/** What the call does next. */
export type Decision =
  /** Wait `delayMs`, then send again; `cost` tokens are taken from the retry budget (none without one). */
  | { type: 'retry'; delayMs: number; cost: number }
  /** Follow the redirect to `url` now (no wait, no retry used); `permanent` ones are remembered. */
  | { type: 'redirect'; url: URL; permanent: boolean }
  /** The server's clock is `offsetMs` ahead of ours: learn it, re-sign, send once more. */
  | { type: 'resign'; offsetMs: number }
  /** The server refused the credentials the request was signed with: re-sign with fresh ones (`SignContext.refreshCredentials`), send once more. */
  | { type: 'refreshCredentials' }
  /** Reject at once: the table says `fail`, or a redirect may not be followed (`code` says which). */
  | ({ type: 'failFast' } & EndReason<FailFastCode>)
  /** A retryable outcome that may not be retried any more (`code` says why). */
  | ({ type: 'giveUp' } & EndReason<GiveUpCode>)
  /** The breaker refused the call before anything failed: reject with `CircuitOpenError`. */
  | { type: 'refuse' };

/** A failed request, with the table's answer for it. */
export interface JudgedFault {
  type: 'fault';
  fault: ObsFault;
  policy: ResolvedPolicy;
  /** The URL the request went to. */
  url: URL;
}

/** An attempt that was never sent: the endpoint's breaker refused it, or its pace would start it past `maxElapsedMs`. */
export interface Refusal {
  type: 'refused';
  endpoint: string;
  by: 'breaker' | 'pace';
}

/** Where the call stands. */
export interface CallState {
  /** Upper-case method. */
  method: string;
  /** Why the body cannot be re-sent, if it cannot. */
  unreplayableBody: string | undefined;
  /** The URL the call started with. */
  startUrl: URL;
  retriesUsed: number;
  /** Redirect hops followed so far. */
  hops: number;
  /** URLs this attempt's redirect chain has visited (loop detection). */
  visited: ReadonlySet<string>;
  /** ms since the call started. */
  elapsedMs: number;
  /** True once a RequestTimeTooSkewed was corrected in this call (it is corrected once). */
  skewCorrected: boolean;
  /** True once the call was re-signed with fresh credentials after a refusal of its credentials (it is, once). */
  credentialsRefreshed: boolean;
  /** True when an earlier attempt of this call failed (a refusal then gives up with that failure). */
  hasFailed: boolean;
  /** True once the handle is detached: no more retries. */
  detached: boolean;
}

/** The call's settings that decisions read. */
export interface DecideSettings {
  maxRedirects: number;
  allowHosts: readonly (string | RegExp)[];
  maxElapsedMs: number | undefined;
  /** True when the call has a sign hook (only then can a clock skew be corrected or the credentials refreshed). */
  canSign: boolean;
}

/** The retry budget as decisions see it: tokens left and the price list. */
export interface BudgetView {
  tokens: number;
  retryCost: number;
  timeoutRetryCost: number;
}

/** Everything `decide()` reads. */
export interface DecideInput {
  outcome: JudgedFault | Refusal;
  call: CallState;
  settings: DecideSettings;
  /** `undefined` when the handle has no retry budget. */
  budget: BudgetView | undefined;
  /** True when the breaker of the failed request's endpoint is open now. */
  breakerOpen: boolean;
  /**
   * True when the failed request's endpoint has a pacer (it was throttled before): its requests,
   * retries included, wait for pace slots once the first window has set a pace, so retrying a
   * throttling answer adds no load beyond it. During that first window (about 250 ms) they go unpaced.
   */
  paced: boolean;
  /** The jitter source, uniform in [0, 1): called once for each backoff `decide()` computes, and not otherwise. */
  random: () => number;
  /** The local clock, epoch ms (clock-skew correction). */
  nowMs: number;
}
