/**
 * End to end, on both adapters: the local server answers with codes named
 * like `Object.prototype` members, and the policies treat each as an unknown
 * code. A 503 with one is throttling like any 503 (retried by the `HTTP_503`
 * entry, its `Retry-After` pauses the endpoint), and the error of its `retry`
 * event has a string `kind`; a 404 `<Code>__proto__</Code>` fails fast.
 */
import { describe, expect, it } from '@jest/globals';
import type { RateChangeEvent, RetryEvent } from '../../src/index.js';
import { FAST, obsRejection, policyClient, startServer } from '../support/harness.js';

/** Every name `Object.prototype` answers to, plus `__proto__`. */
const PROTO_NAMES: readonly string[] = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

describe('codes named like Object.prototype members, from the local server', () => {
  it.each(PROTO_NAMES)('a 503 with the code %s is retried as throttling, and err.kind is a string', async (name) => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url, FAST);
    const retries: RetryEvent[] = [];
    const paces: RateChangeEvent[] = [];
    handle.on('retry', (event) => retries.push(event));
    handle.on('rateChange', (event) => paces.push(event));
    server.enqueue({ error: name, status: 503, retryAfter: 1 });
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
    expect(server.requests).toHaveLength(2);
    expect(retries).toHaveLength(1);
    const error = retries[0]?.error;
    expect(typeof error?.kind).toBe('string');
    expect(error).toMatchObject({ obsCode: name, status: 503, kind: 'throttled', action: 'retry' });
    // Throttling: the Retry-After paused the endpoint.
    expect(paces.map((event) => event.cause)).toContain('retryAfter');
  });

  it('a 404 with <Code>__proto__</Code> fails fast like any unknown 4xx', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, FAST);
    server.enqueue({ error: '__proto__', status: 404 });
    const error = await obsRejection(client.get('/photos/a.txt'));
    expect(typeof error.kind).toBe('string');
    expect(error).toMatchObject({ obsCode: '__proto__', status: 404, kind: 'client', action: 'fail', attempts: 1, hint: undefined });
    expect(server.requests).toHaveLength(1);
  });
});
