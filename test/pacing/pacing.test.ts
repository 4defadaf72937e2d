/**
 * Pacing a throttled endpoint end to end: the handle learns the rate from
 * SlowDown answers, queues calls (in order, abortable, within maxElapsedMs)
 * and sends far fewer requests into the limit than bouncing off it.
 *
 * Pacing works above the adapter (it decides when a request may go, before the
 * adapter is called), so these tests run once, on the http adapter: the jest
 * project `pacing:http` (jest.config.cjs), not the e2e matrix.
 */
import { describe, expect, it } from '@jest/globals';
import { CanceledError } from 'axios';
import type { RateChangeEvent } from '../../src/index.js';
import { throttle, type ObsTestServer } from '../../src/testing/index.js';
import { FAST, nextEvent, policyClient, startServer } from '../support/harness.js';

// Test-sized waits (maxDelayMs also bounds a wait for the pace, so it must exceed the queue's). The retry
// budget stays on: throttling answers of a paced endpoint retry without spending it.
const RETRIES = { ...FAST, retry: { minDelayMs: 5, maxDelayMs: 2000, retries: 8 } };

async function run(count: number, inFlight: number, call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  let ok = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < count) {
        if (await call().then(() => true, () => false)) ok++;
      }
    }),
  );
  return ok;
}

function slowDowns(server: { requests: { response?: unknown }[] }): number {
  return server.requests.filter((r) => typeof r.response === 'object' && (r.response as { code?: string }).code === 'SlowDown').length;
}

describe('pacing', () => {
  it('learns the rate from SlowDown answers: every call succeeds, with far fewer SlowDowns than unpaced', async () => {
    const paced = await startServer();
    paced.putObject('photos', 'a', 'A');
    paced.scenario(throttle({ ratePerSec: 40, burst: 5 }));
    const { client, handle } = policyClient(paced.url, RETRIES);
    const changes: RateChangeEvent[] = [];
    handle.on('rateChange', (event) => changes.push(event));
    expect(await run(80, 16, () => client.get('/photos/a'))).toBe(80);
    expect(changes.find((c) => c.cause === 'throttled')).toMatchObject({ endpoint: new URL(paced.url).origin, ratePerSec: expect.any(Number) as unknown as number });

    const unpaced = await startServer();
    unpaced.putObject('photos', 'a', 'A');
    unpaced.scenario(throttle({ ratePerSec: 40, burst: 5 }));
    const bare = policyClient(unpaced.url, { ...RETRIES, throttle: false });
    await run(80, 16, () => bare.client.get('/photos/a'));
    expect(slowDowns(paced)).toBeLessThan(slowDowns(unpaced));
  });

  // A loaded machine learns a low first pace and grows it back over seconds: the 60 s bound is for a hang, not for speed.
  it('with the default budget, 64 in flight against 200 req/s all succeed and the retry budget is not spent on throttling', async () => {
    // The server's clock stands still for its first 64 requests: its bucket of 10 answers 54 of them SlowDown
    // however fast this machine sends them, and runs at 200 req/s from then on.
    const frozenAt = Date.now();
    const started: { server?: ObsTestServer } = {};
    const server = await startServer({ now: () => ((started.server?.requests.length ?? 0) <= 64 ? frozenAt : Date.now()) });
    started.server = server;
    server.putObject('photos', 'a', 'A');
    server.scenario(throttle({ ratePerSec: 200, burst: 10 }));
    // Default backoff, pacing and budget; retries raised so that no call runs out of them while the
    // first window is learned (a timing matter), which leaves the budget as the only way to fail.
    const { client, handle } = policyClient(server.url, { retry: { retries: 8 } });
    const reasons: string[] = [];
    handle.on('giveUp', (event) => reasons.push(event.reason));
    // Priced at 5 tokens each, the first 54 SlowDowns and the unpaced retries of the first window would leave
    // 473 of 500 tokens or fewer (at 128 in flight against 100 req/s they emptied the budget and calls failed
    // with 'retry budget exhausted'); free, the budget ends full.
    expect(await run(200, 64, () => client.get('/photos/a'))).toBe(200);
    expect(reasons).toEqual([]);
    expect(slowDowns(server)).toBeGreaterThanOrEqual(54);
    expect(handle.retryBudgetTokens).toBe(500);
  }, 60_000);

  it('keeps queued calls in order, lets an aborted one go without sending it, and bounds waits by maxElapsedMs', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', 'A');
    server.scenario(throttle({ ratePerSec: 10, burst: 1 }));
    const { client, handle } = policyClient(server.url, RETRIES);
    const learned = nextEvent(handle, 'rateChange');
    await run(30, 8, () => client.get('/photos/a'));
    await learned;
    const origin = new URL(server.url).origin;
    expect(handle.paceOf(origin)).toEqual(expect.any(Number));
    server.clearScenarios();
    server.clearRecords();
    const aborter = new AbortController();
    const calls = Array.from({ length: 6 }, (_, i) =>
      client.get(`/photos/a?n=${String(i)}`, i === 2 ? { signal: aborter.signal } : i === 5 ? { obs: { retry: { maxElapsedMs: 1 } } } : {}),
    );
    aborter.abort();
    const results = await Promise.allSettled(calls);
    expect(results[2]).toMatchObject({ status: 'rejected', reason: expect.any(CanceledError) as unknown });
    expect(results[5]).toMatchObject({ status: 'rejected', reason: { obsCode: 'Timeout', reason: "maxElapsedMs reached while waiting for the endpoint's pace", attempts: 0 } });
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    // In order, and neither the aborted nor the timed-out call reached the server.
    expect(server.requests.map((r) => r.query.get('n'))).toEqual(['0', '1', '3', '4']);
  });

  it('with throttle: false there is no pace and no rateChange', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', 'A');
    server.scenario(throttle({ ratePerSec: 40, burst: 5 }));
    const { client, handle } = policyClient(server.url, { ...RETRIES, throttle: false });
    const changes: RateChangeEvent[] = [];
    handle.on('rateChange', (event) => changes.push(event));
    await run(40, 8, () => client.get('/photos/a'));
    expect(changes).toEqual([]);
    expect(handle.paceOf(new URL(server.url).origin)).toBeNull();
  });
});
