import { describe, expect, it } from '@jest/globals';
import axios from 'axios';
import { Readable } from 'node:stream';
import { isObsError, type ObsPolicyOptions } from '../../src/index.js';
import { ADAPTER, FAST, namesOf, policyClient, recordEvents, rejectionOf, startServer } from '../support/harness.js';

/** A breaker that would open after two counted failures (so one that stays closed counted none). */
const TRIP: ObsPolicyOptions = { ...FAST, breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, rollingWindowMs: 60_000 } };
const CALLS = 10;

/** The shape of axios's own error, as the caller would get it without the policies. */
function expectAxiosOwn(error: unknown, code: string, message: RegExp): void {
  expect(isObsError(error)).toBe(false);
  expect(axios.isAxiosError(error)).toBe(true);
  expect(error).toMatchObject({ code, message: expect.stringMatching(message) as unknown });
  expect((error as { response?: unknown }).response).toBeUndefined();
}

describe(`axios's own local errors (${String(ADAPTER)} adapter)`, () => {
  it('hands back a body over maxBodyLength once: nothing sent, no retry, the breaker stays closed', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, TRIP);
    const events = recordEvents(handle);
    for (let i = 0; i < CALLS; i++) {
      const error = await rejectionOf(client.put('/photos/big.bin', Buffer.alloc(2000, 1), { maxBodyLength: 1000 }));
      expectAxiosOwn(error, 'ERR_BAD_REQUEST', /^Request body larger than maxBodyLength limit$/);
    }
    // Both adapters check a body of known size before sending.
    expect(server.requests).toHaveLength(0);
    expect(namesOf(events)).toEqual([]);
    expect(handle.breakerState(new URL(server.url).origin)).toBe('closed');
    // The endpoint is healthy for everyone else.
    await expect(client.put('/photos/small.bin', Buffer.alloc(10, 1))).resolves.toMatchObject({ status: 200 });
  });

  it('hands back a stream body over maxBodyLength once, without a retry', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, TRIP);
    const events = recordEvents(handle);
    for (let i = 0; i < 3; i++) {
      const body = Readable.from([Buffer.alloc(800, 1), Buffer.alloc(800, 2)]);
      const error = await rejectionOf(client.put('/photos/big.bin', body, { maxBodyLength: 1000, headers: { 'content-type': 'application/octet-stream' } }));
      expectAxiosOwn(error, 'ERR_BAD_REQUEST', /^Request body larger than maxBodyLength limit$/);
    }
    // The http adapter may have sent the head and the first chunk, but no request was ever complete.
    expect(server.requests).toHaveLength(0);
    expect(namesOf(events)).toEqual([]);
    expect(handle.breakerState(new URL(server.url).origin)).toBe('closed');
  });

  it('hands back an answer over maxContentLength once: one request each, no retry, the breaker stays closed', async () => {
    const server = await startServer();
    server.putObject('photos', 'big.txt', 'x'.repeat(2000));
    const { client, handle } = policyClient(server.url, TRIP);
    const events = recordEvents(handle);
    for (let i = 0; i < CALLS; i++) {
      const error = await rejectionOf(client.get('/photos/big.txt', { maxContentLength: 100 }));
      expectAxiosOwn(error, 'ERR_BAD_RESPONSE', /^maxContentLength size of 100 exceeded$/);
    }
    expect(server.requests).toHaveLength(CALLS);
    expect(namesOf(events)).toEqual([]);
    expect(handle.breakerState(new URL(server.url).origin)).toBe('closed');
    await expect(client.get('/photos/big.txt')).resolves.toMatchObject({ status: 200 });
  });

  it('hands back an unsupported protocol once, whatever code the adapter gives it', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, TRIP);
    const events = recordEvents(handle);
    const error = await rejectionOf(client.get('ftp://127.0.0.1/photos/a'));
    expect(isObsError(error)).toBe(false);
    expect(axios.isAxiosError(error)).toBe(true);
    // http: ERR_BAD_REQUEST "Unsupported protocol ftp:"; fetch: ERR_NETWORK (undici's "unknown scheme").
    expect((error as { code?: string }).code).toBe(ADAPTER === 'fetch' ? 'ERR_NETWORK' : 'ERR_BAD_REQUEST');
    expect(namesOf(events)).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});
