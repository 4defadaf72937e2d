/**
 * Which answers teach the pace: load shedding (SlowDown, ServiceUnavailable,
 * 429 and their stand-ins) and request timeouts (408 RequestTimeout), the
 * answers a server gives when it has more than it can take. Pure.
 */
import type { ObsFault } from '../classify/fault.js';

/** True when `fault` is a throttling answer. */
export function isThrottleSignal(fault: ObsFault): boolean {
  return fault.kind === 'throttled' || fault.code === 'RequestTimeout' || fault.status === 408;
}
