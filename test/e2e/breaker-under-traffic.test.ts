/**
 * The breaker under traffic shaped like production, not from a cold start:
 * after healthy traffic, with throttling and 4xx answers mixed in, with 8
 * callers in flight, and with callers that retry at once on CircuitOpen.
 */
import { describe, expect, it } from '@jest/globals';
import { CircuitOpenError } from '../../src/index.js';
import { outage } from '../../src/testing/index.js';
import { FAST, nextEvent, policyClient, startServer } from '../support/harness.js';

const IN_FLIGHT = 8;

/** Runs `count` calls through `IN_FLIGHT` loops; swallows rejections (the server's records tell). */
async function loops(count: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await call(next++).catch(() => undefined);
    }),
  );
}

describe('breaker under traffic', () => {
  it('after 400 healthy GETs at 8 in flight, opens within the consecutive-failure streak of an outage (default options)', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', 'A');
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 3 } });
    await loops(400, () => client.get('/photos/a'));
    expect(server.countRequests()).toBe(400);
    server.scenario(outage({ durationMs: 60_000 }));
    const opened = nextEvent(handle, 'circuitOpen');
    let refused = 0;
    await loops(200, () =>
      client.get('/photos/a').catch((error: unknown) => {
        if (error instanceof CircuitOpenError) refused++;
      }),
    );
    await opened;
    const intoOutage = server.requests.filter((r) => r.response !== 'reset' && r.response !== 'hang' && r.response?.code === 'InternalError').length;
    // 5 in a row open it; the other callers' requests already in flight still land.
    expect(intoOutage).toBeLessThanOrEqual(5 + IN_FLIGHT);
    expect(refused).toBeGreaterThan(150);
  });

  it('is not diluted by throttling and 4xx answers: 20 SlowDowns and 20 NoSuchKeys, then 5 InternalErrors open it', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { retries: 0 }, throttle: false });
    server.enqueue({ error: 'SlowDown', times: 20 });
    for (let i = 0; i < 20; i++) await client.get('/photos/a').catch(() => undefined);
    for (let i = 0; i < 20; i++) await client.get('/photos/missing').catch(() => undefined);
    expect(handle.breakerState(new URL(server.url).origin)).toBe('closed');
    server.enqueue({ error: 'InternalError', times: 10 });
    for (let i = 0; i < 4; i++) await client.get('/photos/a').catch(() => undefined);
    expect(handle.breakerState(new URL(server.url).origin)).toBe('closed');
    await client.get('/photos/a').catch(() => undefined);
    expect(handle.breakerState(new URL(server.url).origin)).toBe('open');
  });

  it('recovers for callers that retry at once on CircuitOpen: the half-open timer still runs and a probe closes it', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', 'A');
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { retries: 0 }, breaker: { resetTimeoutMs: 100 } });
    server.enqueue({ error: 'InternalError', times: 5 });
    for (let i = 0; i < 5; i++) await client.get('/photos/a').catch(() => undefined);
    expect(handle.breakerState(new URL(server.url).origin)).toBe('open');
    const closed = nextEvent(handle, 'circuitClose');
    let successes = 0;
    let refusals = 0;
    // Tight loops: no delay of their own. Bounded by a success or a count (never by time).
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = 0; i < 200_000 && successes === 0; i++) {
          try {
            await client.get('/photos/a');
            successes++;
          } catch (error) {
            if (!(error instanceof CircuitOpenError)) throw error;
            refusals++;
          }
        }
      }),
    );
    await closed;
    expect(successes).toBeGreaterThan(0);
    expect(refusals).toBeGreaterThan(0);
  });

  it('half-open lets exactly one probe through; concurrent callers are refused until it settles', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', 'A');
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { retries: 0 }, breaker: { resetTimeoutMs: 50 } });
    server.enqueue({ error: 'InternalError', times: 5 });
    for (let i = 0; i < 5; i++) await client.get('/photos/a').catch(() => undefined);
    await nextEvent(handle, 'circuitHalfOpen');
    const before = server.requests.length;
    server.enqueue({ ok: true, delayMs: 50 });
    const results = await Promise.allSettled(Array.from({ length: IN_FLIGHT }, () => client.get('/photos/a')));
    expect(server.requests.length - before).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof CircuitOpenError)).toHaveLength(IN_FLIGHT - 1);
    expect(handle.breakerState(new URL(server.url).origin)).toBe('closed');
  });

  it('bounds a probe that hangs by the attempt timeout: the breaker re-opens and probes again', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', 'A');
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { retries: 0 }, breaker: { resetTimeoutMs: 50 } }, { timeout: 200 });
    server.enqueue({ error: 'InternalError', times: 5 });
    for (let i = 0; i < 5; i++) await client.get('/photos/a').catch(() => undefined);
    await nextEvent(handle, 'circuitHalfOpen');
    server.enqueue({ hang: true });
    const reopened = nextEvent(handle, 'circuitOpen');
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'Timeout' });
    await reopened;
    await nextEvent(handle, 'circuitHalfOpen');
    await expect(client.get('/photos/a')).resolves.toMatchObject({ status: 200 });
  });
});
