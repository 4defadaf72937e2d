/**
 * sigV4Signer against the worked examples of the AWS S3 API reference
 * ("Signature Calculations for the Authorization Header: Transferring Payload
 * in a Single Chunk"): GET Object with a Range, GET Bucket lifecycle and GET
 * Bucket (List Objects), signed on 24 May 2013 in us-east-1 with the published
 * example key. The date comes from Date.now() + the handle's clock offset.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { AxiosHeaders, type InternalAxiosRequestConfig, type RawAxiosHeaders } from 'axios';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sigV4Signer, type SignContext } from '../../src/sign/index.js';

const EXAMPLE = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' };
const EXAMPLE_TIME = Date.UTC(2013, 4, 24);
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function context(clockOffsetMs = 0): SignContext {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the type still carries the old alias
  return { requestNumber: 1, attempt: 1, hops: 0, clockOffsetMs };
}

function configOf(url: string, extra: { method?: string; headers?: RawAxiosHeaders; params?: unknown; data?: unknown } = {}): InternalAxiosRequestConfig {
  return { method: extra.method ?? 'get', url, params: extra.params, data: extra.data, headers: new AxiosHeaders(extra.headers) } as InternalAxiosRequestConfig;
}

/** The local clock is 2 hours behind; the handle learned it, so the signature is dated at the example time. */
function atExampleTime(): SignContext {
  const localNow = EXAMPLE_TIME - 2 * 3_600_000;
  jest.spyOn(Date, 'now').mockReturnValue(localNow);
  return context(EXAMPLE_TIME - localNow);
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('sigV4Signer: the published S3 examples', () => {
  const sign = sigV4Signer(EXAMPLE);

  it('GET Object with Range', async () => {
    const config = await sign(configOf('https://examplebucket.s3.amazonaws.com/test.txt', { headers: { Range: 'bytes=0-9' } }), atExampleTime());
    expect(config.headers.get('Authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(config.headers.get('x-amz-date')).toBe('20130524T000000Z');
    expect(config.headers.get('x-amz-content-sha256')).toBe(EMPTY_SHA256);
  });

  it('GET Bucket lifecycle, the sub-resource given as params', async () => {
    const config = await sign(configOf('https://examplebucket.s3.amazonaws.com/', { params: { lifecycle: '' } }), atExampleTime());
    expect(String(config.headers.get('Authorization'))).toMatch(/Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543$/);
    expect(config.url).toBe('https://examplebucket.s3.amazonaws.com/?lifecycle=');
    expect(config.params).toBeUndefined();
  });

  it('GET Bucket (List Objects), params serialized into the signed URL', async () => {
    const config = await sign(configOf('https://examplebucket.s3.amazonaws.com/', { params: { 'max-keys': 2, prefix: 'J' } }), atExampleTime());
    expect(String(config.headers.get('Authorization'))).toMatch(/Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/);
    expect(config.url).toBe('https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J');
  });
});

describe('sigV4Signer: what it signs and sets', () => {
  it('signs the session token, replaces any Authorization and drops axios auth', async () => {
    const sign = sigV4Signer({ ...EXAMPLE, sessionToken: 'TOKEN-1' });
    const config = configOf('https://photos.obs.test/a', { headers: { Authorization: 'Bearer old', 'x-obs-meta-owner': 'tom', Accept: 'application/json' } });
    config.auth = { username: 'u', password: 'p' };
    const signed = await sign(config, context());
    expect(signed.headers.get('x-amz-security-token')).toBe('TOKEN-1');
    expect(String(signed.headers.get('Authorization'))).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-obs-meta-owner, Signature=[0-9a-f]{64}$/);
    expect(signed.auth).toBeUndefined();
  });

  it('hashes byte bodies, sends strings as UTF-8 bytes, and leaves streams unsigned', async () => {
    const sign = sigV4Signer(EXAMPLE);
    const text = 'Welcome to Amazon S3. ✓';
    const fromString = await sign(configOf('https://b.obs.test/k', { method: 'put', data: text }), context());
    expect(fromString.headers.get('x-amz-content-sha256')).toBe(createHash('sha256').update(text).digest('hex'));
    expect(fromString.data).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(fromString.data as ArrayBuffer).toString()).toBe(text);
    const fromBuffer = await sign(configOf('https://b.obs.test/k', { method: 'put', data: Buffer.from('abc') }), context());
    expect(fromBuffer.headers.get('x-amz-content-sha256')).toBe(createHash('sha256').update('abc').digest('hex'));
    const fromStream = await sign(configOf('https://b.obs.test/k', { method: 'put', data: Readable.from(['abc']) }), context());
    expect(fromStream.headers.get('x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD');
    const given = await sign(configOf('https://b.obs.test/k', { method: 'put', data: 'x', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }), context());
    expect(given.headers.get('x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD');
  });

  it('dates each signature with the clock offset it is given', async () => {
    const sign = sigV4Signer(EXAMPLE);
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1, 12, 0, 0));
    const config = await sign(configOf('https://b.obs.test/k'), context(-90_000));
    expect(config.headers.get('x-amz-date')).toBe('20300101T115830Z');
  });

  it('refuses missing credentials or region at once, naming the field but not the value', () => {
    expect(() => sigV4Signer({ ...EXAMPLE, region: '' })).toThrow('sigV4Signer: "region" must be a non-empty string');
    expect(() => sigV4Signer({ ...EXAMPLE, secretAccessKey: undefined })).toThrow(/"secretAccessKey"/);
    expect(() => sigV4Signer({ ...EXAMPLE, sessionToken: ' ' })).toThrow(/"sessionToken"/);
  });
});
