/**
 * The local OBS server checks signatures when given credentials, and answers
 * like OBS: AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch (with the
 * StringToSign it computed), RequestTimeTooSkewed (dated by its own clock).
 * Requests here are signed by hand with node:crypto (OBS) or with the
 * published AWS example (V4), not with the package's signers.
 */
import { describe, expect, it } from '@jest/globals';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { hostedUrl, rawClient, startServer } from '../support/harness.js';

const CREDENTIALS = { accessKeyId: 'AKLOCAL', secretAccessKey: 'local/secret+key' };

function obsSignature(stringToSign: string, secret = CREDENTIALS.secretAccessKey): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

/** Headers of a request signed by hand in OBS's header form, dated `date` with x-obs-date. */
function obsHeaders(method: string, resource: string, date: string, extra: Record<string, string> = {}, secret?: string): Record<string, string> {
  const obs = Object.entries({ ...extra, 'x-obs-date': date })
    .filter(([name]) => name.startsWith('x-obs-'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
  const contentType = extra['content-type'] ?? '';
  const stringToSign = `${method}\n\n${contentType}\n\n${obs}${resource}`;
  return { ...extra, 'x-obs-date': date, Authorization: `OBS ${CREDENTIALS.accessKeyId}:${obsSignature(stringToSign, secret)}` };
}

describe('local OBS server: without credentials', () => {
  it('checks nothing, as before', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const response = await rawClient(server.url).get('/photos/a.txt', { headers: { Authorization: 'OBS nobody:garbage' } });
    expect([response.status, response.data]).toEqual([200, 'A']);
  });
});

describe('local OBS server: OBS signatures', () => {
  it('serves a request signed in its header, virtual-hosted and path style', async () => {
    const server = await startServer({ credentials: CREDENTIALS });
    server.putObject('photos', 'my cat.txt', 'meow');
    const date = new Date().toUTCString();
    const hosted = await rawClient(hostedUrl(server, 'photos')).get('/my%20cat.txt', { headers: obsHeaders('GET', '/photos/my%20cat.txt', date) });
    const pathStyle = await rawClient(server.url).get('/photos/my%20cat.txt?versionId=null&x=1', {
      headers: obsHeaders('GET', '/photos/my%20cat.txt?versionId=null', date),
    });
    expect([hosted.status, hosted.data, pathStyle.status]).toEqual([200, 'meow', 200]);
  });

  it('refuses an unsigned request with AccessDenied and an unknown key with InvalidAccessKeyId', async () => {
    const server = await startServer({ credentials: CREDENTIALS });
    const client = rawClient(server.url);
    const anonymous = await client.get('/photos/a');
    expect([anonymous.status, anonymous.data]).toEqual([403, expect.stringContaining('<Code>AccessDenied</Code>')]);
    const headers = { ...obsHeaders('GET', '/photos/a', new Date().toUTCString()), Authorization: 'OBS AKOTHER:c2ln' };
    const unknown = await client.get('/photos/a', { headers });
    expect([unknown.status, unknown.data]).toEqual([403, expect.stringContaining('<Code>InvalidAccessKeyId</Code>')]);
    expect(server.requests.map((r) => r.response)).toEqual([
      { status: 403, code: 'AccessDenied' },
      { status: 403, code: 'InvalidAccessKeyId' },
    ]);
  });

  it('answers a wrong signature with SignatureDoesNotMatch and the StringToSign it computed', async () => {
    const server = await startServer({ credentials: CREDENTIALS });
    const date = new Date().toUTCString();
    const headers = obsHeaders('PUT', '/photos/a', date, { 'content-type': 'text/plain', 'x-obs-meta-a': '1' }, 'wrong-secret');
    const response = await rawClient(server.url).put('/photos/a', 'x', { headers });
    expect(response.status).toBe(403);
    expect(response.data).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(response.data).toContain(`<StringToSign>PUT\n\ntext/plain\n\nx-obs-date:${date}\nx-obs-meta-a:1\n/photos/a</StringToSign>`);
    expect(server.getObject('photos', 'a')).toBeUndefined();
  });

  it('answers a request dated too far from its clock with RequestTimeTooSkewed and its own Date', async () => {
    const serverNow = Date.now() + 20 * 60_000;
    const server = await startServer({ credentials: CREDENTIALS, now: () => serverNow });
    const response = await rawClient(server.url).get('/photos/a', { headers: obsHeaders('GET', '/photos/a', new Date().toUTCString()) });
    expect([response.status, response.headers.date]).toEqual([403, new Date(serverNow).toUTCString()]);
    expect(response.data).toContain('<Code>RequestTimeTooSkewed</Code>');
    const lenient = await startServer({ credentials: CREDENTIALS, now: () => serverNow, maxSkewMs: 30 * 60_000 });
    expect((await rawClient(lenient.url).get('/photos', { headers: obsHeaders('GET', '/photos/', new Date().toUTCString()) })).status).toBe(200);
  });

  it('checks presigned URLs: signature, expiry, security token', async () => {
    const server = await startServer({ credentials: { ...CREDENTIALS, securityToken: 'TOKEN' } });
    server.putObject('photos', 'a.txt', 'A');
    const presign = (expires: number, token = 'TOKEN'): string => {
      const signature = obsSignature(`GET\n\n\n${String(expires)}\n/photos/a.txt?x-obs-security-token=${token}`);
      return `/photos/a.txt?AccessKeyId=${CREDENTIALS.accessKeyId}&Expires=${String(expires)}&Signature=${encodeURIComponent(signature)}&x-obs-security-token=${token}`;
    };
    const client = rawClient(server.url);
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    expect((await client.get(presign(inAnHour))).data).toBe('A');
    const expired = await client.get(presign(Math.floor(Date.now() / 1000) - 60));
    expect([expired.status, expired.data]).toEqual([403, expect.stringContaining('<Message>Request has expired</Message>')]);
    const tampered = await client.get(presign(inAnHour).replace(`Expires=${String(inAnHour)}`, `Expires=${String(inAnHour + 1)}`));
    expect(tampered.data).toContain('<Code>SignatureDoesNotMatch</Code>');
    const wrongToken = await client.get(presign(inAnHour, 'OTHER'));
    expect(wrongToken.data).toContain('<Message>The security token is invalid.</Message>');
  });

  it('lets preflights through and answers refusals to HEAD without a body', async () => {
    const server = await startServer({ credentials: CREDENTIALS });
    const client = rawClient(server.url);
    expect((await client.options('/photos/a')).status).not.toBe(403);
    const head = await client.head('/photos/a');
    expect([head.status, head.headers['x-obs-error-code'], head.data]).toEqual([403, 'AccessDenied', '']);
  });

  it('refuses empty credentials when it starts', async () => {
    await expect(startServer({ credentials: { accessKeyId: 'AK', secretAccessKey: '' } })).rejects.toThrow('credentials.secretAccessKey must be a non-empty string');
  });
});

describe('local OBS server: temporary credentials', () => {
  const TOKEN = { 'x-obs-security-token': 'TOKEN-1' };

  it('refuses a token from its expiresAt on (by the server clock) as OBS does: 403 InvalidAccessKeyId', async () => {
    let now = Date.UTC(2024, 4, 1, 12, 0, 0);
    for (const expiresAt of [now + 60_000, new Date(now + 60_000)]) {
      now = Date.UTC(2024, 4, 1, 12, 0, 0);
      const server = await startServer({ credentials: { ...CREDENTIALS, securityToken: 'TOKEN-1', expiresAt }, now: () => now });
      const get = () => rawClient(server.url).get('/photos', { headers: obsHeaders('GET', '/photos/', new Date(now).toUTCString(), TOKEN) });
      now += 59_999;
      expect((await get()).status).toBe(200);
      now += 1;
      const expired = await get();
      expect([expired.status, expired.data]).toEqual([403, expect.stringContaining('<Code>InvalidAccessKeyId</Code><Message>The security token is invalid.</Message>')]);
    }
  });

  it('looks credentials up by access key id: a rotated token replaces the old one, a revoked key is refused', async () => {
    const issued = new Map([[CREDENTIALS.accessKeyId, { ...CREDENTIALS, securityToken: 'TOKEN-1' }]]);
    const server = await startServer({ credentials: (accessKeyId) => issued.get(accessKeyId) });
    const get = (token: string) => rawClient(server.url).get('/photos', { headers: obsHeaders('GET', '/photos/', new Date().toUTCString(), { 'x-obs-security-token': token }) });
    expect((await get('TOKEN-1')).status).toBe(200);
    issued.set(CREDENTIALS.accessKeyId, { ...CREDENTIALS, securityToken: 'TOKEN-2' });
    expect((await get('TOKEN-1')).data).toContain('<Message>The security token is invalid.</Message>');
    expect((await get('TOKEN-2')).status).toBe(200);
    issued.clear();
    expect((await get('TOKEN-2')).data).toContain('<Code>InvalidAccessKeyId</Code>');
  });

  it('refuses an expiresAt that is not a time when it starts', async () => {
    await expect(startServer({ credentials: { ...CREDENTIALS, expiresAt: Number.NaN } })).rejects.toThrow('credentials.expiresAt must be epoch ms or a valid Date');
  });
});

describe('local OBS server: AWS Signature V4', () => {
  const EXAMPLE = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const EXAMPLE_TIME = Date.UTC(2013, 4, 24);

  it('accepts the published S3 GET Object example verbatim', async () => {
    const server = await startServer({ buckets: ['examplebucket'], credentials: EXAMPLE, now: () => EXAMPLE_TIME + 5_000 });
    server.putObject('examplebucket', 'test.txt', '0123456789abcdef');
    const response = await rawClient(`http://examplebucket.s3.amazonaws.com:${String(server.port)}`).get('/test.txt', {
      headers: {
        Host: 'examplebucket.s3.amazonaws.com',
        Range: 'bytes=0-9',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20130524T000000Z',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
          'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      },
    });
    // The signature is accepted; the Range it signed is served as S3 serves it.
    expect([response.status, response.data]).toEqual([206, '0123456789']);
    expect(server.requests[0]?.response).toEqual({ status: 206 });
  });

  it('answers a tampered V4 request with SignatureDoesNotMatch, its StringToSign and CanonicalRequest', async () => {
    const server = await startServer({ buckets: ['examplebucket'], credentials: EXAMPLE, now: () => EXAMPLE_TIME });
    const response = await rawClient(`http://examplebucket.s3.amazonaws.com:${String(server.port)}`).get('/test.txt', {
      headers: {
        Host: 'examplebucket.s3.amazonaws.com',
        Range: 'bytes=0-99',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20130524T000000Z',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
          'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      },
    });
    expect(response.status).toBe(403);
    expect(response.data).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(response.data).toContain('<StringToSign>AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n');
    expect(response.data).toContain('<CanonicalRequest>GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-99\n');
  });

  it('answers a body that does not match x-amz-content-sha256 with 400 XAmzContentSHA256Mismatch', async () => {
    const server = await startServer({ credentials: EXAMPLE, now: () => EXAMPLE_TIME });
    const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: EXAMPLE, sha256: Sha256, uriEscapePath: false });
    const host = `127.0.0.1:${String(server.port)}`;
    const declared = createHash('sha256').update('original').digest('hex');
    const signed = await signer.sign(
      { method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', path: '/photos/a', query: {}, headers: { host, 'x-amz-content-sha256': declared } },
      { signingDate: new Date(EXAMPLE_TIME) },
    );
    const response = await rawClient(server.url).put('/photos/a', 'tampered', { headers: signed.headers });
    expect([response.status, response.data]).toEqual([400, expect.stringContaining('<Code>XAmzContentSHA256Mismatch</Code>')]);
    const honest = await rawClient(server.url).put('/photos/a', 'original', { headers: signed.headers });
    expect(honest.status).toBe(200);
  });

  it('checks V4 presigned URLs: signature and expiry', async () => {
    let now = EXAMPLE_TIME;
    const server = await startServer({ credentials: EXAMPLE, now: () => now });
    server.putObject('photos', 'a.txt', 'A');
    const signer = new SignatureV4({ service: 's3', region: 'cn-north-4', credentials: EXAMPLE, sha256: Sha256, uriEscapePath: false });
    // As S3 presigns: the payload is UNSIGNED-PAYLOAD, only the host is signed.
    const unsignedPayload = new Set(['x-amz-content-sha256']);
    const presigned = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/photos/a.txt',
        query: { versionId: 'null' },
        headers: { host: `127.0.0.1:${String(server.port)}`, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      { signingDate: new Date(EXAMPLE_TIME), expiresIn: 600, unsignableHeaders: unsignedPayload, unhoistableHeaders: unsignedPayload },
    );
    const search = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const client = rawClient(server.url);
    expect((await client.get(`/photos/a.txt?${search}`)).data).toBe('A');
    expect((await client.get(`/photos/a.txt?${search.replace('versionId=null', 'versionId=v2')}`)).data).toContain('<Code>SignatureDoesNotMatch</Code>');
    now += 601_000;
    expect((await client.get(`/photos/a.txt?${search}`)).data).toContain('<Message>Request has expired</Message>');
  });
});
