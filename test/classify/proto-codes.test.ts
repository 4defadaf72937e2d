/**
 * Codes named like members of `Object.prototype` (`constructor`, `__proto__`,
 * `toString`, …) are unknown codes like any other: every lookup by a string a
 * server sent finds only real entries. A 503 with such a code is classified,
 * judged and paced like a 503 with a code nobody knows; a 404 with one fails
 * fast like any unknown 4xx. The user's policy tables (handle and per call)
 * are read by their own keys only.
 */
import { describe, expect, it } from '@jest/globals';
import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { classifyObsFault } from '../../src/index.js';
import { KIND_BY_CODE } from '../../src/classify/kinds.js';
import { DEFAULT_POLICIES } from '../../src/policy/default-policies.js';
import { resolvePolicy } from '../../src/policy/resolve-policy.js';
import { isThrottleSignal } from '../../src/throttle/throttle-signal.js';

/** Every name `Object.prototype` answers to, plus `__proto__` (an accessor there, named here explicitly). */
const PROTO_NAMES: readonly string[] = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

/** A code no table knows, for comparison. */
const UNKNOWN = 'NoSuchThingAnywhere';

const config = { headers: new AxiosHeaders(), url: '/photos/a', method: 'get' } as InternalAxiosRequestConfig;

/** The three ways OBS carries a code: an XML body, an OEF JSON body, a bodiless answer's header. */
const CARRIERS: readonly [string, (code: string) => { data: string; headers: Record<string, string> }][] = [
  ['XML body', (code) => ({ data: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message><RequestId>R1</RequestId></Error>`, headers: { 'content-type': 'application/xml' } })],
  ['OEF JSON body', (code) => ({ data: JSON.stringify({ code, message: 'm', request_id: 'R1' }), headers: { 'content-type': 'application/json' } })],
  ['x-obs-error-code header', (code) => ({ data: '', headers: { 'x-obs-error-code': code } })],
];

/** An axios error for an answer of `status` carrying `code` as `carrier` does. */
function answer(status: number, code: string, carrier: (code: string) => { data: string; headers: Record<string, string> }): AxiosError {
  const { data, headers } = carrier(code);
  const response = { status, statusText: '', headers: new AxiosHeaders(headers), data, config };
  return new AxiosError('Request failed', status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE', config, {}, response);
}

describe('codes named like Object.prototype members', () => {
  it('covers the names the issue lists', () => {
    expect(PROTO_NAMES).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']));
  });

  describe.each(CARRIERS)('carried in the %s', (_carrier, carrier) => {
    it.each(PROTO_NAMES)('a 503 with the code %s is classified like an unknown 503', (name) => {
      const fault = classifyObsFault(answer(503, name, carrier));
      const unknown = classifyObsFault(answer(503, UNKNOWN, carrier));
      expect(typeof fault?.kind).toBe('string');
      expect(fault).toMatchObject({ code: name, status: 503, kind: unknown?.kind });
      expect(fault?.kind).toBe('throttled');
      if (fault === undefined) throw new Error('unreachable: a 503 is a fault');
      expect(isThrottleSignal(fault)).toBe(true);
    });

    it.each(PROTO_NAMES)('a 404 with the code %s is classified like an unknown 404', (name) => {
      const fault = classifyObsFault(answer(404, name, carrier));
      expect(fault).toMatchObject({ code: name, status: 404, kind: 'client' });
    });
  });

  it.each(PROTO_NAMES)('the code %s has no kind of its own and no entry in DEFAULT_POLICIES', (name) => {
    expect(KIND_BY_CODE[name]).toBeUndefined();
    expect(Object.hasOwn(DEFAULT_POLICIES, name)).toBe(false);
  });

  it.each(PROTO_NAMES)('the code %s resolves through the HTTP_ fallbacks: a 503 retries, a 404 fails fast', (name) => {
    const retried = resolvePolicy(UNKNOWN, 503, {});
    expect(resolvePolicy(name, 503, {})).toEqual({ ...retried, matchedKey: 'HTTP_503' });
    expect(retried).toMatchObject({ action: 'retry', matchedKey: 'HTTP_503' });
    expect(resolvePolicy(name, 404, {})).toMatchObject({ action: 'fail', matchedKey: 'HTTP_4xx' });
  });

  it.each(PROTO_NAMES)("the user's tables are read by their own keys only (code %s)", (name) => {
    // Tables that do not name the code: inherited members are never entries.
    const inherited = resolvePolicy(name, 503, { policies: {}, retry: {} }, { policies: {} });
    expect(inherited).toMatchObject({ action: 'retry', matchedKey: 'HTTP_503' });
    // Tables that name it as an own key (JSON.parse makes even `__proto__` an own key): they win.
    const own = (action: string): Record<string, never> => JSON.parse(`{${JSON.stringify(name)}: {"action": "${action}", "retries": 7}}`) as Record<string, never>;
    expect(resolvePolicy(name, 503, { policies: own('fail') })).toMatchObject({ action: 'fail', matchedKey: name });
    expect(resolvePolicy(name, 503, { policies: own('fail') }, { policies: own('circuit') })).toMatchObject({ action: 'circuit', matchedKey: name, retries: 7 });
  });
});
