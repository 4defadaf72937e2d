/**
 * The ready signers end to end: obsSigner and sigV4Signer on a client with the
 * policies attached, against the local OBS server checking signatures like OBS
 * (`credentials`), on both adapters. Every request the server accepted was
 * signed over what was actually sent: params, x-obs-* headers, the security
 * token, the body; retries and redirect hops are re-signed; a skewed clock is
 * learned and corrected; a wrong secret fails fast; a presigned URL goes
 * unsigned with `obs: { sign: false }`.
 */
import { describe, expect, it } from '@jest/globals';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHmac } from 'node:crypto';
import type { ObsPolicyOptions } from '../../src/index.js';
import { obsSigner, sigV4Signer, type SignHook } from '../../src/sign/index.js';
import type { ObsTestServer } from '../../src/testing/index.js';
import { FAST, hostedUrl, namesOf, obsRejection, policyClient, recordEvents, startServer } from '../support/harness.js';

const CREDENTIALS = { accessKeyId: 'AKE2E', secretAccessKey: 'e2e/secret+key=', securityToken: 'TEMP-TOKEN/123=' };
const REGION = 'cn-north-4';

/** Makes a signer of one kind for the given credentials. */
type SignerFactory = (credentials: { accessKeyId: string; secretAccessKey: string; securityToken?: string }) => SignHook;

/** A presigned GET of `/photos/a.txt` on `server` (path style), valid for an hour. */
type Presigner = (server: ObsTestServer) => Promise<string>;

const presignObs: Presigner = (server) => {
  const expires = String(Math.floor(Date.now() / 1000) + 3600);
  const token = CREDENTIALS.securityToken;
  const signature = createHmac('sha1', CREDENTIALS.secretAccessKey).update(`GET\n\n\n${expires}\n/photos/a.txt?x-obs-security-token=${token}`).digest('base64');
  const query = new URLSearchParams({ AccessKeyId: CREDENTIALS.accessKeyId, Expires: expires, Signature: signature, 'x-obs-security-token': token });
  return Promise.resolve(`${server.url}/photos/a.txt?${query.toString()}`);
};

const presignV4: Presigner = async (server) => {
  const signer = new SignatureV4({ service: 's3', region: REGION, credentials: { ...CREDENTIALS, sessionToken: CREDENTIALS.securityToken }, sha256: Sha256, uriEscapePath: false });
  const unsigned = new Set(['x-amz-content-sha256']);
  const request = {
    method: 'GET',
    protocol: 'http:',
    hostname: '127.0.0.1',
    path: '/photos/a.txt',
    query: {},
    headers: { host: `127.0.0.1:${String(server.port)}`, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  };
  const presigned = await signer.presign(request, { expiresIn: 3600, unsignableHeaders: unsigned, unhoistableHeaders: unsigned });
  return `${server.url}/photos/a.txt?${new URLSearchParams(presigned.query as Record<string, string>).toString()}`;
};

const SIGNERS: [string, SignerFactory, Presigner][] = [
  ['obsSigner', (c) => obsSigner({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, securityToken: c.securityToken }), presignObs],
  ['sigV4Signer', (c) => sigV4Signer({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.securityToken, region: REGION }), presignV4],
];

/** A local server that checks signatures against {@link CREDENTIALS} (temporary: the token is required). */
function signingServer(extra: { now?: () => number } = {}): Promise<ObsTestServer> {
  return startServer({ credentials: CREDENTIALS, ...extra });
}

/** Every answer the server gave, as `status code` strings. */
function answers(server: ObsTestServer): string[] {
  return server.requests.map((request) => {
    const response = request.response;
    return typeof response === 'object' ? `${String(response.status)}${response.code === undefined ? '' : ` ${response.code}`}` : String(response);
  });
}

describe.each(SIGNERS)('%s end to end', (name, makeSigner, presign) => {
  const options = (overrides: ObsPolicyOptions = {}): ObsPolicyOptions => ({ ...FAST, sign: makeSigner(CREDENTIALS), ...overrides });

  it('signs params, x-obs-* metadata, the security token and string, byte and Blob bodies', async () => {
    const server = await signingServer();
    const { client } = policyClient(hostedUrl(server, 'photos'), options());
    await client.put('/notes/a b.txt', 'héllo', { headers: { 'Content-Type': 'text/plain', 'x-obs-meta-owner': 'tom', 'X-Obs-Meta-Tags': ['x', 'y'] } });
    await client.put('/notes/raw.bin', Buffer.from([0, 1, 2, 255]));
    await client.put('/notes/blob.txt', new Blob(['blob body'], { type: 'text/plain' }));
    await client.put('/notes/untyped.txt', 'no content type given');
    await client.put("/notes/it's (1)+~*é$,;=@.txt", 'odd key');
    const listing = await client.get<string>('/', { params: { prefix: 'notes/', 'max-keys': 10 } });
    const read = await client.get<string>('/notes/a b.txt', { params: { 'response-content-type': 'text/plain' } });
    expect(listing.data).toContain('<Key>notes/a b.txt</Key>');
    expect(read.data).toBe('héllo');
    expect(server.getObject('photos', 'notes/raw.bin')).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(server.getObject('photos', 'notes/blob.txt')?.toString()).toBe('blob body');
    expect(server.getObject('photos', "notes/it's (1)+~*é$,;=@.txt")?.toString()).toBe('odd key');
    expect(answers(server)).toEqual(['200', '200', '200', '200', '200', '200', '200']);
    const [put] = server.requests;
    expect(put?.headers['x-obs-meta-tags']).toBe('x,y');
    expect(put?.headers[name === 'obsSigner' ? 'x-obs-security-token' : 'x-amz-security-token']).toBe(CREDENTIALS.securityToken);
    expect(server.requests[6]?.url).toBe('/notes/a%20b.txt?response-content-type=text%2Fplain');
  });

  it('re-signs a retry after SlowDown and a redirect hop to another allowed host', async () => {
    const server = await signingServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url, options({ redirect: { allowHosts: ['.obs.test'] } }));
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' }, { redirect: 307, location: `${hostedUrl(server, 'photos')}/a.txt` });
    const response = await client.get<string>('/photos/a.txt', { params: { versionId: 'null' } });
    expect(response.data).toBe('A');
    expect(namesOf(events)).toEqual(['retry', 'redirect']);
    expect(answers(server)).toEqual(['503 SlowDown', '307 TemporaryRedirect', '200']);
    expect(server.requests.map((request) => request.host)).toEqual([`127.0.0.1:${String(server.port)}`, `127.0.0.1:${String(server.port)}`, `photos.obs.test:${String(server.port)}`]);
    // The hop goes to the Location, keeps the call's params, and is signed for its host.
    expect(server.requests[2]?.url).toBe('/a.txt?versionId=null');
  });

  it('learns the server clock from RequestTimeTooSkewed and re-signs with it', async () => {
    const server = await signingServer({ now: () => Date.now() + 20 * 60_000 });
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url, options());
    const events = recordEvents(handle);
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
    expect(answers(server)).toEqual(['403 RequestTimeTooSkewed', '200']);
    expect(namesOf(events)).toEqual(['clockSkew']);
    expect(handle.clockOffsetMs).toBeGreaterThan(19 * 60_000);
    expect(handle.clockOffsetMs).toBeLessThan(21 * 60_000);
    // Later calls are dated right the first time.
    await client.get('/photos/a.txt');
    expect(answers(server)).toEqual(['403 RequestTimeTooSkewed', '200', '200']);
  });

  it('fails fast with SignatureDoesNotMatch when the secret is wrong', async () => {
    const server = await signingServer();
    const { client, handle } = policyClient(server.url, { ...FAST, sign: makeSigner({ ...CREDENTIALS, secretAccessKey: 'not-the-secret' }) });
    const events = recordEvents(handle);
    const error = await obsRejection(client.get('/photos/a.txt'));
    expect([error.obsCode, error.status, error.attempts, error.action]).toEqual(['SignatureDoesNotMatch', 403, 1, 'fail']);
    expect(namesOf(events)).toEqual(['failFast']);
    expect(JSON.stringify(error)).not.toContain('not-the-secret');
  });

  it('sends a presigned URL unsigned with obs: { sign: false } on a signing client', async () => {
    const server = await signingServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client } = policyClient(server.url, options());
    const url = await presign(server);
    expect((await client.get<string>(url, { obs: { sign: false } })).data).toBe('A');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(answers(server)).toEqual(['200']);
  });
});
