/**
 * Pacing per operation class, end to end: the local OBS server throttles
 * listings only (a throttle scenario matching GET on the bucket root), and the
 * handle paces listings alone. Reads of the same endpoint go at once while a
 * listing waits, every rateChange names the class `list`, and `paceOf` answers
 * per class. Runs on both adapters like every e2e test; nothing here depends on
 * how fast the machine is: the listing's pause (a Retry-After capped at a
 * minute) outlasts the test, so a read that waited for it could never finish.
 */
import { describe, expect, it } from '@jest/globals';
import { CanceledError } from 'axios';
import type { RateChangeEvent } from '../../src/index.js';
import { throttle, type ObsTestServer, type StepMatch } from '../../src/testing/index.js';
import { FAST, hostedUrl, nextEvent, policyClient, rejectionOf, startServer } from '../support/harness.js';

/** A `rateChange` payload with the class it names. */

/** Waits far longer than the test may run: a call held by a pause never ends on its own. */
const LONG_WAITS = { ...FAST, retry: { minDelayMs: 1, maxDelayMs: 60_000, retries: 2 } };

interface Addressing {
  style: string;
  /** The client's base URL. */
  base: (server: ObsTestServer) => string;
  /** Path of the bucket root (a listing) and of an object, relative to the base. */
  root: string;
  object: string;
  /** The server's match for listings of `photos`. */
  listings: StepMatch;
}

const STYLES: Addressing[] = [
  { style: 'path style', base: (server) => server.url, root: '/photos', object: '/photos/a', listings: { method: 'GET', path: /^\/photos\/?$/ } },
  { style: 'virtual-hosted', base: (server) => hostedUrl(server, 'photos'), root: '/', object: '/a', listings: { method: 'GET', path: /^\/$/ } },
];

describe('pacing per operation class', () => {
  it.each(STYLES)('$style: a listing paused by Retry-After holds listings only; reads of the endpoint go at once', async ({ base, root, object, listings }) => {
    const server = await startServer();
    server.putObject('photos', 'a', 'A');
    // One listing goes through, every later one is answered SlowDown with Retry-After: 1 h (capped at maxDelayMs).
    server.scenario(throttle({ ratePerSec: 0.001, burst: 1, retryAfter: 3600, match: listings }));
    const { client, handle } = policyClient(base(server), LONG_WAITS);
    const changes: RateChangeEvent[] = [];
    handle.on('rateChange', (event) => changes.push(event));
    const isListing = (request: { method: string; path: string }): boolean => request.method === 'GET' && listings.path instanceof RegExp && listings.path.test(request.path);

    await client.get(root);
    const aborter = new AbortController();
    const paused = nextEvent(handle, 'rateChange');
    const throttledListing = rejectionOf(client.get(root, { params: { 'list-type': 2 }, signal: aborter.signal }));
    expect(await paused).toMatchObject({ class: 'list', cause: 'retryAfter' });
    // A listing sent now waits for the pause; reads of the same endpoint do not.
    const waitingListing = rejectionOf(client.get(root, { params: { prefix: 'a' }, signal: aborter.signal }));
    const reads = await Promise.all(Array.from({ length: 10 }, () => client.get(object)));
    expect(reads.map((response) => response.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(await client.head(object)).toMatchObject({ status: 200 });
    // The reads reached the server while both listings were still held back (two listings sent so far).
    expect(server.countRequests(isListing)).toBe(2);
    expect(server.countRequests({ method: 'GET', path: '/' }) - server.countRequests(isListing)).toBe(10);

    const origin = new URL(base(server)).origin;
    expect(handle.paceOf(origin, 'read')).toBeNull();
    expect(handle.paceOf(origin, 'write')).toBeNull();
    expect(changes.map((change) => change.class)).toEqual(['list']);

    aborter.abort();
    expect(await throttledListing).toBeInstanceOf(CanceledError);
    expect(await waitingListing).toBeInstanceOf(CanceledError);
    // The held listing was never sent.
    expect(server.countRequests(isListing)).toBe(2);
  });

  it('under listings and reads at once, only listings are throttled and only the list class learns', async () => {
    // The server's clock stands still for its first 40 requests, so its bucket of 2 answers the listings among
    // them SlowDown however fast this machine sends them; it runs at 50 listings/s from then on.
    const frozenAt = Date.now();
    const started: { server?: ObsTestServer } = {};
    const server = await startServer({ now: () => ((started.server?.requests.length ?? 0) <= 40 ? frozenAt : Date.now()) });
    started.server = server;
    server.putObject('photos', 'a', 'A');
    server.scenario(throttle({ ratePerSec: 50, burst: 2, match: { method: 'GET', path: /^\/photos\/?$/ } }));
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { minDelayMs: 5, maxDelayMs: 2000, retries: 10 } });
    const changes: RateChangeEvent[] = [];
    handle.on('rateChange', (event) => changes.push(event));
    const lanes = (count: number, inFlight: number, call: () => Promise<unknown>): Promise<unknown> => {
      let next = 0;
      return Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next++ < count) await call();
        }),
      );
    };
    await Promise.all([lanes(40, 4, () => client.get('/photos', { params: { 'list-type': 2 } })), lanes(120, 4, () => client.get('/photos/a'))]);

    const listingsThrottled = server.countRequests((r) => r.path === '/photos' && typeof r.response === 'object' && r.response.code === 'SlowDown');
    expect(listingsThrottled).toBeGreaterThan(0);
    // Every read went once, at once: no read was throttled, retried or held.
    expect(server.countRequests({ method: 'GET', path: '/photos/a' })).toBe(120);
    const origin = new URL(server.url).origin;
    expect(handle.paceOf(origin, 'read')).toBeNull();
    expect(handle.paceOf(origin)).toBe(handle.paceOf(origin, 'list'));
    expect(changes.every((change) => change.class === 'list')).toBe(true);
  });
});
