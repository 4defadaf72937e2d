import { describe, expect, it } from '@jest/globals';
import axios, { type InternalAxiosRequestConfig } from 'axios';
import { attachObsPolicies, isObsError } from '../../src/index.js';
import { bareClient, namesOf, obsRejection, policyClient, recordEvents, rejectionOf, startServer } from '../support/harness.js';

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
    await expect(client.get('/photos/missing')).rejects.toMatchObject({ obsCode: 'NoSuchKey', attempts: 1 });
    expect([requests, responses, errors]).toEqual([2, 1, 1]);
  });

  it('gives the caller its config back as it was: its own maxRedirects and validateStatus after a success, a fault, a reset and a retry', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', Buffer.from('a'));
    // The adapter gets the call's own config with redirects off and every status resolved; the caller never sees that.
    const validateStatus = (status: number): boolean => status >= 200 && status < 300;
    const { client } = policyClient(server.url, undefined, { maxRedirects: 7, validateStatus });
    const own = (config: InternalAxiosRequestConfig | undefined): unknown[] => [config?.maxRedirects, config?.validateStatus];
    const ok = await client.get('/photos/a.txt');
    expect(own(ok.config)).toEqual([7, validateStatus]);
    server.enqueue({ error: 'SlowDown' }, { reset: 'before-head' });
    const retried = await client.get('/photos/a.txt');
    expect(own(retried.config)).toEqual([7, validateStatus]);
    expect(server.requests).toHaveLength(4);
    server.enqueue({ error: 'NoSuchKey' });
    const failed = await obsRejection(client.get('/photos/missing'));
    expect(own(failed.config)).toEqual([7, validateStatus]);
    server.enqueue({ reset: 'before-head', times: 2 });
    const reset = await obsRejection(client.get('/photos/a.txt', { obs: { retry: { retries: 1 } } }));
    expect(reset.obsCode).toBe('NetworkError');
    expect(own(reset.config)).toEqual([7, validateStatus]);
    // The adapter's own error (the cause) holds the config it was lent: given back too.
    expect(own((reset.cause as { config?: InternalAxiosRequestConfig } | undefined)?.config)).toEqual([7, validateStatus]);
  });

  it('stops axios from following 3xx itself, so the redirect policy sees every 301/307', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ redirect: 307, location: `${server.url}/photos/moved.txt` });
    server.putObject('photos', 'moved.txt', Buffer.from('here'));
    const response = await client.get('/photos/orig.txt');
    expect(response.data).toBe('here');
    expect(namesOf(events)).toEqual(['redirect']);
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
    const error = await rejectionOf(client.get('/photos/a', { obs: false }));
    expect(server.requests).toHaveLength(1);
    expect(isObsError(error)).toBe(false);
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error).toMatchObject({ status: 503, response: { status: 503 } });
  });

  it('fails at attachObsPolicies on unknown option names or invalid values', () => {
    const client = bareClient();
    expect(() => attachObsPolicies(client, { retry: { retires: 3 } } as never)).toThrow(/unknown option "options.retry.retires"/);
    expect(() => attachObsPolicies(client, { policies: { SlowDown: 'again' } } as never)).toThrow(/options.policies.SlowDown/);
  });

  it('rejects a call whose obs options are invalid with a clear error, sending nothing', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    const error = await rejectionOf(client.get('/photos/a', { obs: { retry: { retries: -2 } } }));
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/obs\.retry\.retries/);
    expect(server.requests).toHaveLength(0);
  });
});
