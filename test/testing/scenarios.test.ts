/**
 * Scenarios of the local OBS server on an injected clock: throttling to a
 * rate, outage windows, custom rules, their order and their removal.
 */
import { describe, expect, it } from '@jest/globals';
import { parseObsError } from '../../src/index.js';
import { custom, outage, throttle } from '../../src/testing/index.js';
import { rawClient, startServer } from '../support/harness.js';

/** A server with an object `b/k` and a clock the test moves by hand. */
async function clocked(): Promise<{ server: Awaited<ReturnType<typeof startServer>>; tick: (ms: number) => void; get: (path: string) => Promise<number> }> {
  let now = 1_700_000_000_000;
  const server = await startServer({ buckets: [], now: () => now });
  server.putObject('b', 'k', 'v');
  server.putObject('other', 'k', 'v');
  const http = rawClient(server.url);
  return {
    server,
    tick: (ms) => {
      now += ms;
    },
    get: async (path) => (await http.get(path)).status,
  };
}

describe('local OBS server: scenarios', () => {
  it('throttles beyond the burst with 503 SlowDown and refills at the rate', async () => {
    const { server, tick, get } = await clocked();
    server.scenario(throttle({ ratePerSec: 2, burst: 3, retryAfter: 1 }));
    const statuses = [await get('/b/k'), await get('/b/k'), await get('/b/k'), await get('/b/k')];
    expect(statuses).toEqual([200, 200, 200, 503]);
    const throttled = await rawClient(server.url).get<string>('/b/k');
    expect([parseObsError(throttled.data)?.code, throttled.headers['retry-after']]).toEqual(['SlowDown', '1']);
    tick(500); // one token back
    expect([await get('/b/k'), await get('/b/k')]).toEqual([200, 503]);
    tick(60_000); // refills to the burst, not beyond
    expect([await get('/b/k'), await get('/b/k'), await get('/b/k'), await get('/b/k')]).toEqual([200, 200, 200, 503]);
  });

  it('throttles only matching requests, with a chosen code', async () => {
    const { server, get } = await clocked();
    server.scenario(throttle({ ratePerSec: 1, match: { path: '/b/' }, code: 'TooManyRequests' }));
    expect([await get('/b/k'), await get('/b/k'), await get('/other/k'), await get('/other/k')]).toEqual([200, 429, 200, 200]);
  });

  it('survives a clock that goes backwards', async () => {
    const { server, tick, get } = await clocked();
    server.scenario(throttle({ ratePerSec: 1 }));
    expect(await get('/b/k')).toBe(200);
    tick(-10_000);
    expect(await get('/b/k')).toBe(503);
    tick(1_000);
    expect(await get('/b/k')).toBe(200);
  });

  it('fails every request inside an outage window, measured from when it was added', async () => {
    const { server, tick, get } = await clocked();
    server.scenario(outage({ startMs: 100, durationMs: 50 }));
    const seen: number[] = [];
    for (const step of [0, 99, 1, 49, 1]) {
      tick(step);
      seen.push(await get('/b/k'));
    }
    expect(seen).toEqual([200, 200, 500, 500, 200]);
  });

  it('limits an outage to matching requests and answers its code', async () => {
    const { server, get } = await clocked();
    server.scenario(outage({ durationMs: 1000, code: 'ServiceUnavailable', match: { method: 'PUT' } }));
    expect(await get('/b/k')).toBe(200);
    const put = await rawClient(server.url).put<string>('/b/k', 'x');
    expect([put.status, parseObsError(put.data)?.code]).toEqual([503, 'ServiceUnavailable']);
  });

  it('asks custom rules, in order, after the queue and before the store', async () => {
    const { server, get } = await clocked();
    server.scenario(
      custom((request) => (request.key === 'k' && request.bucket === 'other' ? { error: 'AccessDenied' } : undefined)),
      outage({ durationMs: 1000, match: { path: '/b/' } }),
      custom(() => ({ error: 'NeverReached' })),
    );
    server.enqueue({ ok: true, match: { path: '/b/' } });
    expect(await get('/b/k')).toBe(200); // the queued step wins
    expect(await get('/b/k')).toBe(500); // then the outage
    expect(await get('/other/k')).toBe(403); // the first rule
    expect(server.requests.map((r) => (typeof r.response === 'object' ? r.response.code : undefined))).toEqual([undefined, 'InternalError', 'AccessDenied']);
    server.clearScenarios();
    expect([await get('/b/k'), await get('/other/k')]).toEqual([200, 200]);
  });
});
