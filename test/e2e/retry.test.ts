import { describe, expect, it } from '@jest/globals';
import axios, { CanceledError } from 'axios';
import { Readable } from 'node:stream';
import type { RetryEvent } from '../../src/index.js';
import { custom } from '../../src/testing/index.js';
import { FAST, namesOf, nextEvent, policyClient, reasonsOf, recordEvents, rejectionOf, sleep, startServer } from '../support/harness.js';

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
    server.putObject('photos', 'a', 'A');
    server.enqueue({ error: 'SlowDown' }, { error: 'InternalError' });
    expect((await client.get('/photos/a')).data).toBe('A');
    const [throttled, transient] = retryEvents(events);
    expect(throttled?.delayMs).toBe(8); // 2 × throttleMultiplier 4 × ~1
    expect(transient?.delayMs).toBe(4); // 2 × factor^1 × ~1
  });

  it('honours Retry-After (seconds) but caps it at maxDelayMs', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 1, maxDelayMs: 30 }, random: () => 0 });
    const events = recordEvents(handle);
    server.putObject('photos', 'a', 'A');
    server.enqueue({ error: 'SlowDown', retryAfter: 1 });
    expect((await client.get('/photos/a')).data).toBe('A');
    expect(retryEvents(events)[0]?.delayMs).toBe(30);
  });

  it('gives up rather than wait past maxElapsedMs', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 1, maxDelayMs: 60_000, maxElapsedMs: 500 }, random: () => 0 });
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown', retryAfter: 10 });
    // Waiting the 10 s Retry-After would outlive the test's own timeout: the call must give up at once.
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'SlowDown', attempts: 1, reason: expect.stringMatching(/^maxElapsedMs \(500\)/) });
    expect(namesOf(events)).toEqual(['giveUp']);
  });

  it('stops after the configured retries and reports attempts', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 2 } });
    const events = recordEvents(handle);
    server.enqueue({ error: 'ServiceUnavailable', times: 5 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ isObsError: true, obsCode: 'ServiceUnavailable', status: 503, attempts: 3, action: 'retry', reason: 'retries exhausted (2)' });
    expect(server.requests).toHaveLength(3);
    expect(namesOf(events)).toEqual(['retry', 'retry', 'giveUp']);
  });

  it('never replays a POST after a 500 or a dropped connection', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError' });
    await expect(client.post('/photos/log?append&position=0', 'line')).rejects.toMatchObject({ obsCode: 'InternalError', attempts: 1 });
    server.enqueue({ reset: 'after-head' });
    await expect(client.post('/photos/log2?append&position=0', 'line')).rejects.toMatchObject({ obsCode: 'NetworkError', attempts: 1 });
    expect(server.countRequests({ method: 'POST' })).toBe(2);
    expect(reasonsOf(events, 'giveUp')).toEqual([
      'not replayable: POST may have been processed (InternalError)',
      'not replayable: POST may have been processed (NetworkError)',
    ]);
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
    await expect(client.put('/photos/stream.bin', Readable.from([Buffer.from('chunk')]))).rejects.toMatchObject({
      isObsError: true,
      obsCode: 'SlowDown',
      attempts: 1,
      reason: 'not replayable: request body is a stream',
      message: expect.stringMatching(/request body is a stream/),
    });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects at once with CanceledError when aborted during a backoff wait', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 10_000, maxDelayMs: 10_000 }, random: () => 0.99 });
    server.enqueue({ error: 'SlowDown' });
    const controller = new AbortController();
    const retrying = nextEvent(handle, 'retry');
    const call = rejectionOf(client.get('/photos/a', { signal: controller.signal }));
    // The retry event comes just before the wait starts; once it has been delivered, the call is waiting.
    await retrying;
    controller.abort();
    // Had the abort not ended the wait, the retry would reach the store and the call end on its NoSuchKey.
    const error = await call;
    expect(axios.isCancel(error)).toBe(true);
    expect(error).toBeInstanceOf(CanceledError);
    expect(server.requests).toHaveLength(1);
  });

  it('never retries a canceled request', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    const controller = new AbortController();
    // The caller aborts while the request is at the server, before any answer.
    server.scenario(
      custom(() => {
        controller.abort();
        return { ok: true, delayMs: 1000 };
      }),
    );
    const error = await rejectionOf(client.get('/photos/a', { signal: controller.signal }));
    expect(axios.isCancel(error)).toBe(true);
    expect(error).toBeInstanceOf(CanceledError);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('spends the retry budget and then fails instead of retrying', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retryBudget: { capacity: 10, retryCost: 5 } });
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError', times: 10 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'InternalError', attempts: 3, reason: 'retry budget exhausted' });
    expect(server.requests).toHaveLength(3);
    expect(handle.retryBudgetTokens).toBe(0);
    expect(reasonsOf(events, 'giveUp')).toEqual(['retry budget exhausted']);
  });

  it('retries throttling for free once the endpoint is paced, and charges it when pacing is off', async () => {
    const budget = { capacity: 10, retryCost: 5 };
    const paced = await startServer();
    paced.putObject('photos', 'a', 'A');
    const a = policyClient(paced.url, { ...FAST, retryBudget: budget });
    paced.enqueue({ error: 'SlowDown', times: 3 });
    expect((await a.client.get('/photos/a')).data).toBe('A');
    expect(paced.requests).toHaveLength(4);
    // The first SlowDown gave the endpoint a pacer: its three retries cost nothing; the success refunded 1 (full already).
    expect(a.handle.retryBudgetTokens).toBe(10);

    const unpaced = await startServer();
    const b = policyClient(unpaced.url, { ...FAST, retryBudget: budget, throttle: false });
    const events = recordEvents(b.handle);
    unpaced.enqueue({ error: 'SlowDown', times: 10 });
    await expect(b.client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'SlowDown', attempts: 3, reason: 'retry budget exhausted' });
    expect(b.handle.retryBudgetTokens).toBe(0);
    expect(reasonsOf(events, 'giveUp')).toEqual(['retry budget exhausted']);
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
    await client.get('/photos/a', { params: { versionId: 'null' } });
    expect(signed).toEqual([`1 ${server.url}/photos/a`, `2 ${server.url}/photos/a`]);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['OBS AK:sig-1', 'OBS AK:sig-2']);
    expect(server.requests.map((r) => r.url)).toEqual(['/photos/a?versionId=null', '/photos/a?versionId=null']);
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
    // Node emits process warnings on a later tick: give them time to arrive.
    await sleep(50);
    process.off('warning', onWarning);
    expect(responses.every((r) => r.data === 'A')).toBe(true);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
