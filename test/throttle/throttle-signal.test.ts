/**
 * isThrottleSignal over answers as the classifier sees them (OBS error bodies,
 * bare statuses, transport failures): load shedding and request timeouts
 * teach the pace, nothing else does.
 */
import { describe, expect, it } from '@jest/globals';
import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { classifyObsFault } from '../../src/classify/classify.js';
import { makeFault, type ObsFault } from '../../src/classify/fault.js';
import { isThrottleSignal } from '../../src/throttle/throttle-signal.js';
import { OEF_JSON, obsErrorXml, obsHeaders } from '../fixtures/corpus.js';

const config = { headers: new AxiosHeaders(), url: '/photos/a', method: 'get' } as InternalAxiosRequestConfig;

/** An error response: an OBS error body for `code`, or an empty body for a stand-in. */
function answer(status: number, code?: string, data: unknown = code === undefined ? '' : obsErrorXml(code)): ObsFault {
  const response = { status, statusText: '', headers: new AxiosHeaders(obsHeaders()), data, config };
  const fault = classifyObsFault(new AxiosError('Request failed', status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE', config, {}, response));
  if (fault === undefined) throw new Error(`HTTP ${status} classified as a success`);
  return fault;
}

function transport(code: string, message: string): ObsFault {
  const fault = classifyObsFault(AxiosError.from(Object.assign(new Error(message), { code }), code, config, {}));
  if (fault === undefined) throw new Error('transport failure classified as a success');
  return fault;
}

describe('isThrottleSignal', () => {
  it.each<[string, () => ObsFault, string]>([
    ['SlowDown (503)', () => answer(503, 'SlowDown'), 'SlowDown'],
    ['ServiceUnavailable (503)', () => answer(503, 'ServiceUnavailable'), 'ServiceUnavailable'],
    ['TooManyRequests (429)', () => answer(429, 'TooManyRequests'), 'TooManyRequests'],
    ['a bare 503', () => answer(503), 'HTTP_503'],
    ['a bare 429', () => answer(429), 'HTTP_429'],
    ['RequestTimeout (408)', () => answer(408, 'RequestTimeout'), 'RequestTimeout'],
    ['RequestTimeout (400, the S3 variant)', () => answer(400, 'RequestTimeout'), 'RequestTimeout'],
    ['a bare 408', () => answer(408), 'HTTP_408'],
    ['OEF JSON SYS.0011 (429)', () => answer(429, undefined, OEF_JSON), 'SYS.0011'],
  ])('%s is a throttling answer', (_name, fault, code) => {
    const classified = fault();
    expect(classified.code).toBe(code);
    expect(isThrottleSignal(classified)).toBe(true);
  });

  it.each<[string, () => ObsFault, string]>([
    ['InternalError (500)', () => answer(500, 'InternalError'), 'InternalError'],
    ['a bare 500', () => answer(500), 'HTTP_500'],
    ['a bare 502', () => answer(502), 'HTTP_502'],
    ['NoSuchKey (404)', () => answer(404, 'NoSuchKey'), 'NoSuchKey'],
    ['IncompleteBody (400)', () => answer(400, 'IncompleteBody'), 'IncompleteBody'],
    ['AccessDenied (403)', () => answer(403, 'AccessDenied'), 'AccessDenied'],
    ['a bare 400', () => answer(400), 'HTTP_400'],
    ['a connection reset', () => transport('ECONNRESET', 'socket hang up'), 'NetworkError'],
    ['an axios timeout', () => transport('ECONNABORTED', 'timeout of 300ms exceeded'), 'Timeout'],
    ['ETIMEDOUT', () => transport('ETIMEDOUT', 'connect ETIMEDOUT'), 'Timeout'],
  ])('%s is not a throttling answer', (_name, fault, code) => {
    const classified = fault();
    expect(classified.code).toBe(code);
    expect(isThrottleSignal(classified)).toBe(false);
  });

  it('reads the kind, the RequestTimeout code and the 408 status, whichever is there', () => {
    expect(isThrottleSignal(makeFault('throttled', 'SomethingNew', { status: 503 }))).toBe(true);
    expect(isThrottleSignal(makeFault('transient', 'RequestTimeout', { status: 400 }))).toBe(true);
    expect(isThrottleSignal(makeFault('client', 'Custom408', { status: 408 }))).toBe(true);
    expect(isThrottleSignal(makeFault('server', 'InternalError', { status: 500 }))).toBe(false);
    expect(isThrottleSignal(makeFault('network', 'NetworkError'))).toBe(false);
    expect(isThrottleSignal(makeFault('timeout', 'Timeout'))).toBe(false);
  });
});
