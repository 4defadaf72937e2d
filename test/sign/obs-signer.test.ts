/**
 * obsSigner on single configs: the StringToSign it builds from what axios will
 * send (params, x-obs-* headers, the security token, the learned clock offset),
 * each signature checked against node:crypto over the expected string.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { AxiosHeaders, type InternalAxiosRequestConfig, type RawAxiosHeaders } from 'axios';
import { createHmac } from 'node:crypto';
import { obsSigner, type SignContext } from '../../src/sign/index.js';

const AK = 'AKEXAMPLE';
const SK = 'example/secret+key';
const NOW = Date.UTC(2024, 1, 29, 8, 30, 0);

function context(clockOffsetMs = 0): SignContext {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the type still carries the old alias
  return { requestNumber: 1, attempt: 1, hops: 0, clockOffsetMs };
}

function configOf(url: string, extra: { method?: string; headers?: RawAxiosHeaders; params?: unknown; data?: unknown } = {}): InternalAxiosRequestConfig {
  return { method: extra.method ?? 'get', url, params: extra.params, data: extra.data, headers: new AxiosHeaders(extra.headers) } as InternalAxiosRequestConfig;
}

function expectedAuthorization(stringToSign: string, secret = SK): string {
  return `OBS ${AK}:${createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64')}`;
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('obsSigner', () => {
  it('signs a GET with x-obs-date from the clock offset, on a virtual-hosted bucket', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    const config = await obsSigner({ accessKeyId: AK, secretAccessKey: SK })(configOf('https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg'), context(60_000));
    const date = 'Thu, 29 Feb 2024 08:31:00 GMT';
    expect(config.headers.get('x-obs-date')).toBe(date);
    expect(config.headers.get('Authorization')).toBe(expectedAuthorization(`GET\n\n\n\nx-obs-date:${date}\n/photos/cat.jpg`));
  });

  it('signs params as sub-resources and sends exactly the signed URL', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    const config = await obsSigner({ accessKeyId: AK, secretAccessKey: SK })(
      configOf('http://127.0.0.1:9000/photos/my cat.jpg', { params: { versionId: 'v 1', 'response-content-type': 'text/plain', prefix: 'x' } }),
      context(),
    );
    expect(config.url).toBe('http://127.0.0.1:9000/photos/my%20cat.jpg?versionId=v%201&response-content-type=text%2Fplain&prefix=x');
    expect(config.params).toBeUndefined();
    const date = new Date(NOW).toUTCString();
    expect(config.headers.get('Authorization')).toBe(
      expectedAuthorization(`GET\n\n\n\nx-obs-date:${date}\n/photos/my%20cat.jpg?response-content-type=text/plain&versionId=v 1`),
    );
  });

  it('signs Content-MD5, Content-Type, every x-obs-* header and the security token; replaces Authorization', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    const sign = obsSigner({ accessKeyId: AK, secretAccessKey: SK, securityToken: 'TOKEN/1' });
    const config = configOf('https://photos.obs.test/a.txt', {
      method: 'put',
      data: 'meow',
      headers: { 'Content-Type': 'text/plain', 'Content-MD5': 'I5pU0r4+sgO9Emgl1KMQUg==', 'X-Obs-Meta-Tags': ['a', ' b'], 'x-obs-acl': 'private', Authorization: 'old' },
    });
    const signed = await sign(config, context());
    const date = new Date(NOW).toUTCString();
    expect(signed.headers.get('x-obs-security-token')).toBe('TOKEN/1');
    // The list is sent as the one value that was signed.
    expect(signed.headers.get('X-Obs-Meta-Tags')).toBe('a,b');
    expect(signed.headers.get('Authorization')).toBe(
      expectedAuthorization(
        `PUT\nI5pU0r4+sgO9Emgl1KMQUg==\ntext/plain\n\nx-obs-acl:private\nx-obs-date:${date}\nx-obs-meta-tags:a,b\nx-obs-security-token:TOKEN/1\n/photos/a.txt`,
      ),
    );
  });

  it('signs bucket requests and the service root', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    const sign = obsSigner({ accessKeyId: AK, secretAccessKey: SK });
    const date = new Date(NOW).toUTCString();
    const bucket = await sign(configOf('https://photos.obs.test/', { params: { uploads: '' } }), context());
    expect(bucket.headers.get('Authorization')).toBe(expectedAuthorization(`GET\n\n\n\nx-obs-date:${date}\n/photos/?uploads`));
    const root = await sign(configOf('https://obs.cn-north-4.myhuaweicloud.com/'), context());
    expect(root.headers.get('Authorization')).toBe(expectedAuthorization(`GET\n\n\n\nx-obs-date:${date}\n/`));
  });

  it('signs a user domain as /<domain>/key', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    const config = await obsSigner({ accessKeyId: AK, secretAccessKey: SK, customDomains: ['Files.Example.com'] })(configOf('https://files.example.com/a.txt'), context());
    expect(config.headers.get('Authorization')).toBe(expectedAuthorization(`GET\n\n\n\nx-obs-date:${new Date(NOW).toUTCString()}\n/files.example.com/a.txt`));
  });

  it('drops Content-Type without a body, types a Blob, and refuses FormData', async () => {
    const sign = obsSigner({ accessKeyId: AK, secretAccessKey: SK });
    const bodiless = await sign(configOf('https://photos.obs.test/a', { headers: { 'Content-Type': 'application/json' } }), context());
    expect(bodiless.headers.has('Content-Type')).toBe(false);
    const blob = await sign(configOf('https://photos.obs.test/a', { method: 'put', data: new Blob(['x'], { type: 'image/png' }) }), context());
    expect(blob.headers.get('Content-Type')).toBe('image/png');
    await expect(sign(configOf('https://photos.obs.test/a', { method: 'post', data: new FormData() }), context())).rejects.toThrow(/FormData body cannot be signed/);
  });

  it('refuses missing credentials at once, naming the field but not the value', () => {
    expect(() => obsSigner({ accessKeyId: '', secretAccessKey: SK })).toThrow('obsSigner: "accessKeyId" must be a non-empty string');
    expect(() => obsSigner({ accessKeyId: AK, secretAccessKey: 42 as unknown as string })).toThrow(/"secretAccessKey"/);
    expect(() => obsSigner({ accessKeyId: AK, secretAccessKey: 'sk-value', securityToken: '' })).toThrow(/^((?!sk-value).)*$/);
  });
});
