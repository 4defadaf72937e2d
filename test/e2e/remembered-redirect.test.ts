/**
 * A remembered 301 is checked again for every call that would use it, with that
 * call's own redirect settings. Two servers on 127.0.0.1 under two names: the
 * call's own host (127.0.0.1) and `localhost`, which only calls that allow it
 * may reach. A sign hook puts a credential on every request, so "the credential
 * never reaches the other host" is read off that server's records.
 */
import { describe, expect, it } from '@jest/globals';
import type { AxiosRequestConfig } from 'axios';
import type { ObsPolicyOptions } from '../../src/index.js';
import type { ObsTestServer } from '../../src/testing/index.js';
import { FAST, namesOf, obsRejection, policyClient, reasonsOf, recordEvents, startServer } from '../support/harness.js';

const SIGNATURE = 'OBS AK:SIG-SECRET';

/** The handle allows no host but the call's own; every request is signed. */
const STRICT: ObsPolicyOptions = {
  ...FAST,
  redirect: { allowHosts: [] },
  sign: (config) => {
    config.headers.set('Authorization', SIGNATURE);
    return config;
  },
};

/** A call that allows `localhost` as a redirect target. */
const ALLOW_LOCALHOST: AxiosRequestConfig = { obs: { redirect: { allowHosts: ['localhost'] } } };

async function movedBucket(): Promise<{ own: ObsTestServer; other: ObsTestServer; otherBase: string }> {
  const own = await startServer();
  const other = await startServer();
  for (const key of ['k1', 'k2', 'k3']) {
    own.putObject('photos', key, `OWN-${key}`);
    other.putObject('photos', key, `OTHER-${key}`);
  }
  return { own, other, otherBase: `http://localhost:${String(other.port)}` };
}

describe('remembered 301 rewrites', () => {
  it("never send a call's credentials to a host its own allowHosts refuses: it goes to its own URL", async () => {
    const { own, other, otherBase } = await movedBucket();
    const { client, handle } = policyClient(own.url, STRICT);
    const events = recordEvents(handle);
    own.enqueue({ redirect: 301, location: `${otherBase}/photos/k1` });
    // Call 1 allows localhost: it follows the 301, which the handle remembers.
    expect((await client.get('/photos/k1', ALLOW_LOCALHOST)).data).toBe('OTHER-k1');
    expect(other.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/photos/k1', SIGNATURE]]);
    // Call 2 does not: the remembered rewrite is not used, and nothing reaches localhost.
    expect((await client.get('/photos/k2')).data).toBe('OWN-k2');
    expect(other.requests).toHaveLength(1);
    expect(own.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/photos/k1', SIGNATURE],
      ['/photos/k2', SIGNATURE],
    ]);
    // Call 3 allows localhost again: the rewrite is still remembered, and used.
    expect((await client.get('/photos/k3', ALLOW_LOCALHOST)).data).toBe('OTHER-k3');
    expect(other.requests.map((r) => r.path)).toEqual(['/photos/k1', '/photos/k3']);
    expect(own.requests).toHaveLength(2);
    expect(namesOf(events)).toEqual(['redirect']);
  });

  it('refuses the 301 live when the own URL answers it again to a call that may not follow it', async () => {
    const { own, other, otherBase } = await movedBucket();
    const { client, handle } = policyClient(own.url, STRICT);
    const events = recordEvents(handle);
    own.enqueue({ redirect: 301, location: `${otherBase}/photos/k1` }, { redirect: 301, location: `${otherBase}/photos/k2` });
    await client.get('/photos/k1', ALLOW_LOCALHOST);
    const error = await obsRejection(client.get('/photos/k2'));
    expect([error.obsCode, error.status, error.attempts]).toEqual(['PermanentRedirect', 301, 1]);
    expect(reasonsOf(events, 'failFast')).toEqual(["redirect refused: redirect to host localhost refused: not the call's host and not in redirect.allowHosts"]);
    expect(other.requests.map((r) => r.path)).toEqual(['/photos/k1']);
  });

  it('is not used by a call with maxRedirects: 0, which follows no redirect', async () => {
    const { own, other, otherBase } = await movedBucket();
    const { client } = policyClient(own.url, STRICT);
    own.enqueue({ redirect: 301, location: `${otherBase}/photos/k1` });
    await client.get('/photos/k1', ALLOW_LOCALHOST);
    const response = await client.get('/photos/k2', { obs: { redirect: { allowHosts: ['localhost'], maxRedirects: 0 } } });
    expect(response.data).toBe('OWN-k2');
    expect(other.requests).toHaveLength(1);
  });
});
