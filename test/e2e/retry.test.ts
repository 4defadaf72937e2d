import { describe, expect, it } from '@jest/globals';
import axios from 'axios';
import { Readable } from 'node:stream';
import { isObsError, type ObsError, type RetryEvent } from '../../src/index.js';
import { FAST, policyClient, recordEvents, settle, startServer } from './harness.js';

function retryEvents(events: [string, unknown][]): RetryEvent[] {
  return events.filter(([name]) => name === 'retry').map(([, payload]) => payload as RetryEvent);
}

describe('retry', () => {
  it('retries SlowDown, ServiceUnavailable and RequestTimeout, then succeeds', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', Buffer.from('A'));
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' }, { error: 'ServiceUnavailable' }, { error: 'RequestTimeout' });
    const response = await client.get('/photos/a.txt');
    expect(response.data).toBe('A');
    expect(server.requests).toHaveLength(4);
    expect(retryEvents(events).map((e) => [e.attempt, e.error.obsCode])).toEqual([
      [1, 'SlowDown'],
      [2, 'ServiceUnavailable'],
      [3, 'RequestTimeout'],
    ]);
  });

  it('makes throttling outcomes wait longer than transient ones', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 2, maxDelayMs: 1000 }, random: () => 0.999 });
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' }, { error: 'InternalError' });
    await settle(client.get('/photos/a'));
    const [throttled, transient] = retryEvents(events);
    expect(throttled?.delayMs).toBe(8); // 2 × throttleMultiplier 4 × ~1
    expect(transient?.delayMs).toBe(4); // 2 × factor^1 × ~1
  });

  it('honours Retry-After (seconds) but caps it at maxDelayMs', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 1, maxDelayMs: 30 }, random: () => 0 });
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown', retryAfter: 1 });
    await settle(client.get('/photos/a'));
    expect(retryEvents(events)[0]?.delayMs).toBe(30);
  });

  it('gives up rather than wait past maxElapsedMs', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 1, maxDelayMs: 60_000, maxElapsedMs: 500 }, random: () => 0 });
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown', retryAfter: 10 });
    const started = Date.now();
    const result = await settle(client.get('/photos/a'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.ok).toBe(false);
    expect(events.map(([name]) => name)).toEqual(['giveUp']);
    if (!result.ok) expect((result.error as ObsError).reason).toMatch(/maxElapsedMs/);
  });

  it('stops after the configured retries and reports attempts', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 2 } });
    const events = recordEvents(handle);
    server.enqueue({ error: 'ServiceUnavailable', times: 5 });
    const result = await settle(client.get('/photos/a'));
    expect(server.requests).toHaveLength(3);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const error = result.error as ObsError;
      expect(isObsError(error)).toBe(true);
      expect([error.obsCode, error.status, error.attempts, error.action]).toEqual(['ServiceUnavailable', 503, 3, 'retry']);
    }
    expect(events.at(-1)?.[0]).toBe('giveUp');
  });

  it('never replays a POST after a 500 or a dropped connection', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError' });
    const five = await settle(client.post('/photos/log?append&position=0', 'line'));
    server.enqueue({ reset: 'after-head' });
    const reset = await settle(client.post('/photos/log2?append&position=0', 'line'));
    expect([five.ok, reset.ok]).toEqual([false, false]);
    expect(server.countRequests({ method: 'POST' })).toBe(2);
    const giveUps = events.filter(([name]) => name === 'giveUp').map(([, e]) => (e as { reason: string }).reason);
    expect(giveUps).toHaveLength(2);
    for (const reason of giveUps) expect(reason).toMatch(/not replayable: POST/);
  });

  it('replays a POST after SlowDown, 429 and 408: the server did not process it', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    server.enqueue({ error: 'SlowDown' }, { error: 'TooManyRequests' }, { error: 'RequestTimeout' });
    const response = await client.post('/photos/log?append&position=0', 'line');
    expect(response.status).toBe(200);
    expect(server.countRequests({ method: 'POST' })).toBe(4);
  });

  it('never re-sends a stream body, and says why', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    server.enqueue({ error: 'SlowDown' });
    const result = await settle(client.put('/photos/stream.bin', Readable.from([Buffer.from('chunk')])));
    expect(server.requests).toHaveLength(1);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(isObsError(result.error)).toBe(true);
      expect((result.error as ObsError).message).toMatch(/request body is a stream/);
    }
  });

  it('rejects at once with CanceledError when aborted during a backoff wait', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { retry: { minDelayMs: 10_000, maxDelayMs: 10_000 }, random: () => 0.99 });
    server.enqueue({ error: 'SlowDown' });
    const controller = new AbortController();
    const call = settle(client.get('/photos/a', { signal: controller.signal }));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const abortedAt = Date.now();
    controller.abort();
    const result = await call;
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(axios.isCancel(result.error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('never retries a canceled request', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ ok: true, delayMs: 2000 });
    const controller = new AbortController();
    const call = settle(client.get('/photos/a', { signal: controller.signal }));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const result = await call;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(axios.isCancel(result.error)).toBe(true);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('spends the retry budget and then fails instead of retrying', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retryBudget: { capacity: 10, retryCost: 5 } });
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown', times: 10 });
    await settle(client.get('/photos/a'));
    expect(server.requests).toHaveLength(3);
    expect(handle.retryBudgetTokens).toBe(0);
    expect(events.filter(([name]) => name === 'giveUp').map(([, e]) => (e as { reason: string }).reason)).toEqual(['retry budget exhausted']);
  });

  it('runs sign before every attempt, the first included, with the attempt’s full URL', async () => {
    const server = await startServer();
    const signed: string[] = [];
    let n = 0;
    const { client } = policyClient(server.url, {
      ...FAST,
      sign: (config, context) => {
        n++;
        signed.push(`${String(context.requestNumber)} ${config.url ?? ''}`);
        config.headers.set('Authorization', `OBS AK:sig-${String(n)}`);
        config.headers.set('x-obs-date', `date-${String(n)}`);
        return config;
      },
    });
    server.putObject('photos', 'a', 'A');
    server.enqueue({ error: 'SlowDown' });
    await client.get('/photos/a', { params: { versionId: 'v1' } });
    expect(signed).toEqual([`1 ${server.url}/photos/a`, `2 ${server.url}/photos/a`]);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['OBS AK:sig-1', 'OBS AK:sig-2']);
    expect(server.requests.map((r) => r.url)).toEqual(['/photos/a?versionId=v1', '/photos/a?versionId=v1']);
  });

  it('re-sends a pre-signed URL unchanged', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    server.putObject('photos', 'a', 'A');
    server.enqueue({ error: 'SlowDown' });
    const url = '/photos/a?AccessKeyId=AK&Expires=1900000000&Signature=abc%2Fdef';
    await client.get(url);
    expect(server.requests.map((r) => r.url)).toEqual([url, url]);
  });

  it('keeps 64 concurrent backoff waits without a MaxListenersExceededWarning', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', 'A');
    // 64 SlowDown answers in all, shared by whichever requests arrive first: enough retries that every call gets through.
    const { client } = policyClient(server.url, { retry: { retries: 64, minDelayMs: 20, maxDelayMs: 40 }, random: () => 0.5 });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    server.enqueue({ error: 'SlowDown', times: 64 });
    // Each call has its own signal, as axios expects (axios itself listens on a shared one once per request).
    const calls = Array.from({ length: 64 }, () => client.get('/photos/a', { signal: new AbortController().signal }));
    const responses = await Promise.all(calls);
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('warning', onWarning);
    expect(responses.every((r) => r.data === 'A')).toBe(true);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('ends pending backoff waits at once on detach, with a giveUp that says so', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 10_000, maxDelayMs: 10_000 }, random: () => 0.9 });
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' });
    const call = settle(client.get('/photos/a'));
    while (!events.some(([name]) => name === 'retry')) await new Promise((resolve) => setTimeout(resolve, 5));
    const detachedAt = Date.now();
    handle.detach();
    const result = await call;
    expect(Date.now() - detachedAt).toBeLessThan(2000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect((result.error as ObsError).reason).toBe('detached');
    expect(server.requests).toHaveLength(1);
  });
});
