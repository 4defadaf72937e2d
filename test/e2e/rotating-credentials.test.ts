/**
 * Rotating credentials end to end: obsSigner and sigV4Signer with a
 * credentials provider, against the local OBS server issuing temporary
 * credentials that expire by its clock (the same scripted clock the signers
 * date requests and judge expiry by: no wall time). Under 64 concurrent calls
 * the provider is asked once per expiry, whether the signer refreshes ahead
 * of a known expiration or the server is the first to say the token expired;
 * a token revoked before its expiration costs one refresh and one re-signed
 * request; a provider that keeps handing out a refused token fails the call
 * after one re-sign, not in a loop.
 */
import { describe, expect, it } from '@jest/globals';
import { obsSigner, sigV4Signer, type CredentialsProvider, type SignHook } from '../../src/sign/index.js';
import type { ObsServerCredentials, ObsTestServer } from '../../src/testing/index.js';
import { FAST, namesOf, obsRejection, policyClient, recordEvents, startServer } from '../support/harness.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const LIFETIME_MS = 60 * 60_000;
const CONCURRENT = 64;

type MakeSigner = (credentials: CredentialsProvider, now: () => number) => SignHook;

const SIGNERS: [string, MakeSigner][] = [
  ['obsSigner', (credentials, now) => obsSigner({ credentials, now })],
  ['sigV4Signer', (credentials, now) => sigV4Signer({ credentials, now, region: 'cn-north-4' })],
];

/**
 * A token service and the local OBS server that trusts it, on one scripted clock. Each
 * provider call issues new numbered credentials that the server accepts until `expiresAt`.
 */
class TokenService {
  readonly clock = { now: T0 };
  readonly issued = new Map<string, ObsServerCredentials>();
  calls = 0;
  /** What the provider tells the signer about the expiration: the truth, or nothing. */
  tellExpiration = true;

  readonly provider: CredentialsProvider = () => {
    this.calls++;
    const n = String(this.calls);
    const expiresAt = this.clock.now + LIFETIME_MS;
    const credentials = { accessKeyId: `AKTEMP${n}`, secretAccessKey: `secret/${n}+key`, securityToken: `token-${n}` };
    this.issued.set(credentials.accessKeyId, { ...credentials, expiresAt });
    return Promise.resolve(this.tellExpiration ? { ...credentials, expiration: new Date(expiresAt).toISOString() } : credentials);
  };

  server(): Promise<ObsTestServer> {
    return startServer({ credentials: (accessKeyId) => this.issued.get(accessKeyId), now: () => this.clock.now });
  }
}

/** Every answer the server gave, as `status code` strings. */
function answers(server: ObsTestServer): string[] {
  return server.requests.map((request) => {
    const response = request.response;
    return typeof response === 'object' ? `${String(response.status)}${response.code === undefined ? '' : ` ${response.code}`}` : String(response);
  });
}

/** How many answers of each kind the server gave. */
function tally(server: ObsTestServer): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers(server)) counts[answer] = (counts[answer] ?? 0) + 1;
  return counts;
}

describe.each(SIGNERS)('%s with a credentials provider', (_name, makeSigner) => {
  it(`refreshes ahead of each expiration: ${String(CONCURRENT)} concurrent calls a wave, 0 failures, 1 provider call per expiry`, async () => {
    const tokens = new TokenService();
    const server = await tokens.server();
    server.putObject('photos', 'a.txt', 'A');
    const { client } = policyClient(server.url, { ...FAST, sign: makeSigner(tokens.provider, () => tokens.clock.now) });
    for (let wave = 1; wave <= 4; wave++) {
      const results = await Promise.allSettled(Array.from({ length: CONCURRENT }, () => client.get<string>('/photos/a.txt')));
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(tokens.calls).toBe(wave);
      // Past the refresh point of these credentials, still before their expiry.
      tokens.clock.now += LIFETIME_MS - 60_000;
    }
    expect(tally(server)).toEqual({ '200': 4 * CONCURRENT });
  });

  it(`when the server is the first to say the token expired: ${String(CONCURRENT)} refused calls, 1 provider call, each call re-signed once, 0 failures`, async () => {
    const tokens = new TokenService();
    tokens.tellExpiration = false;
    const server = await tokens.server();
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url, { ...FAST, sign: makeSigner(tokens.provider, () => tokens.clock.now) });
    const events = recordEvents(handle);
    for (let wave = 1; wave <= 3; wave++) {
      const results = await Promise.allSettled(Array.from({ length: CONCURRENT }, () => client.get<string>('/photos/a.txt')));
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(tokens.calls).toBe(wave);
      tokens.clock.now += LIFETIME_MS;
    }
    // The first wave went through; each later wave was refused once per call and re-signed once.
    expect(tally(server)).toEqual({ '200': 3 * CONCURRENT, '403 InvalidAccessKeyId': 2 * CONCURRENT });
    expect(namesOf(events)).toEqual([]);
  });

  it('a token revoked before its expiration: one refresh, one re-signed request, then success', async () => {
    const tokens = new TokenService();
    const server = await tokens.server();
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url, { ...FAST, sign: makeSigner(tokens.provider, () => tokens.clock.now) });
    const events = recordEvents(handle);
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
    tokens.issued.delete('AKTEMP1');
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
    expect(answers(server)).toEqual(['200', '403 InvalidAccessKeyId', '200']);
    expect(tokens.calls).toBe(2);
    expect(server.requests.map((request) => request.headers['x-obs-security-token'] ?? request.headers['x-amz-security-token'])).toEqual(['token-1', 'token-1', 'token-2']);
    expect(namesOf(events)).toEqual([]);
  });

  it('a provider that keeps handing out a refused token: the call fails after one re-sign, not in a loop', async () => {
    const tokens = new TokenService();
    const server = await tokens.server();
    let calls = 0;
    const stale: CredentialsProvider = () => {
      calls++;
      return { accessKeyId: 'AKSTALE', secretAccessKey: 'stale/secret', securityToken: 'stale-token', expiration: tokens.clock.now + LIFETIME_MS };
    };
    tokens.issued.set('AKSTALE', { accessKeyId: 'AKSTALE', secretAccessKey: 'stale/secret', securityToken: 'stale-token', expiresAt: tokens.clock.now - 1 });
    const { client, handle } = policyClient(server.url, { ...FAST, sign: makeSigner(stale, () => tokens.clock.now) });
    const events = recordEvents(handle);
    const error = await obsRejection(client.get('/photos/a.txt'));
    expect([error.obsCode, error.status, error.attempts, error.action]).toEqual(['InvalidAccessKeyId', 403, 2, 'fail']);
    expect(answers(server)).toEqual(['403 InvalidAccessKeyId', '403 InvalidAccessKeyId']);
    expect(calls).toBe(2);
    expect(namesOf(events)).toEqual(['failFast']);
    expect(JSON.stringify(error)).not.toMatch(/stale\/secret|stale-token/);
  });

  it('a provider that fails: the call rejects with the signer\'s error, nothing is sent, the next call asks again', async () => {
    const tokens = new TokenService();
    const server = await tokens.server();
    server.putObject('photos', 'a.txt', 'A');
    let down = true;
    const flaky: CredentialsProvider = () => (down ? Promise.reject(new Error('token service unreachable')) : tokens.provider());
    const { client } = policyClient(server.url, { ...FAST, sign: makeSigner(flaky, () => tokens.clock.now) });
    await expect(client.get('/photos/a.txt')).rejects.toThrow(/the credentials provider failed/);
    expect(server.requests).toEqual([]);
    down = false;
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
  });
});
