import { describe, expect, it } from '@jest/globals';
import axios, { type AxiosResponse, type ResponseType } from 'axios';
import { Readable } from 'node:stream';
import { isObsError } from '../../src/index.js';
import { ADAPTER, bareClient, FAST, namesOf, obsRejection, policyClient, recordEvents, rejectionOf, startServer } from '../support/harness.js';

/**
 * Every responseType axios 1.x takes ('document' is a browser's; in Node both adapters give text).
 * 'formdata' is in its own test below: the fetch adapter cannot decode an OBS answer as FormData.
 */
const RESPONSE_TYPES: readonly ResponseType[] = ['json', 'text', 'arraybuffer', 'blob', 'stream', 'document'];

/** What kind of value `data` is: its class, or its typeof. */
function kindOf(data: unknown): string {
  if (data === null || typeof data !== 'object') return typeof data;
  return data.constructor.name;
}

/** Frees the connection of a stream the test does not read. */
async function release(response: AxiosResponse): Promise<void> {
  const data: unknown = response.data;
  if (data instanceof ReadableStream) await data.cancel();
  else if (data instanceof Readable) data.destroy();
}

describe(`every responseType is classified by its OBS code (${String(ADAPTER)} adapter)`, () => {
  it.each(RESPONSE_TYPES)('%s: 404 NoSuchKey fails fast with its code', async (responseType) => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, FAST);
    const events = recordEvents(handle);
    const error = await obsRejection(client.get('/photos/missing.jpg', { responseType }));
    expect(error).toMatchObject({ obsCode: 'NoSuchKey', status: 404, action: 'fail', attempts: 1 });
    expect(error.hint).toBeDefined();
    expect(namesOf(events)).toEqual(['failFast']);
  });

  it.each(RESPONSE_TYPES)('%s: 503 SlowDown is retried as throttling, with its code', async (responseType) => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, FAST);
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown', times: 10 });
    const error = await obsRejection(client.get('/photos/missing.jpg', { responseType, obs: { retry: { retries: 1 } } }));
    expect(error).toMatchObject({ obsCode: 'SlowDown', status: 503, attempts: 2 });
    expect(namesOf(events)).toEqual(['retry', 'giveUp']);
  });

  it.each(RESPONSE_TYPES)('%s: a success gives the data axios gives without the policies', async (responseType) => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'hello');
    const bare = await bareClient(server.url).get<unknown>('/photos/a.txt', { responseType });
    const { client } = policyClient(server.url, FAST);
    const withPolicies = await client.get<unknown>('/photos/a.txt', { responseType });
    if (responseType === 'stream' && bare.data instanceof Readable) {
      // A streamed GET's body is made resumable: a Node Readable of the same bytes (no longer the IncomingMessage itself).
      expect(withPolicies.data).toBeInstanceOf(Readable);
    } else {
      expect(kindOf(withPolicies.data)).toBe(kindOf(bare.data));
    }
    await Promise.all([release(bare), release(withPolicies)]);
  });

  it('blob: the caller gets the error body back as a Blob of the same bytes', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, FAST);
    const bare = await rejectionOf(bareClient(server.url).get('/photos/missing.jpg', { responseType: 'blob' }));
    const error = await obsRejection(client.get('/photos/missing.jpg', { responseType: 'blob' }));
    const bareData: unknown = axios.isAxiosError(bare) ? bare.response?.data : undefined;
    const data: unknown = error.response?.data;
    expect(kindOf(data)).toBe(kindOf(bareData));
    const text = data instanceof Blob ? await data.text() : String(data);
    expect(text).toContain('<Code>NoSuchKey</Code>');
  });

  it('formdata: handled as axios handles it without the policies, never retried or counted', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'hello');
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: { volumeThreshold: 2, errorThresholdPercentage: 50 } });
    const events = recordEvents(handle);
    if (ADAPTER === 'fetch') {
      // The fetch adapter decodes every answer with Response.formData(), which refuses XML and the
      // object's text/plain alike: axios's own error, with the answer (and its OBS code) gone.
      // a.txt answers 503 SlowDown to the bare client and to the policy client once each.
      server.enqueue({ error: 'SlowDown', times: 2, match: { path: '/photos/a.txt' } });
      for (const path of ['/photos/missing.jpg', '/photos/a.txt', '/photos/missing.jpg']) {
        const bare = await rejectionOf(bareClient(server.url).get(path, { responseType: 'formdata' }));
        const error = await rejectionOf(client.get(path, { responseType: 'formdata' }));
        expect(isObsError(error)).toBe(false);
        expect(error).toMatchObject({ name: 'TypeError', message: (bare as Error).message });
      }
      expect(handle.breakerState(new URL(server.url).origin)).toBe('closed');
      expect(namesOf(events)).toEqual([]);
    } else {
      // The http adapter gives text for any responseType but arraybuffer and stream.
      await expect(client.get('/photos/missing.jpg', { responseType: 'formdata' })).rejects.toMatchObject({ obsCode: 'NoSuchKey' });
      expect(kindOf((await client.get<unknown>('/photos/a.txt', { responseType: 'formdata' })).data)).toBe('string');
    }
  });
});
