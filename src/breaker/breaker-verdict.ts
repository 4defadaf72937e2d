/**
 * What one request's outcome means to its endpoint's breaker. Pure.
 */
import type { PolicyAction } from '../policy/types.js';

/** A failure of the endpoint, a success, or neither (does not move the statistics). */
export type BreakerVerdict = 'failure' | 'success' | 'neither';

/** The parts of an outcome the verdict reads. */
export type VerdictInput = { type: 'success' } | { type: 'passthrough' } | { type: 'fault'; action: PolicyAction };

/**
 * A `circuit` outcome (InternalError, other 5xx, network errors, timeouts) is a
 * failure of the endpoint; every other outcome of a request that went out
 * counts as a success.
 */
export function breakerVerdict(outcome: VerdictInput): BreakerVerdict {
  return outcome.type === 'fault' && outcome.action === 'circuit' ? 'failure' : 'success';
}
