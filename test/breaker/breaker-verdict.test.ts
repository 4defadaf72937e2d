/**
 * breakerVerdict from a table: only `circuit` outcomes fail, only 2xx/3xx
 * answers succeed, everything else leaves the breaker's statistics alone.
 */
import { describe, expect, it } from '@jest/globals';
import { breakerVerdict, type BreakerVerdict, type VerdictInput } from '../../src/breaker/breaker-verdict.js';

describe('breakerVerdict', () => {
  it.each<[string, VerdictInput, BreakerVerdict]>([
    // Successes: answers the endpoint gave.
    ['a 200', { type: 'success', status: 200 }, 'success'],
    ['a 204', { type: 'success', status: 204 }, 'success'],
    ['a 206', { type: 'success', status: 206 }, 'success'],
    ['a 304 (not modified)', { type: 'success', status: 304 }, 'success'],
    ['a 302 accepted by maxRedirects: 0', { type: 'success', status: 302 }, 'success'],
    ['a 399', { type: 'success', status: 399 }, 'success'],
    // Answers validateStatus accepted but the endpoint did not serve.
    ['a 404 accepted by validateStatus', { type: 'success', status: 404 }, 'neither'],
    ['a 400 accepted by validateStatus', { type: 'success', status: 400 }, 'neither'],
    ['a 500 accepted by validateStatus', { type: 'success', status: 500 }, 'neither'],
    ['a 199', { type: 'success', status: 199 }, 'neither'],
    // Outcomes the policies do not act on (cancellations, local refusals).
    ['a passthrough', { type: 'passthrough' }, 'neither'],
    // Faults: only the circuit action fails the endpoint.
    ['circuit, 500 (InternalError)', { type: 'fault', action: 'circuit', status: 500 }, 'failure'],
    ['circuit, 502', { type: 'fault', action: 'circuit', status: 502 }, 'failure'],
    ['circuit, no status (network error, timeout)', { type: 'fault', action: 'circuit', status: undefined }, 'failure'],
    ['circuit, 200 (a copy that failed in its body)', { type: 'fault', action: 'circuit', status: 200 }, 'failure'],
    ['retry, 503 (SlowDown)', { type: 'fault', action: 'retry', status: 503 }, 'neither'],
    ['retry, 429', { type: 'fault', action: 'retry', status: 429 }, 'neither'],
    ['retry, 408 (RequestTimeout)', { type: 'fault', action: 'retry', status: 408 }, 'neither'],
    ['retry, 500 (InternalError overridden to retry)', { type: 'fault', action: 'retry', status: 500 }, 'neither'],
    ['retry, no status (NetworkError overridden to retry)', { type: 'fault', action: 'retry', status: undefined }, 'neither'],
    ['retry, 200 (an error body on a 2xx, retried)', { type: 'fault', action: 'retry', status: 200 }, 'success'],
    ['redirect, 301', { type: 'fault', action: 'redirect', status: 301 }, 'success'],
    ['redirect, 307', { type: 'fault', action: 'redirect', status: 307 }, 'success'],
    ['fail, 301 (WebsiteRedirect)', { type: 'fault', action: 'fail', status: 301 }, 'success'],
    ['fail, 404 (NoSuchKey)', { type: 'fault', action: 'fail', status: 404 }, 'neither'],
    ['fail, 403 (AccessDenied)', { type: 'fault', action: 'fail', status: 403 }, 'neither'],
    ['fail, 400', { type: 'fault', action: 'fail', status: 400 }, 'neither'],
    ['fail, 500 (InternalError overridden to fail)', { type: 'fault', action: 'fail', status: 500 }, 'neither'],
    ['fail, no status', { type: 'fault', action: 'fail', status: undefined }, 'neither'],
  ])('%s → %s', (_name, outcome, verdict) => {
    expect(breakerVerdict(outcome)).toBe(verdict);
  });
});
