import { describe, expect, it } from '@jest/globals';
import axios, { AxiosError, AxiosHeaders, CanceledError, type InternalAxiosRequestConfig } from 'axios';
import { classifyObsFault, OBS_ERROR_CODES } from '../../src/index.js';
import { CATALOG_RESPONSES, HTML_502, PERMANENT_REDIRECT_WITH_ENDPOINT, REQUEST_ID, SERVER_DATE, obsErrorXml, obsHeaders } from '../fixtures/corpus.js';

const config = { headers: new AxiosHeaders(), url: '/photos/a', method: 'get' } as InternalAxiosRequestConfig;

function responseError(status: number, data: unknown, headers: Record<string, string> = obsHeaders()): AxiosError {
  const response = { status, statusText: '', headers: new AxiosHeaders(headers), data, config };
  return new AxiosError('Request failed', status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE', config, {}, response);
}

function transportError(code: string, message: string): AxiosError {
  return AxiosError.from(Object.assign(new Error(message), { code }), code, config, {});
}

const EXPECTED_KIND: Record<string, string> = {
  SlowDown: 'throttled',
  ServiceUnavailable: 'throttled',
  TooManyRequests: 'throttled',
  RequestTimeout: 'transient',
  PermanentRedirect: 'redirect',
  TemporaryRedirect: 'redirect',
  WebsiteRedirect: 'client',
  InternalError: 'server',
  ServiceNotImplemented: 'server',
  NotImplemented: 'server',
};

describe('classifyObsFault', () => {
  it.each(CATALOG_RESPONSES.map((r) => [r.name, r] as const))('classifies %s by its code', (code, response) => {
    const fault = classifyObsFault(responseError(response.status, response.data, response.headers));
    const entry = OBS_ERROR_CODES.find((row) => row.code === code);
    expect(fault).toMatchObject({ code, status: entry?.status, requestId: REQUEST_ID, kind: EXPECTED_KIND[code] ?? 'client' });
  });

  it('puts the code first and the status second', () => {
    expect(classifyObsFault(responseError(400, obsErrorXml('RequestTimeout')))?.kind).toBe('transient');
    expect(classifyObsFault(responseError(503, obsErrorXml('SlowDown')))).toMatchObject({ code: 'SlowDown', kind: 'throttled' });
    expect(classifyObsFault(responseError(503, obsErrorXml('ServiceUnavailable')))).toMatchObject({ code: 'ServiceUnavailable', kind: 'throttled' });
    expect(classifyObsFault(responseError(301, obsErrorXml('WebsiteRedirect')))?.kind).toBe('client');
    expect(classifyObsFault(responseError(301, obsErrorXml('PermanentRedirect')))?.kind).toBe('redirect');
  });

  it('falls back to stand-in codes when there is no OBS code', () => {
    expect(classifyObsFault(responseError(502, HTML_502, { 'content-type': 'text/html' }))).toMatchObject({ code: 'HTTP_502', kind: 'server' });
    expect(classifyObsFault(responseError(503, ''))).toMatchObject({ code: 'HTTP_503', kind: 'throttled' });
    expect(classifyObsFault(responseError(429, ''))).toMatchObject({ code: 'HTTP_429', kind: 'throttled' });
    expect(classifyObsFault(responseError(408, ''))).toMatchObject({ code: 'HTTP_408', kind: 'transient' });
  });

  it('keeps an unknown OBS code and takes its kind from the status', () => {
    expect(classifyObsFault(responseError(409, obsErrorXml('FsObjectConflict')))).toMatchObject({ code: 'FsObjectConflict', kind: 'client' });
    expect(classifyObsFault(responseError(500, obsErrorXml('SomethingNew')))).toMatchObject({ code: 'SomethingNew', kind: 'server' });
  });

  it('captures Location and <Endpoint> of redirects', () => {
    const withLocation = responseError(307, obsErrorXml('TemporaryRedirect'), obsHeaders({ location: 'https://b.obs.x.myhuaweicloud.com/k' }));
    expect(classifyObsFault(withLocation)).toMatchObject({ kind: 'redirect', location: 'https://b.obs.x.myhuaweicloud.com/k' });
    expect(classifyObsFault(responseError(301, PERMANENT_REDIRECT_WITH_ENDPOINT))).toMatchObject({
      location: undefined,
      endpoint: 'photos.obs.cn-north-4.myhuaweicloud.com',
    });
  });

  it('reads Retry-After in seconds and as an HTTP date against the response Date', () => {
    expect(classifyObsFault(responseError(503, obsErrorXml('SlowDown'), obsHeaders({ 'retry-after': '3' })))?.retryAfterMs).toBe(3000);
    const inTen = new Date(Date.parse(SERVER_DATE) + 10_000).toUTCString();
    expect(classifyObsFault(responseError(503, obsErrorXml('SlowDown'), obsHeaders({ 'retry-after': inTen })))?.retryAfterMs).toBe(10_000);
    expect(classifyObsFault(responseError(503, obsErrorXml('SlowDown'), obsHeaders({ 'retry-after': 'soon' })))?.retryAfterMs).toBeUndefined();
    expect(classifyObsFault(responseError(503, obsErrorXml('SlowDown')))?.serverDateMs).toBe(Date.parse(SERVER_DATE));
  });

  it('treats CopyObject’s 200 with an <Error> body as the error it is', () => {
    const failed = { status: 200, headers: obsHeaders(), data: obsErrorXml('InternalError') };
    expect(classifyObsFault(failed)).toMatchObject({ code: 'InternalError', kind: 'server', status: 200 });
    // CompleteMultipartUpload: whitespace while it worked, then the <Error>, as bytes.
    const late = { status: 200, headers: obsHeaders(), data: Buffer.from(`${' '.repeat(5000)}${obsErrorXml('SlowDown')}`) };
    expect(classifyObsFault(late)).toMatchObject({ code: 'SlowDown', kind: 'throttled', status: 200 });
    const copied = { status: 200, headers: obsHeaders(), data: '<?xml version="1.0"?><CopyObjectResult><ETag>"x"</ETag></CopyObjectResult>' };
    expect(classifyObsFault(copied)).toBeUndefined();
    expect(classifyObsFault({ status: 200, headers: {}, data: 'plain object bytes' })).toBeUndefined();
  });

  it.each([
    ['ECONNRESET', 'socket hang up', 'network', 'NetworkError'],
    ['ECONNRESET', 'read ECONNRESET', 'network', 'NetworkError'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', 'network', 'NetworkError'],
    ['EPIPE', 'write EPIPE', 'network', 'NetworkError'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND x', 'network', 'NetworkError'],
    ['ERR_NETWORK', 'Network Error', 'network', 'NetworkError'],
    ['ECONNABORTED', 'timeout of 100ms exceeded', 'timeout', 'Timeout'],
    ['ETIMEDOUT', 'timeout of 100ms exceeded', 'timeout', 'Timeout'],
    ['ERR_INVALID_URL', 'Invalid URL', 'local', 'ERR_INVALID_URL'],
  ])('classifies a %s transport error (%s) as %s', (code, message, kind, faultCode) => {
    expect(classifyObsFault(transportError(code, message))).toMatchObject({ kind, code: faultCode, status: undefined });
  });

  it("classifies axios's timeout with the caller's timeoutErrorMessage as a Timeout, and XHR's 'Request aborted' as a network failure", () => {
    const custom = { ...config, timeoutErrorMessage: 'OBS took too long' } as typeof config;
    expect(classifyObsFault(new AxiosError('OBS took too long', 'ECONNABORTED', custom))).toMatchObject({ kind: 'timeout', code: 'Timeout' });
    expect(classifyObsFault(new AxiosError('Request aborted', 'ECONNABORTED', config))).toMatchObject({ kind: 'network', code: 'NetworkError' });
  });

  it('never acts on a cancellation', () => {
    const canceled = new CanceledError(undefined, undefined, config);
    expect(axios.isCancel(canceled)).toBe(true);
    expect(classifyObsFault(canceled)?.kind).toBe('canceled');
  });

  it('treats a body reset after a 2xx head as a network failure', () => {
    const response = { status: 200, statusText: 'OK', headers: new AxiosHeaders(), data: undefined, config };
    const aborted = new AxiosError('stream has been aborted', 'ERR_BAD_RESPONSE', config, {}, response);
    expect(classifyObsFault(aborted)).toMatchObject({ kind: 'network', code: 'NetworkError' });
  });

  describe('axios’s own local errors', () => {
    const limited = { ...config, maxContentLength: 100, maxBodyLength: 100 } as InternalAxiosRequestConfig;

    it.each([
      ['a body over maxBodyLength (checked before sending)', new AxiosError('Request body larger than maxBodyLength limit', 'ERR_BAD_REQUEST', limited), 'ERR_BAD_REQUEST'],
      [
        'a stream body over maxBodyLength (http adapter: the request’s error, wrapped)',
        AxiosError.from(new AxiosError('Request body larger than maxBodyLength limit', 'ERR_BAD_REQUEST', limited), undefined, limited, {}),
        'ERR_BAD_REQUEST',
      ],
      ['an answer over maxContentLength', new AxiosError('maxContentLength size of 100 exceeded', 'ERR_BAD_RESPONSE', limited, {}), 'ERR_BAD_RESPONSE'],
      ['an unsupported protocol (http adapter)', new AxiosError('Unsupported protocol ftp:', 'ERR_BAD_REQUEST', config), 'ERR_BAD_REQUEST'],
      ['follow-redirects’ own body limit', transportError('ERR_FR_MAX_BODY_LENGTH_EXCEEDED', 'Request body larger than maxBodyLength limit'), 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED'],
      ['a bad option value', new AxiosError('socketPath must be a string', 'ERR_BAD_OPTION_VALUE', config), 'ERR_BAD_OPTION_VALUE'],
      ['an unsupported feature', new AxiosError('Response type not supported', 'ERR_NOT_SUPPORT', config), 'ERR_NOT_SUPPORT'],
    ])('classifies %s as local', (_name, error, code) => {
      expect(classifyObsFault(error)).toMatchObject({ kind: 'local', code, errorCode: code, status: undefined });
    });

    it('tells an answer over the caller’s limit from a broken answer by shape, not by message', () => {
      // Same code and message, but no limit was set: axios before 1.7 worded a broken stream this way.
      const unlimited = { ...config, maxContentLength: -1 } as InternalAxiosRequestConfig;
      expect(classifyObsFault(new AxiosError('maxContentLength size of -1 exceeded', 'ERR_BAD_RESPONSE', unlimited, {}))?.kind).toBe('network');
      expect(classifyObsFault(new AxiosError('maxContentLength size of 100 exceeded', 'ERR_BAD_RESPONSE', undefined, {}))?.kind).toBe('network');
      // A response that failed validateStatus carries the answer: classified by its code.
      expect(classifyObsFault(responseError(404, obsErrorXml('NoSuchKey')))).toMatchObject({ kind: 'client', code: 'NoSuchKey' });
      // Not an AxiosError: a foreign error with axios's code is not axios's refusal.
      expect(classifyObsFault(Object.assign(new Error('x'), { code: 'ERR_BAD_REQUEST' }))?.kind).not.toBe('local');
    });

    it('treats the fetch adapter’s FormData decoding failure as local, a connection lost under it as network', () => {
      const formdata = { ...config, responseType: 'formData' } as unknown as InternalAxiosRequestConfig;
      const decode = new TypeError('Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".');
      expect(classifyObsFault(AxiosError.from(decode, undefined, formdata, {}))).toMatchObject({ kind: 'local' });
      const terminated = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
      expect(classifyObsFault(AxiosError.from(terminated, undefined, formdata, {}))?.kind).toBe('network');
      // The same TypeError for any other responseType is not a decoding failure of ours to pass through.
      expect(classifyObsFault(AxiosError.from(decode, undefined, config, {}))?.kind).toBe('network');
    });
  });

  it('does not throw on non-errors', () => {
    for (const value of [undefined, null, 'x', 42, {}, [], { status: 'NaN' }]) expect(() => classifyObsFault(value)).not.toThrow();
  });
});
