/**
 * What one request of a call came to, and the internal error that carries a
 * failed attempt from the attempt function to p-retry's decision hook.
 */
import type { AxiosResponse } from 'axios';
import type { ObsFault } from '../classify/fault.js';
import type { ResolvedPolicy } from '../policy/resolve-policy.js';

/** One request's outcome. */
export type SendOutcome =
  | { type: 'success'; response: AxiosResponse }
  | { type: 'fault'; fault: ObsFault; policy: ResolvedPolicy; url: URL; response: AxiosResponse | undefined; error: unknown }
  /** A cancellation or a local axios error: handed back to the caller untouched. */
  | { type: 'passthrough'; error: unknown }
  /** The endpoint's breaker is open: nothing was sent. */
  | { type: 'refused'; endpoint: string };

/** The failed outcome of one p-retry attempt. */
export class AttemptFailure extends Error {
  constructor(readonly outcome: Extract<SendOutcome, { type: 'fault' }>) {
    super(`attempt failed: ${outcome.fault.code}`);
    this.name = 'AttemptFailure';
  }
}

/** Thrown inside a breaker task so opossum counts the attempt as a failure; unwrapped right after. */
export class CountedFailure extends Error {
  constructor(readonly outcome: Extract<SendOutcome, { type: 'fault' }>) {
    super(`counted failure: ${outcome.fault.code}`);
    this.name = 'CountedFailure';
  }
}
