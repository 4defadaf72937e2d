import { describe, expect, it } from '@jest/globals';
import { resolvePolicy, RETRY_DEFAULTS } from '../../src/policy/resolve-policy.js';

describe('resolvePolicy precedence', () => {
  it('uses the default table and the package knob defaults', () => {
    expect(resolvePolicy('SlowDown', 503, {})).toEqual({ ...RETRY_DEFAULTS, action: 'retry', matchedKey: 'SlowDown' });
  });

  it('falls back from an unknown code to HTTP_<status>, then HTTP_<class>xx', () => {
    expect(resolvePolicy('SomethingNew', 503, {}).matchedKey).toBe('HTTP_503');
    expect(resolvePolicy('SomethingNew', 502, {})).toMatchObject({ action: 'circuit', matchedKey: 'HTTP_5xx' });
    expect(resolvePolicy('SomethingNew', 418, {})).toMatchObject({ action: 'fail', matchedKey: 'HTTP_4xx' });
    expect(resolvePolicy('HTTP_302', 302, {})).toMatchObject({ action: 'redirect', matchedKey: 'HTTP_3xx' });
  });

  it('orders knobs: request policies > request retry > handle policies > handle retry > defaults', () => {
    const handle = { retry: { retries: 5, minDelayMs: 10 }, policies: { SlowDown: { action: 'retry' as const, retries: 7 } } };
    expect(resolvePolicy('SlowDown', 503, handle)).toMatchObject({ retries: 7, minDelayMs: 10 });
    expect(resolvePolicy('SlowDown', 503, handle, { retry: { retries: 1 } })).toMatchObject({ retries: 1, minDelayMs: 10 });
    expect(
      resolvePolicy('SlowDown', 503, handle, { retry: { retries: 1 }, policies: { SlowDown: { action: 'fail', retries: 2 } } }),
    ).toMatchObject({ action: 'fail', retries: 2 });
  });

  it('lets a user override a code and a class fallback', () => {
    expect(resolvePolicy('NoSuchKey', 404, { policies: { NoSuchKey: 'retry' } }).action).toBe('retry');
    expect(resolvePolicy('Weird', 502, { policies: { HTTP_5xx: 'fail' } }).action).toBe('fail');
  });
});
