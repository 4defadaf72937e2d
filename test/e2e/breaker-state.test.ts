/**
 * `handle.breakerState()` and `handle.paceOf()` read their argument as requests
 * are read: any absolute URL or origin of an endpoint names its breaker and pace,
 * whatever its case, trailing slash, path or spelled-out default port; anything
 * else answers `undefined` (`null` for a pace) and never throws.
 */
import { describe, expect, it } from '@jest/globals';
import { throttle } from '../../src/testing/index.js';
import { FAST, nextEvent, policyClient, startServer } from '../support/harness.js';

const TRIP = { consecutiveFailures: 2, resetTimeoutMs: 60_000 };

/** What is not an absolute URL, or not one of a breaker. */
const GARBAGE: unknown[] = ['', 'not a url', '127.0.0.1:9000', '/photos/a', 'http://', 'http://[::1', 'mailto:ops@example.com', 'file:///etc/passwd', undefined, null, 42, {}];

describe('breakerState and paceOf name an endpoint by any of its URLs', () => {
  it('answers open for the baseURL, a path under it, a trailing slash and an upper-case scheme and host', async () => {
    const server = await startServer();
    const base = `http://photos.obs.test:${String(server.port)}`;
    const { client, handle } = policyClient(base, { ...FAST, retry: { ...FAST.retry, retries: 0 }, breaker: TRIP });
    server.enqueue({ error: 'InternalError', times: 2 });
    const opened = nextEvent(handle, 'circuitOpen');
    await Promise.allSettled([client.get('/a'), client.get('/b')]);
    expect((await opened).endpoint).toBe(base);
    for (const name of [
      base,
      `${base}/`,
      `${base}/bucket/key?versionId=1#frag`,
      `HTTP://PHOTOS.OBS.TEST:${String(server.port)}/`,
      `Http://Photos.Obs.Test:${String(server.port)}`,
      `http://user:pw@photos.obs.test:${String(server.port)}/k`,
    ]) {
      expect([name, handle.breakerState(name)]).toEqual([name, 'open']);
    }
    expect(handle.breakerState(`http://photos.obs.test:${String(server.port + 1)}`)).toBeUndefined();
    expect(handle.breakerState(`https://photos.obs.test:${String(server.port)}`)).toBeUndefined();
    for (const garbage of GARBAGE) expect(handle.breakerState(garbage as string)).toBeUndefined();
  });

  it('answers for an origin with its default port spelled out (:443 for https)', async () => {
    // Nothing listens on 127.0.0.1:443: every request there is refused, a network error the breaker counts.
    const { client, handle } = policyClient('https://photos.obs.test', { ...FAST, retry: { ...FAST.retry, retries: 0 }, breaker: TRIP });
    const opened = nextEvent(handle, 'circuitOpen');
    await Promise.allSettled([client.get('/a'), client.get('/b')]);
    expect((await opened).endpoint).toBe('https://photos.obs.test');
    for (const name of ['https://photos.obs.test:443', 'HTTPS://PHOTOS.OBS.TEST:443/photos/a', 'https://photos.obs.test/']) {
      expect([name, handle.breakerState(name)]).toEqual([name, 'open']);
    }
    expect(handle.breakerState('http://photos.obs.test:443')).toBeUndefined();
  });

  it('reads paceOf the same way', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', 'A');
    server.scenario(throttle({ ratePerSec: 10, burst: 1 }));
    const base = `http://127.0.0.1:${String(server.port)}`;
    // One request per call and a 1 ms learning window: a few throttled answers set the pace.
    const { client, handle } = policyClient(base, { ...FAST, retry: { ...FAST.retry, retries: 0 }, throttle: { windowMs: 1 } });
    for (let calls = 0; handle.paceOf(base) === null && calls < 1000; calls++) await client.get('/photos/a').catch(() => undefined);
    const pace = handle.paceOf(base);
    expect(pace).toEqual(expect.any(Number));
    for (const name of [`${base}/`, `${base}/photos/a`, `HTTP://127.0.0.1:${String(server.port)}/`]) expect([name, handle.paceOf(name)]).toEqual([name, pace]);
    for (const garbage of GARBAGE) expect(handle.paceOf(garbage as string)).toBeNull();
  });
});
