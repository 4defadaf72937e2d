/**
 * Hostile redirects against a call to a "remote" OBS bucket host. Every name
 * resolves to 127.0.0.1 (loopback agent) and the attacker's server listens on
 * its own port, so "what was sent where" is read off the servers' records.
 */
import { describe, expect, it } from '@jest/globals';
import type { ObsTestServer } from '../../src/testing/index.js';
import { namesOf, obsRejection, policyClient, reasonsOf, recordEvents, startServer } from '../support/harness.js';

const SECRETS = ['OBS AKEXAMPLE:SIG-SECRET', 'TOKEN-SECRET', 'session=COOKIE-SECRET', 'QS-SIG-SECRET', 'QS-TOKEN-SECRET'];
const REMOTE = 'photos.obs.cn-north-4.myhuaweicloud.com';

async function attackSetup(): Promise<{ obs: ObsTestServer; evil: ObsTestServer; base: string }> {
  const obs = await startServer();
  const evil = await startServer();
  obs.putObject('photos', 'ok', 'OK');
  return { obs, evil, base: `http://${REMOTE}:${String(obs.port)}` };
}

function credentialedGet(client: ReturnType<typeof policyClient>['client'], path = '/k.jpg'): Promise<unknown> {
  return client.get(`${path}?AccessKeyId=AK&Signature=QS-SIG-SECRET&x-obs-security-token=QS-TOKEN-SECRET`, {
    headers: { Authorization: 'OBS AKEXAMPLE:SIG-SECRET', 'x-obs-security-token': 'TOKEN-SECRET', Cookie: 'session=COOKIE-SECRET' },
  });
}

function expectNoSecrets(texts: string[]): void {
  for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('redirect attacks', () => {
  it.each([
    ['a foreign host', (p: number) => `http://evil.test:${String(p)}/x`],
    ['a look-alike suffix host', (p: number) => `http://obs.myhuaweicloud.com.evil.test:${String(p)}/x`],
    ['a look-alike prefix host', (p: number) => `http://evilmyhuaweicloud.com:${String(p)}/x`],
    ['an allowed host with userinfo', (p: number) => `http://user:pw@${REMOTE}:${String(p)}/x`],
    ['a protocol-relative foreign host', (p: number) => `//evil.test:${String(p)}/x`],
    ['a loopback IP alias of a remote host', (p: number) => `http://127.0.0.1:${String(p)}/x`],
    ['localhost', (p: number) => `http://localhost:${String(p)}/x`],
    ['an IPv6 loopback literal', (p: number) => `http://[::1]:${String(p)}/x`],
    ['a file: URL', () => 'file:///etc/passwd'],
    ['a data: URL', () => 'data:text/plain,hello'],
    ['a javascript: URL', () => 'javascript:alert(1)'],
  ])('refuses a Location to %s: nothing reaches the target, no secret leaves', async (_label, target) => {
    const { obs, evil, base } = await attackSetup();
    const { client, handle } = policyClient(base);
    const events = recordEvents(handle);
    obs.enqueue({ redirect: 307, location: target(evil.port) });
    const error = await obsRejection(credentialedGet(client));
    expect(evil.requests).toHaveLength(0);
    expect(obs.requests).toHaveLength(1);
    expect(namesOf(events)).toEqual(['failFast']);
    expect([error.obsCode, error.status, error.action, error.attempts]).toEqual(['TemporaryRedirect', 307, 'redirect', 1]);
    expect(error.reason).toMatch(/^redirect refused/);
    expectNoSecrets([error.message, JSON.stringify(error), ...events.map(([, payload]) => JSON.stringify(payload))]);
  });

  it('refuses the same attacks when they come as a 301 <Endpoint>', async () => {
    const { obs, evil, base } = await attackSetup();
    const { client } = policyClient(base);
    obs.enqueue({ error: 'PermanentRedirect', endpoint: `photos.obs.myhuaweicloud.com.evil.test:${String(evil.port)}` });
    await expect(credentialedGet(client)).rejects.toMatchObject({ obsCode: 'PermanentRedirect', status: 301, attempts: 1, reason: expect.stringMatching(/^redirect refused: redirect to host photos\.obs\.myhuaweicloud\.com\.evil\.test refused/) });
    expect(evil.requests).toHaveLength(0);
  });

  it('follows a relative Location on the same host, and an official OBS host, with the credentials', async () => {
    const { obs, evil, base } = await attackSetup();
    const { client } = policyClient(base);
    obs.enqueue({ redirect: 307, location: '/ok' });
    expect(((await credentialedGet(client)) as { data: string }).data).toBe('OK');
    evil.putObject('photos', 'moved', 'MOVED');
    obs.enqueue({ redirect: 307, location: `http://photos.obs.eu-west-101.myhuaweicloud.eu:${String(evil.port)}/moved` });
    expect(((await credentialedGet(client)) as { data: string }).data).toBe('MOVED');
    expect(evil.requests[0]?.headers.authorization).toBe('OBS AKEXAMPLE:SIG-SECRET');
  });

  it('refuses a redirect loop and a chain longer than maxRedirects', async () => {
    const { obs, base } = await attackSetup();
    const { client, handle } = policyClient(base, { retry: { minDelayMs: 1 }, redirect: { maxRedirects: 2 } });
    const events = recordEvents(handle);
    obs.enqueue({ redirect: 307, location: '/a' }, { redirect: 307, location: '/k.jpg?AccessKeyId=AK&Signature=QS-SIG-SECRET&x-obs-security-token=QS-TOKEN-SECRET' });
    await expect(credentialedGet(client)).rejects.toMatchObject({ obsCode: 'TemporaryRedirect', attempts: 2, reason: 'redirect refused: redirect loop' });
    obs.enqueue({ redirect: 307, location: '/1' }, { redirect: 307, location: '/2' }, { redirect: 307, location: '/3' });
    await expect(credentialedGet(client)).rejects.toMatchObject({ obsCode: 'TemporaryRedirect', attempts: 3, reason: 'redirect refused: more than maxRedirects (2) hops' });
    expect(reasonsOf(events, 'failFast')).toEqual(['redirect refused: redirect loop', 'redirect refused: more than maxRedirects (2) hops']);
    expect(obs.requests).toHaveLength(5);
    expectNoSecrets(events.map(([, payload]) => JSON.stringify(payload)));
  });

  it('keeps a 301 from poisoning another bucket: the rewrite is scoped to the bucket that moved', async () => {
    const { obs, evil, base } = await attackSetup();
    const { client } = policyClient(base);
    evil.putObject('photos', 'k.jpg', 'MOVED');
    // photos moved to another (allowed) region endpoint: remembered for photos only.
    obs.enqueue({ redirect: 301, location: `http://photos.obs.eu-west-101.myhuaweicloud.eu:${String(evil.port)}/k.jpg` });
    expect((await client.get('/k.jpg')).data).toBe('MOVED');
    // Another bucket on the same regional endpoint is not moved by photos' 301.
    const videos = `http://videos.obs.cn-north-4.myhuaweicloud.com:${String(obs.port)}`;
    await expect(client.get(`${videos}/clip.mp4`)).rejects.toMatchObject({ obsCode: 'NoSuchBucket', attempts: 1 });
    await expect(client.get(`${videos}/clip2.mp4`)).rejects.toMatchObject({ obsCode: 'NoSuchBucket', attempts: 1 });
    expect(obs.requests.filter((r) => r.host.startsWith('videos.')).map((r) => r.path)).toEqual(['/clip.mp4', '/clip2.mp4']);
    // A 301 answered for videos that points at photos' new home is followed once, and only moves videos.
    obs.enqueue({ redirect: 301, location: `http://photos.obs.eu-west-101.myhuaweicloud.eu:${String(evil.port)}/other.mp4`, match: { host: `videos.obs.cn-north-4.myhuaweicloud.com:${String(obs.port)}` } });
    await expect(client.get(`${videos}/clip3.mp4`)).rejects.toMatchObject({ obsCode: 'NoSuchKey', attempts: 2 });
    await expect(client.get(`${videos}/clip4.mp4`)).rejects.toMatchObject({ obsCode: 'NoSuchBucket', attempts: 1 });
    expect(obs.requests.filter((r) => r.host.startsWith('videos.')).map((r) => r.path)).toEqual(['/clip.mp4', '/clip2.mp4', '/clip3.mp4', '/clip4.mp4']);
    await expect(client.get('/second.jpg')).rejects.toMatchObject({ obsCode: 'NoSuchKey', attempts: 1 });
    expect(evil.requests.map((r) => r.path)).toEqual(['/k.jpg', '/other.mp4', '/second.jpg']);
  });
});
