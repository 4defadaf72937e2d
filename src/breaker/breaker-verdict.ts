/**
 * What one request's outcome means to its endpoint's breaker. Pure.
 *
 * Only `circuit` outcomes (InternalError, other 5xx that are not throttling,
 * network errors, timeouts) are failures, and only answers with a 2xx/3xx
 * status are successes. Everything else — 4xx, throttling (SlowDown,
 * ServiceUnavailable, 429), cancellations — is neither: it must not dilute
 * the failure rate of an endpoint that is dying.
 */
import type { PolicyAction } from '../policy/types.js';

/** A failure of the endpoint, a success, or neither (does not move the statistics). */
export type BreakerVerdict = 'failure' | 'success' | 'neither';

/** The parts of an outcome the verdict reads. */
export type VerdictInput =
  | { type: 'success'; status: number }
  | { type: 'passthrough' }
  | { type: 'fault'; action: PolicyAction; status: number | undefined };

function answered(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 400;
}

/** The breaker's reading of one outcome. */
export function breakerVerdict(outcome: VerdictInput): BreakerVerdict {
  switch (outcome.type) {
    case 'success':
      return answered(outcome.status) ? 'success' : 'neither';
    case 'passthrough':
      return 'neither';
    case 'fault':
      if (outcome.action === 'circuit') return 'failure';
      // A redirect is the endpoint answering; a 4xx or throttling answer says nothing about its health.
      return answered(outcome.status) ? 'success' : 'neither';
  }
}
