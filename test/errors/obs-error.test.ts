import { describe, expect, it } from '@jest/globals';
import axios, { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import util, { inspect } from 'node:util';
import { makeFault } from '../../src/classify/fault.js';
import { CircuitOpenError, classifyObsFault, isObsError, ObsError, OBS_ERROR_CODES } from '../../src/index.js';
import { HOST_ID, ID_2, obsErrorXml, obsHeaders, REQUEST_ID } from '../fixtures/corpus.js';
import { reachableStrings } from '../support/reachable-strings.js';

function configWithSecrets(): InternalAxiosRequestConfig {
  const headers = new AxiosHeaders({ Authorization: 'OBS AK:SECRET-SIG', 'x-obs-security-token': 'SECRET-TOKEN', Cookie: 'session=SECRET-COOKIE' });
  return { headers, method: 'get', url: 'https://photos.obs.x.myhuaweicloud.com/k.jpg?AccessKeyId=AK&Signature=SECRET-QS&X-Amz-Signature=SECRET-V4' };
}

function noSuchKey(): ObsError {
  const fault = classifyObsFault({ status: 404, headers: obsHeaders(), data: obsErrorXml('NoSuchKey', 'The specified key does not exist.') });
  if (fault === undefined) throw new Error('expected a fault');
  return new ObsError({ fault, action: 'fail', attempts: 1, config: configWithSecrets() });
}

describe('ObsError', () => {
  it('is an AxiosError that axios recognises', () => {
    const error = noSuchKey();
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.name).toBe('ObsError');
    expect(error.code).toBe('ERR_BAD_REQUEST');
  });

  it('carries the OBS identity, the catalog hint, the action and attempts', () => {
    const error = noSuchKey();
    expect({
      obsCode: error.obsCode,
      status: error.status,
      requestId: error.requestId,
      obsMessage: error.obsMessage,
      action: error.action,
      attempts: error.attempts,
      kind: error.kind,
    }).toEqual({ obsCode: 'NoSuchKey', status: 404, requestId: REQUEST_ID, obsMessage: 'The specified key does not exist.', action: 'fail', attempts: 1, kind: 'client' });
    // hostId is the body's <HostId>; id2 the x-obs-id-2 header (they differ on OBS).
    expect([error.hostId, error.id2]).toEqual([HOST_ID, ID_2]);
    expect(error.hint).toBe(OBS_ERROR_CODES.find((row) => row.code === 'NoSuchKey')?.solution);
  });

  it('reads like OBS NoSuchKey (404): message, method, path and request id, without the query', () => {
    expect(noSuchKey().message).toBe(`OBS NoSuchKey (404): The specified key does not exist. GET photos.obs.x.myhuaweicloud.com/k.jpg [request ${REQUEST_ID}]`);
  });

  it('redacts every credential in toJSON, JSON.stringify and inspect', () => {
    const error = noSuchKey();
    for (const text of [JSON.stringify(error), JSON.stringify(error.toJSON()), inspect(error, { depth: 5 }), inspect(error, { showHidden: true }), error.message, String(error.stack)]) {
      expect(text).not.toMatch(/SECRET/);
    }
    expect(JSON.stringify(error)).toContain('[REDACTED]');
  });

  it('holds no live object in an own property: hidden properties, getters and %o print redacted snapshots', () => {
    const config = configWithSecrets();
    const response = { status: 403, statusText: 'Forbidden', headers: { 'set-cookie': 'sid=SECRET-SET-COOKIE', 'x-obs-request-id': 'rid' }, data: 'SECRET-BODY', config, request: {} };
    const cause = AxiosError.from(new Error('Request failed with status code 403'), 'ERR_BAD_REQUEST', config, { path: '/k?Signature=SECRET-R' }, response as never);
    const fault = makeFault('client', 'AccessDenied', { status: 403 });
    const error = new ObsError({ fault, action: 'fail', attempts: 1, config, request: response.request, response: response as never, cause });
    for (const text of [
      inspect(error, { showHidden: true, depth: Infinity }),
      inspect(error, { showHidden: true, depth: Infinity, getters: true }),
      util.format('%o', error),
      JSON.stringify(error),
      reachableStrings(error).join('\n'),
    ]) {
      expect(text).not.toMatch(/SECRET/);
    }
    expect(Object.getOwnPropertyNames(error)).not.toEqual(expect.arrayContaining(['config']));
    expect([error.config, error.response?.data, error.cause]).toEqual([config, 'SECRET-BODY', cause]);
    expect((error.cause as AxiosError).config).toBe(config);
    const shown = inspect(error, { showHidden: true });
    expect(shown).toMatch(/^ObsError: OBS AccessDenied \(403\)/);
    expect(shown).toContain("'set-cookie': '[REDACTED]'");
    expect(shown).toContain('Signature=[REDACTED]');
  });

  it('escapes control characters of server text in the message, the stack and every field', () => {
    const fault = makeFault('client', 'Evil\u001b[31m', { status: 403, message: 'Denied.\nFORGED line\u2028', requestId: 'r\u0000', hostId: 'h\u009b2J', id2: 'i\r' });
    const error = new ObsError({ fault, action: 'fail', attempts: 1, config: configWithSecrets(), reason: 'policy: fail\n' });
    expect(error.message).toBe('OBS Evil\\x1b[31m (403): Denied.\\nFORGED line\\u2028 GET photos.obs.x.myhuaweicloud.com/k.jpg [request r\\x00] (policy: fail\\n)');
    expect(String(error.stack).split('\n')[0]).toBe(`ObsError: ${error.message}`);
    expect([error.obsCode, error.obsMessage, error.requestId, error.hostId, error.id2, error.reason]).toEqual([
      'Evil\\x1b[31m',
      'Denied.\\nFORGED line\\u2028',
      'r\\x00',
      'h\\x9b2J',
      'i\\r',
      'policy: fail\\n',
    ]);
  });

  it('carries method, endpoint, bucket, key and the x-reserved-indicator header, in toJSON and every printed form', () => {
    const fault = makeFault('client', 'AccessDenied', { status: 403 });
    const response = { status: 403, statusText: '', data: '', headers: new AxiosHeaders({ 'X-Reserved-Indicator': 'Unauthorized' }), config: configWithSecrets() };
    const config = { ...configWithSecrets(), method: 'put' };
    const error = new ObsError({ fault, action: 'fail', attempts: 1, config, response, url: 'https://obs.x.myhuaweicloud.com/photos/a%20b/c.jpg?Signature=SECRET-QS' });
    const identity = { method: 'PUT', endpoint: 'https://obs.x.myhuaweicloud.com', bucket: 'photos', key: 'a b/c.jpg', indicator: 'Unauthorized' };
    expect({ method: error.method, endpoint: error.endpoint, bucket: error.bucket, key: error.key, indicator: error.indicator }).toEqual(identity);
    expect(error.toJSON()).toMatchObject(identity);
    const printed = inspect(error, { showHidden: true, depth: Infinity });
    for (const [field, value] of Object.entries(identity)) expect(printed).toContain(`${field}: '${value}'`);
    for (const text of [JSON.stringify(error), printed, reachableStrings(error).join('\n')]) expect(text).not.toMatch(/SECRET/);
  });

  it('reads the identity off the config when no URL is given, and leaves what cannot be known undefined', () => {
    const fromConfig = noSuchKey();
    expect([fromConfig.method, fromConfig.endpoint, fromConfig.bucket, fromConfig.key, fromConfig.indicator]).toEqual([
      'GET',
      'https://photos.obs.x.myhuaweicloud.com',
      'photos',
      'k.jpg',
      undefined,
    ]);
    const based = new ObsError({ fault: makeFault('network', 'NetworkError'), action: 'retry', attempts: 1, config: { headers: new AxiosHeaders(), baseURL: 'http://127.0.0.1:9000', url: '/photos/' } });
    expect([based.endpoint, based.bucket, based.key]).toEqual(['http://127.0.0.1:9000', 'photos', undefined]);
    const relative = new ObsError({ fault: makeFault('network', 'NetworkError'), action: 'retry', attempts: 1, config: { headers: new AxiosHeaders(), url: '/photos/a' } });
    expect([relative.method, relative.endpoint, relative.bucket, relative.key]).toEqual(['GET', undefined, undefined, undefined]);
    const bare = new ObsError({ fault: makeFault('network', 'NetworkError'), action: 'retry', attempts: 1 });
    expect([bare.endpoint, bare.bucket, bare.key, bare.indicator]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('escapes control characters of the key and the x-reserved-indicator header; a throwing header source reads as absent', () => {
    const fault = makeFault('client', 'AccessDenied', { status: 403 });
    const response = { status: 403, statusText: '', data: '', headers: { 'x-reserved-indicator': 'Un\u001b[31mauth\nFORGED' }, config: configWithSecrets() };
    const error = new ObsError({ fault, action: 'fail', attempts: 1, response, url: 'http://127.0.0.1:9000/photos/a%0Ab%1B' });
    expect([error.key, error.indicator]).toEqual(['a\\nb\\x1b', 'Un\\x1b[31mauth\\nFORGED']);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile');
        },
        ownKeys() {
          throw new Error('hostile');
        },
      },
    );
    const quiet = new ObsError({ fault, action: 'fail', attempts: 1, response: { ...response, headers: hostile } });
    expect(quiet.indicator).toBeUndefined();
  });

  it('isObsError is a brand check that works across package copies', () => {
    const foreign = Object.assign(new Error('x'), { isObsError: true, obsCode: 'SlowDown' });
    const branded = Object.defineProperty(new Error('y'), Symbol.for('obs-axios-policies.ObsError'), { value: true });
    expect([isObsError(noSuchKey()), isObsError(foreign), isObsError(branded)]).toEqual([true, true, true]);
    expect([isObsError(new AxiosError('plain')), isObsError(null), isObsError('ObsError'), isObsError({ obsCode: 1, isObsError: true })]).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('CircuitOpenError', () => {
  it('is an ObsError for a call an open breaker refused', () => {
    const error = new CircuitOpenError('https://photos.obs.x.myhuaweicloud.com');
    expect([error instanceof ObsError, isObsError(error), axios.isAxiosError(error)]).toEqual([true, true, true]);
    expect([error.obsCode, error.action, error.attempts, error.endpoint, error.name]).toEqual([
      'CircuitOpen',
      'circuit',
      0,
      'https://photos.obs.x.myhuaweicloud.com',
      'CircuitOpenError',
    ]);
  });

  it('names the breaker endpoint, and the method, bucket and key of the refused call', () => {
    const config = { headers: new AxiosHeaders(), method: 'delete' };
    const error = new CircuitOpenError('https://photos.obs.x.myhuaweicloud.com', config, 'https://photos.obs.x.myhuaweicloud.com/a/b.jpg?Signature=SECRET');
    expect([error.method, error.endpoint, error.bucket, error.key, error.indicator]).toEqual([
      'DELETE',
      'https://photos.obs.x.myhuaweicloud.com',
      'photos',
      'a/b.jpg',
      undefined,
    ]);
    expect(error.toJSON()).toMatchObject({ method: 'DELETE', endpoint: 'https://photos.obs.x.myhuaweicloud.com', bucket: 'photos', key: 'a/b.jpg' });
  });
});
