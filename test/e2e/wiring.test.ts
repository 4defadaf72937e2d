import { describe, expect, it } from '@jest/globals';
import axios, { type InternalAxiosRequestConfig } from 'axios';
import { attachObsPolicies, isObsError } from '../../src/index.js';
import { bareClient, FAST, policyClient, recordEvents, settle, startServer } from './harness.js';

describe('wiring', () => {
  it('leaves a successful call unchanged: same data, status, headers and the caller’s own config', async () => {
    const server = await startServer();
    server.putObject('photos', 'cat.txt', Buffer.from('meow'), 'text/plain');
    const bare = bareClient(server.url);
    const { client } = policyClient(server.url);
    let seenConfig: InternalAxiosRequestConfig | undefined;
    client.interceptors.request.use((config) => {
      seenConfig = config;
      return config;
    });
    const [plain, managed] = [await bare.get('/photos/cat.txt'), await client.get('/photos/cat.txt')];
    expect(managed.data).toEqual(plain.data);
    expect(managed.status).toBe(200);
    expect(managed.headers['content-type']).toBe(plain.headers['content-type']);
    expect(managed.headers.etag).toBe(plain.headers.etag);
    expect(managed.config).toBe(seenConfig);
    expect(Object.keys(managed).sort()).toEqual(Object.keys(plain).sort());
  });

  it('runs the user’s request and response interceptors once per call, not once per attempt', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    let requests = 0;
    let responses = 0;
    let errors = 0;
    client.interceptors.request.use((config) => {
      requests++;
      return config;
    });
    client.interceptors.response.use(
      (response) => {
        responses++;
        return response;
      },
      (error: unknown) => {
        errors++;
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
    server.enqueue({ error: 'SlowDown' }, { error: 'InternalError' }, { reset: 'before-head' });
    await client.put('/photos/a.txt', 'data');
    expect(server.requests).toHaveLength(4);
    expect([requests, responses, errors]).toEqual([1, 1, 0]);
    server.enqueue({ error: 'NoSuchKey', times: 1 });
    await settle(client.get('/photos/missing'));
    expect([requests, responses, errors]).toEqual([2, 1, 1]);
  });

  it('stops axios from following 3xx itself, so the redirect policy sees every 301/307', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ redirect: 307, location: `${server.url}/photos/moved.txt` });
    server.putObject('photos', 'moved.txt', Buffer.from('here'));
    const response = await client.get('/photos/orig.txt');
    expect(response.data).toBe('here');
    expect(events.map(([name]) => name)).toEqual(['redirect']);
  });

  it('detach removes everything: the instance behaves as before and keeps no breaker or timer', async () => {
    const server = await startServer();
    const client = bareClient(server.url);
    const liveInterceptors = (): number =>
      (client.interceptors.request as unknown as { handlers: unknown[] }).handlers.filter((h) => h !== null).length;
    const interceptorsBefore = liveInterceptors();
    const handle = attachObsPolicies(client, { ...FAST, breaker: { resetTimeoutMs: 60_000, volumeThreshold: 1 } });
    server.enqueue({ error: 'InternalError' });
    await settle(client.get('/photos/a'));
    expect(handle.breakerState(new URL(server.url).origin)).toBe('open');
    handle.detach();
    expect(handle.detached).toBe(true);
    expect(liveInterceptors()).toBe(interceptorsBefore);
    expect(handle.breakerState(new URL(server.url).origin)).toBeUndefined();
    server.enqueue({ error: 'SlowDown' });
    const result = await settle(client.get('/photos/a'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(isObsError(result.error)).toBe(false);
      expect(axios.isAxiosError(result.error) && result.error.response?.status).toBe(503);
    }
    // Attaching again after detach is allowed.
    const again = attachObsPolicies(client, FAST);
    again.detach();
  });

  it('refuses a second attach on the same instance instead of nesting retries', () => {
    const client = bareClient();
    const handle = attachObsPolicies(client);
    expect(() => attachObsPolicies(client)).toThrow(/already has policies attached/);
    handle.detach();
  });

  it('obs: false turns the policies off for one call', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    server.enqueue({ error: 'SlowDown' });
    const result = await settle(client.get('/photos/a', { obs: false }));
    expect(result.ok).toBe(false);
    expect(server.requests).toHaveLength(1);
    if (!result.ok) expect(isObsError(result.error)).toBe(false);
  });

  it('fails at attachObsPolicies on unknown option names or invalid values', () => {
    const client = bareClient();
    expect(() => attachObsPolicies(client, { retry: { retires: 3 } } as never)).toThrow(/unknown option "options.retry.retires"/);
    expect(() => attachObsPolicies(client, { policies: { SlowDown: 'again' } } as never)).toThrow(/options.policies.SlowDown/);
  });

  it('rejects a call whose obs options are invalid with a clear error, sending nothing', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    const result = await settle(client.get('/photos/a', { obs: { retry: { retries: -2 } } }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(String(result.error)).toMatch(/obs.retry.retries/);
    expect(server.requests).toHaveLength(0);
  });
});
