/**
 * hideSecretsInChain and print copies, on hand-made cause chains: an axios error
 * holding a signed config, a request object with its raw header block and a
 * response; a frozen error; a cycle; an own getter. No secret is reachable or
 * printable, and the live objects stay readable.
 */
import { describe, expect, it } from '@jest/globals';
import axios, { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import util from 'node:util';
import { hideSecretsInChain } from '../../src/redact/hide-secrets.js';
import { reachableStrings } from '../support/reachable-strings.js';

const SECRET = 'SECRETVALUE0123';

/** Like a ClientRequest: the raw header block in a string field, a socket-ish object, a header getter. */
class FakeRequest {
  readonly method = 'GET';
  readonly path = `/photos/a.jpg?X-Obs-Signature=${SECRET}-q`;
  readonly host = 'photos.obs.example.com';
  readonly protocol = 'https:';
  readonly _header = `GET ${this.path} HTTP/1.1\r\nAuthorization: OBS AK:${SECRET}-h\r\n\r\n`;
  readonly socket = { remoteAddress: '127.0.0.1', parser: { outgoing: this } };
  getHeader(name: string): string | undefined {
    return name === 'host' ? 'photos.obs.example.com:443' : undefined;
  }
}

function signedConfig(): InternalAxiosRequestConfig {
  return {
    method: 'get',
    url: `https://user:${SECRET}-pw@photos.obs.example.com/a.jpg?AccessKeyId=AK&sessionToken=${SECRET}-st`,
    headers: new AxiosHeaders({ Authorization: `OBS AK:${SECRET}-auth`, 'x-obs-security-token': `${SECRET}-tok`, Accept: '*/*' }),
    auth: { username: 'user', password: `${SECRET}-basic` },
  };
}

function axiosChain(message = 'read ECONNRESET'): { error: AxiosError; config: InternalAxiosRequestConfig; request: FakeRequest } {
  const config = signedConfig();
  const request = new FakeRequest();
  const response = { status: 403, statusText: 'Forbidden', headers: { 'set-cookie': `sid=${SECRET}-cookie`, location: `https://h/k?X-Amz-Signature=${SECRET}-loc`, 'x-obs-request-id': 'rid' }, data: '', config, request };
  const system = Object.assign(new Error(message), { code: 'ECONNRESET' });
  const error = AxiosError.from(system, 'ECONNRESET', config, request, response as never);
  return { error, config, request };
}

function printed(value: unknown): string[] {
  return [
    util.inspect(value),
    util.inspect(value, { showHidden: true, depth: Infinity }),
    util.inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    util.format('%o', value),
    JSON.stringify(value),
    String((value as { stack?: unknown }).stack),
    reachableStrings(value).join('\n'),
  ];
}

describe('hideSecretsInChain', () => {
  it('leaves no secret reachable or printable, and the live objects readable', () => {
    const { error, config, request } = axiosChain();
    expect(hideSecretsInChain(error)).toBe(error);
    for (const text of printed(error)) expect(text).not.toContain(SECRET);
    expect([error.config, error.request, error.response?.config]).toEqual([config, request, config]);
    expect([error instanceof AxiosError, axios.isAxiosError(error), error.code]).toEqual([true, true, 'ECONNRESET']);
    const shown = util.inspect(error, { showHidden: true, depth: Infinity });
    expect(shown).toContain('X-Obs-Signature=[REDACTED]');
    expect(shown).toContain("'x-obs-request-id': 'rid'");
    expect(shown).toContain("type: 'FakeRequest'");
  });

  it('keeps fields assigned later off the walks too', () => {
    const { error } = axiosChain();
    hideSecretsInChain(error);
    error.config = signedConfig();
    expect(error.config.auth?.password).toBe(`${SECRET}-basic`);
    for (const text of printed(error)) expect(text).not.toContain(SECRET);
  });

  it('moves own getters off the object, still answering for it', () => {
    const error = new Error('x');
    Object.defineProperty(error, 'token', { get: () => `${SECRET}-getter`, enumerable: true, configurable: true });
    hideSecretsInChain(error);
    expect((error as Error & { token?: string }).token).toBe(`${SECRET}-getter`);
    for (const text of printed(error)) expect(text).not.toContain(SECRET);
  });

  it('replaces a frozen error of the chain with its print copy', () => {
    const { error: inner } = axiosChain();
    Object.freeze(inner);
    const outer = new Error('outer', { cause: inner });
    expect(hideSecretsInChain(outer)).toBe(outer);
    expect(outer.cause).not.toBe(inner);
    for (const text of printed(outer)) expect(text).not.toContain(SECRET);
    expect(hideSecretsInChain(inner)).not.toBe(inner);
  });

  it('replaces an error whose fixed text quotes a credential with its print copy', () => {
    // AxiosError.from keeps the cause's stack in a non-configurable field: it cannot be redacted in place.
    const { error } = axiosChain(`connect to https://h/k?Signature=${SECRET}-msg failed`);
    const safe = hideSecretsInChain(error);
    expect(safe).not.toBe(error);
    for (const text of printed(safe)) expect(text).not.toContain(SECRET);
    expect(util.inspect(safe)).toContain('Signature=[REDACTED]');
  });

  it('ends on a cyclic chain', () => {
    const a = new Error('a');
    const b = new Error(`b Signature=${SECRET}`, { cause: a });
    Object.defineProperty(a, 'cause', { value: b, configurable: true, writable: true });
    expect(hideSecretsInChain(a)).toBe(a);
    for (const text of printed(a)) expect(text).not.toContain(SECRET);
  });

  it('redacts text causes and keeps other primitives', () => {
    expect(hideSecretsInChain(`failed: Signature=${SECRET}`)).toBe('failed: Signature=[REDACTED]');
    expect([hideSecretsInChain(undefined), hideSecretsInChain(42)]).toEqual([undefined, 42]);
  });
});
