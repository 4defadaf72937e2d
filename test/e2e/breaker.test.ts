import { describe, expect, it } from '@jest/globals';
import { CircuitOpenError, isObsError, type ObsError } from '../../src/index.js';
import { FAST, policyClient, recordEvents, settle, startServer } from './harness.js';

const TRIP = { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 150, rollingWindowMs: 10_000 };

function names(events: [string, unknown][]): string[] {
  return events.map(([name]) => name);
}

async function waitFor(predicate: () => boolean, limitMs = 5000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('circuit breaker', () => {
  it('opens on InternalError and cuts the retries short with the last real error', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: TRIP });
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError', times: 10 });
    const result = await settle(client.get('/photos/a'));
    expect(server.requests).toHaveLength(2);
    expect(result.ok).toBe(false);
    if (!result.ok) expect((result.error as ObsError).obsCode).toBe('InternalError');
    expect(names(events)).toEqual(['retry', 'circuitOpen', 'giveUp']);
    expect((events[2]?.[1] as { reason: string }).reason).toMatch(/circuit open/);
  });

  it('rejects calls at once with CircuitOpenError while open, without network I/O', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: TRIP });
    server.enqueue({ error: 'InternalError', times: 2 });
    await settle(client.get('/photos/a'));
    const events = recordEvents(handle);
    const sent = server.requests.length;
    const result = await settle(client.get('/photos/b'));
    expect(server.requests.length).toBe(sent);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(CircuitOpenError);
      const error = result.error as CircuitOpenError;
      expect([isObsError(error), error.obsCode, error.action, error.attempts]).toEqual([true, 'CircuitOpen', 'circuit', 0]);
      expect(error.endpoint).toBe(new URL(server.url).origin);
    }
    expect(names(events)).toEqual(['circuitReject']);
  });

  it('half-opens after resetTimeoutMs; a successful probe closes it', async () => {
    const server = await startServer();
    server.putObject('photos', 'ok', Buffer.from('fine'));
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: TRIP });
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError', times: 2 });
    await settle(client.get('/photos/ok'));
    const origin = new URL(server.url).origin;
    expect(handle.breakerState(origin)).toBe('open');
    await waitFor(() => handle.breakerState(origin) === 'halfOpen');
    expect((await client.get('/photos/ok')).data).toBe('fine');
    expect(handle.breakerState(origin)).toBe('closed');
    expect(names(events).filter((n) => n.startsWith('circuit'))).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitClose']);
  });

  it('re-opens when the half-open probe fails', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: TRIP });
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError', times: 2 });
    await settle(client.get('/photos/a'));
    const origin = new URL(server.url).origin;
    await waitFor(() => handle.breakerState(origin) === 'halfOpen');
    server.enqueue({ error: 'InternalError' });
    const probe = await settle(client.get('/photos/a'));
    expect(probe.ok).toBe(false);
    expect(handle.breakerState(origin)).toBe('open');
    expect(names(events).filter((n) => n.startsWith('circuit'))).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitOpen']);
  });

  it('never counts 4xx or throttling (SlowDown, ServiceUnavailable, 429)', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 0 }, breaker: TRIP });
    for (const error of ['NoSuchKey', 'AccessDenied', 'SlowDown', 'ServiceUnavailable', 'TooManyRequests']) {
      server.enqueue({ error, times: 3 });
      for (let i = 0; i < 3; i++) await settle(client.get('/photos/a'));
    }
    expect(handle.breakerState(new URL(server.url).origin)).toBe('closed');
  });

  it('counts network errors and timeouts', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 0 }, breaker: TRIP }, { timeout: 100 });
    server.enqueue({ reset: 'before-head' }, { hang: true });
    const reset = await settle(client.get('/photos/a'));
    const timeout = await settle(client.get('/photos/b'));
    expect([reset.ok, timeout.ok]).toEqual([false, false]);
    if (!reset.ok && !timeout.ok) {
      expect([(reset.error as ObsError).obsCode, (timeout.error as ObsError).obsCode]).toEqual(['NetworkError', 'Timeout']);
    }
    expect(handle.breakerState(new URL(server.url).origin)).toBe('open');
  });

  it('keeps one breaker per endpoint: another endpoint is unaffected', async () => {
    const [sick, healthy] = [await startServer(), await startServer()];
    healthy.putObject('photos', 'a', Buffer.from('A'));
    const { client, handle } = policyClient(sick.url, { ...FAST, breaker: TRIP });
    sick.enqueue({ error: 'InternalError', times: 2 });
    await settle(client.get('/photos/a'));
    expect(handle.breakerState(new URL(sick.url).origin)).toBe('open');
    expect((await client.get(`${healthy.url}/photos/a`)).data).toBe('A');
  });

  it('with breaker: false, circuit outcomes are retried like retry and still report action circuit', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: false });
    server.enqueue({ error: 'InternalError', times: 10 });
    const result = await settle(client.get('/photos/a'));
    expect(server.requests).toHaveLength(4);
    if (!result.ok) expect((result.error as ObsError).action).toBe('circuit');
    expect(handle.breakerState(new URL(server.url).origin)).toBeUndefined();
  });

  it('bounds the set of breakers (least recently used dropped)', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', Buffer.from('A'));
    const { client, handle } = policyClient(`http://b0.obs.test:${String(server.port)}`, { ...FAST, breaker: { ...TRIP, maxEndpoints: 2 } });
    for (const bucket of ['b0', 'b1', 'b2']) await settle(client.get(`http://${bucket}.obs.test:${String(server.port)}/a`));
    expect(handle.breakerState(`http://b0.obs.test:${String(server.port)}`)).toBeUndefined();
    expect(handle.breakerState(`http://b2.obs.test:${String(server.port)}`)).toBe('closed');
  });
});
