import { describe, expect, it } from '@jest/globals';
import { CircuitOpenError, isObsError, type RetryEvent } from '../../src/index.js';
import { deferred, FAST, namesOf, nextEvent, policyClient, reasonsOf, recordEvents, rejectionOf, startServer } from '../support/harness.js';

const TRIP = { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 150, rollingWindowMs: 10_000 };

describe('circuit breaker', () => {
  it('opens on InternalError and cuts the retries short with the last real error', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: TRIP });
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError', times: 10 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ isObsError: true, obsCode: 'InternalError', status: 500, attempts: 2 });
    expect(server.requests).toHaveLength(2);
    expect(namesOf(events)).toEqual(['retry', 'circuitOpen', 'giveUp']);
    expect(reasonsOf(events, 'giveUp')).toEqual(['circuit open: the endpoint breaker opened during retries']);
  });

  it('rejects calls at once with CircuitOpenError while open, without network I/O', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: TRIP });
    server.enqueue({ error: 'InternalError', times: 2 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'InternalError' });
    const events = recordEvents(handle);
    const sent = server.requests.length;
    const error = await rejectionOf(client.get('/photos/b'));
    expect(server.requests.length).toBe(sent);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(isObsError(error)).toBe(true);
    expect(error).toMatchObject({ obsCode: 'CircuitOpen', action: 'circuit', attempts: 0, endpoint: new URL(server.url).origin });
    expect(namesOf(events)).toEqual(['circuitReject']);
  });

  it('refuses a call between its retries at the gate (half-open, probe in flight): the last real error, no request more', async () => {
    const server = await startServer();
    server.putObject('photos', 'probe', 'P');
    const origin = new URL(server.url).origin;
    // A is held in its sign hook (past the gate, not sent yet) while the breaker opens and half-opens
    // and a probe takes the one half-open slot; the probe is held the same way until the end.
    const [aAtSign, releaseA, probeAtSign, releaseProbe] = [deferred(), deferred(), deferred(), deferred()];
    const { client, handle } = policyClient(server.url, {
      ...FAST,
      breaker: { ...TRIP, resetTimeoutMs: 50 },
      sign: async (config, context) => {
        const path = new URL(String(config.url)).pathname;
        if (path === '/photos/a' && context.requestNumber === 1) {
          aAtSign.resolve();
          await releaseA.promise;
        }
        if (path === '/photos/probe') {
          probeAtSign.resolve();
          await releaseProbe.promise;
        }
        return config;
      },
    });
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError', match: { path: '/photos/a' } }, { error: 'InternalError', times: 2, match: { path: '/photos/b' } });
    const callA = rejectionOf(client.get('/photos/a'));
    await aAtSign.promise;
    // Other calls fail meanwhile: the breaker opens, then half-opens.
    const halfOpen = nextEvent(handle, 'circuitHalfOpen');
    for (let i = 0; i < 2; i++) {
      await expect(client.get('/photos/b', { obs: { retry: { retries: 0 } } })).rejects.toMatchObject({ obsCode: 'InternalError', attempts: 1 });
    }
    await halfOpen;
    const probe = client.get<string>('/photos/probe');
    await probeAtSign.promise;
    // A's InternalError arrives now: stale for the half-open breaker, so A decides to retry; after the
    // backoff its next attempt meets the gate with the probe still in flight and is refused.
    releaseA.resolve();
    const error = await callA;
    expect(isObsError(error)).toBe(true);
    expect(error).toMatchObject({ obsCode: 'InternalError', status: 500, action: 'circuit', attempts: 1 });
    expect((error as { reason?: string }).reason).toMatch(/^circuit open/);
    expect(server.countRequests({ path: '/photos/a' })).toBe(1);
    const ofA = events.filter(([, payload]) => (payload as { url?: string }).url === `${server.url}/photos/a`);
    expect(namesOf(ofA)).toEqual(['retry', 'giveUp']);
    expect((ofA[0]?.[1] as RetryEvent).error.obsCode).toBe('InternalError');
    expect(reasonsOf(ofA, 'giveUp')[0]).toMatch(/^circuit open/);
    expect(namesOf(events)).not.toContain('circuitReject');
    releaseProbe.resolve();
    expect((await probe).data).toBe('P');
    expect(handle.breakerState(origin)).toBe('closed');
  });

  it('half-opens after resetTimeoutMs; a successful probe closes it', async () => {
    const server = await startServer();
    server.putObject('photos', 'ok', Buffer.from('fine'));
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: TRIP });
    const events = recordEvents(handle);
    const halfOpen = nextEvent(handle, 'circuitHalfOpen');
    server.enqueue({ error: 'InternalError', times: 2 });
    await expect(client.get('/photos/ok')).rejects.toMatchObject({ obsCode: 'InternalError', attempts: 2 });
    const origin = new URL(server.url).origin;
    expect(handle.breakerState(origin)).toBe('open');
    await halfOpen;
    expect(handle.breakerState(origin)).toBe('halfOpen');
    expect((await client.get('/photos/ok')).data).toBe('fine');
    expect(handle.breakerState(origin)).toBe('closed');
    expect(namesOf(events).filter((n) => n.startsWith('circuit'))).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitClose']);
  });

  it('re-opens when the half-open probe fails', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: TRIP });
    const events = recordEvents(handle);
    const halfOpen = nextEvent(handle, 'circuitHalfOpen');
    server.enqueue({ error: 'InternalError', times: 2 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'InternalError', attempts: 2 });
    const origin = new URL(server.url).origin;
    await halfOpen;
    server.enqueue({ error: 'InternalError' });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'InternalError', attempts: 1 });
    expect(handle.breakerState(origin)).toBe('open');
    expect(namesOf(events).filter((n) => n.startsWith('circuit'))).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitOpen']);
  });

  it('never counts 4xx or throttling (SlowDown, ServiceUnavailable, 429)', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 0 }, breaker: TRIP });
    for (const error of ['NoSuchKey', 'AccessDenied', 'SlowDown', 'ServiceUnavailable', 'TooManyRequests']) {
      server.enqueue({ error, times: 3 });
      for (let i = 0; i < 3; i++) await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: error, attempts: 1 });
    }
    expect(handle.breakerState(new URL(server.url).origin)).toBe('closed');
  });

  it('counts network errors and timeouts', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 0 }, breaker: TRIP }, { timeout: 100 });
    server.enqueue({ reset: 'before-head' }, { hang: true });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'NetworkError', attempts: 1 });
    await expect(client.get('/photos/b')).rejects.toMatchObject({ obsCode: 'Timeout', attempts: 1 });
    expect(handle.breakerState(new URL(server.url).origin)).toBe('open');
  });

  it('keeps one breaker per endpoint: another endpoint is unaffected', async () => {
    const [sick, healthy] = [await startServer(), await startServer()];
    healthy.putObject('photos', 'a', Buffer.from('A'));
    const { client, handle } = policyClient(sick.url, { ...FAST, breaker: TRIP });
    sick.enqueue({ error: 'InternalError', times: 2 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'InternalError', attempts: 2 });
    expect(handle.breakerState(new URL(sick.url).origin)).toBe('open');
    expect((await client.get(`${healthy.url}/photos/a`)).data).toBe('A');
  });

  it('with breaker: false, circuit outcomes are retried like retry and still report action circuit', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: false });
    server.enqueue({ error: 'InternalError', times: 10 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'InternalError', action: 'circuit', attempts: 4, reason: 'retries exhausted (3)' });
    expect(server.requests).toHaveLength(4);
    expect(handle.breakerState(new URL(server.url).origin)).toBeUndefined();
  });

  it('bounds the set of breakers (least recently used dropped)', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(`http://b0.obs.test:${String(server.port)}`, { ...FAST, breaker: { ...TRIP, maxEndpoints: 2 } });
    for (const bucket of ['b0', 'b1', 'b2']) {
      await expect(client.get(`http://${bucket}.obs.test:${String(server.port)}/a`)).rejects.toMatchObject({ obsCode: 'NoSuchBucket', status: 404 });
    }
    expect(handle.breakerState(`http://b0.obs.test:${String(server.port)}`)).toBeUndefined();
    expect(handle.breakerState(`http://b2.obs.test:${String(server.port)}`)).toBe('closed');
  });
});
