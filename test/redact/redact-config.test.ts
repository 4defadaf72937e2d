/**
 * redactConfigSnapshot: the log-safe view of a request config keeps what helps
 * debugging (method, host, path, ordinary headers and params) and no credential.
 */
import { describe, expect, it } from '@jest/globals';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { redactConfigSnapshot } from '../../src/redact/redact-config.js';
import { REDACTED } from '../../src/redact/redact-url.js';
import { isSecretHeader, SECRET_HEADERS } from '../../src/redact/secret-headers.js';

const R = REDACTED;

function config(extra: Partial<InternalAxiosRequestConfig>): InternalAxiosRequestConfig {
  return { headers: new AxiosHeaders(), method: 'get', ...extra } as InternalAxiosRequestConfig;
}

describe('redactConfigSnapshot', () => {
  it('redacts secret headers in any case, and the url and baseURL through redactUrl', () => {
    const headers = new AxiosHeaders({
      AUTHORIZATION: 'OBS AK:SECRET-SIG',
      'X-Obs-Security-Token': 'SECRET-TOKEN',
      Cookie: 'session=SECRET-COOKIE',
      'X-OBS-Server-Side-Encryption-Customer-Key': 'SECRET-SSEC-KEY',
      'Content-Type': 'image/jpeg',
      'Content-Length': 5,
    });
    const snapshot = redactConfigSnapshot(
      config({
        headers,
        method: 'put',
        url: '/k.jpg?AccessKeyId=AK&Signature=SECRET-QS#SECRET-FRAGMENT',
        baseURL: 'https://AK:SECRET@PW@photos.obs.example.com',
        timeout: 1000,
      }),
    );
    expect(snapshot).toEqual({
      method: 'put',
      url: `/k.jpg?AccessKeyId=${R}&Signature=${R}`,
      baseURL: 'https://photos.obs.example.com/',
      headers: {
        // AxiosHeaders keeps the caller's spelling of each name.
        AUTHORIZATION: R,
        'X-Obs-Security-Token': R,
        Cookie: R,
        'X-OBS-Server-Side-Encryption-Customer-Key': R,
        'Content-Type': 'image/jpeg',
        'Content-Length': '5',
      },
      timeout: 1000,
    });
    expect(JSON.stringify(snapshot)).not.toMatch(/SECRET/);
  });

  it('redacts secret headers inside plain-object header groups (common, get, …)', () => {
    const headers = { common: { Authorization: 'SECRET-A', Accept: 'application/xml' }, ' proxy-authorization ': 'SECRET-B', 'set-cookie': ['SECRET-C'] };
    const snapshot = redactConfigSnapshot(config({ headers: headers as unknown as AxiosHeaders }));
    expect(snapshot?.headers).toEqual({ common: `{"Authorization":"${R}","Accept":"application/xml"}`, ' proxy-authorization ': R, 'set-cookie': R });
  });

  it('includes params, with secret query names redacted (any case, percent-encoded, nested)', () => {
    const params = {
      prefix: 'photos/',
      'max-keys': 10,
      Signature: 'SECRET-1',
      '%53ignature': 'SECRET-2',
      'x-amz-signature': 'SECRET-3',
      'X-Obs-Security-Token': 'SECRET-4',
      nested: { token: 'SECRET-5', keep: 'yes' },
      skipped: undefined,
    };
    const snapshot = redactConfigSnapshot(config({ url: 'https://h/', params }));
    expect(snapshot?.params).toEqual({
      prefix: 'photos/',
      'max-keys': '10',
      Signature: R,
      '%53ignature': R,
      'x-amz-signature': R,
      'X-Obs-Security-Token': R,
      nested: `{"token":"${R}","keep":"yes"}`,
    });
    expect(JSON.stringify(snapshot)).not.toMatch(/SECRET/);
  });

  it('reads URLSearchParams params, and leaves params out when the config has none', () => {
    const params = new URLSearchParams('uploadId=u1&AccessKeyId=AK-SECRET&policy=SECRET');
    expect(redactConfigSnapshot(config({ params }))?.params).toEqual({ uploadId: 'u1', AccessKeyId: R, policy: R });
    expect(redactConfigSnapshot(config({ url: '/k' }))).not.toHaveProperty('params');
  });

  it('keeps a __proto__ name as plain data', () => {
    const params = JSON.parse('{"__proto__": {"token": "SECRET"}, "a": "1"}') as Record<string, unknown>;
    const snapshot = redactConfigSnapshot(config({ params }));
    expect(Object.getPrototypeOf(snapshot?.params)).toBe(Object.prototype);
    expect(JSON.stringify(snapshot)).not.toMatch(/SECRET/);
    expect(({} as Record<string, unknown>).token).toBeUndefined();
  });

  it('never throws: undefined for no config or a config whose headers throw', () => {
    expect(redactConfigSnapshot(undefined)).toBeUndefined();
    const hostile = {
      toJSON(): never {
        throw new Error('boom');
      },
    };
    expect(redactConfigSnapshot(config({ headers: hostile as unknown as AxiosHeaders }))).toBeUndefined();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => redactConfigSnapshot(config({ params: cyclic }))).not.toThrow();
  });

  it('treats every SECRET_HEADERS name as secret, whatever its case or padding', () => {
    for (const name of SECRET_HEADERS) {
      expect([isSecretHeader(name.toUpperCase()), isSecretHeader(` ${name}\t`)]).toEqual([true, true]);
    }
    expect(isSecretHeader('x-obs-server-side-encryption-customer-key-md5')).toBe(false);
  });
});
