/**
 * Streamed downloads through the policies (`responseType: 'stream'`), on both
 * adapters: a body that the server resets or stalls mid-way is resumed from the
 * byte it stopped at (`Range` + `If-Match`), and the caller's stream carries
 * every byte once, in order; a `resume` event is emitted for each resume and it
 * counts as a retry of the call. An object replaced meanwhile ends the stream
 * with the 412 as an `ObsError`, never with a mix of two versions; a call out of
 * retries ends it with the error that broke it.
 */
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { isObsError } from '../../src/index.js';
import { ADAPTER, FAST, policyClient, recordEvents, startServer } from '../support/harness.js';
import { patterned } from '../support/patterned-bytes.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads the body the caller got (a Node stream on the http adapter, a WHATWG stream on fetch) to its end. */
async function readAll(body: unknown): Promise<Buffer> {
  const stream = body instanceof ReadableStream ? Readable.fromWeb(body as never) : (body as Readable);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Reads the body to its end or its error; the error is returned, not thrown. */
async function readUntilError(body: unknown): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  try {
    const stream = body instanceof ReadableStream ? Readable.fromWeb(body as never) : (body as Readable);
    for await (const chunk of stream) bytes += (chunk as Uint8Array).byteLength;
    return { bytes, error: undefined };
  } catch (error) {
    return { bytes, error };
  }
}

const SIZE = 3 * 1024 * 1024;

describe(`streamed downloads resume (${String(ADAPTER)} adapter)`, () => {
  it('resumes a body reset mid-way, twice, and delivers every byte once', async () => {
    const server = await startServer();
    const object = patterned(SIZE, 7);
    server.putObject('photos', 'big.bin', object);
    server.enqueue({ ok: true, resetAfterBytes: 700_000 }, { ok: true, resetAfterBytes: 900_000 });
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    const response = await client.get('/photos/big.bin', { responseType: 'stream' });
    const bytes = await readAll(response.data);
    expect(bytes.length).toBe(SIZE);
    expect(sha256(bytes)).toBe(sha256(object));
    const resumes = events.filter(([name]) => name === 'resume').map(([, payload]) => payload as { attempt: number; reason: string; receivedBytes: number });
    expect(resumes.map((r) => [r.attempt, r.reason])).toEqual([
      [1, 'reset'],
      [2, 'reset'],
    ]);
    // The resumed reads asked for the rest of the same version.
    const ranged = server.requests.slice(1);
    expect(ranged).toHaveLength(2);
    const etag = server.requests[0]?.headers['if-match'];
    expect(etag).toBeUndefined();
    for (const [index, request] of ranged.entries()) {
      expect(request.headers.range).toBe(`bytes=${String(resumes[index]?.receivedBytes)}-`);
      expect(request.headers['if-match']).toMatch(/^"/);
    }
  });

  it('resumes a body that stalls, after bodyIdleTimeoutMs', async () => {
    const server = await startServer();
    const object = patterned(SIZE, 11);
    server.putObject('photos', 'stall.bin', object);
    server.enqueue({ ok: true, stallAfterBytes: 500_000 });
    const { client, handle } = policyClient(server.url, { ...FAST, bodyIdleTimeoutMs: 200 });
    const events = recordEvents(handle);
    const response = await client.get('/photos/stall.bin', { responseType: 'stream' });
    const bytes = await readAll(response.data);
    expect(sha256(bytes)).toBe(sha256(object));
    expect(events.filter(([name]) => name === 'resume').map(([, p]) => (p as { reason: string }).reason)).toEqual(['stall']);
  });

  it('ends the stream with a 412 ObsError when the object changed meanwhile: never a mix of two versions', async () => {
    const server = await startServer();
    const object = patterned(SIZE, 3);
    server.putObject('photos', 'changing.bin', object);
    server.enqueue({ ok: true, resetAfterBytes: 600_000, replaceWith: patterned(SIZE, 4) });
    const { client } = policyClient(server.url);
    const response = await client.get('/photos/changing.bin', { responseType: 'stream' });
    const { bytes, error } = await readUntilError(response.data);
    expect(bytes).toBeLessThan(SIZE);
    expect(isObsError(error)).toBe(true);
    expect(isObsError(error) ? [error.status, error.obsCode] : []).toEqual([412, 'PreconditionFailed']);
  });

  it('a call out of retries ends the stream with the error that broke it: no resume', async () => {
    const server = await startServer();
    server.putObject('photos', 'once.bin', patterned(SIZE, 5));
    server.enqueue({ ok: true, resetAfterBytes: 400_000 });
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 0 } });
    const events = recordEvents(handle);
    const response = await client.get('/photos/once.bin', { responseType: 'stream' });
    const { bytes, error } = await readUntilError(response.data);
    expect(bytes).toBeLessThan(SIZE);
    expect(error).toBeDefined();
    expect(events.filter(([name]) => name === 'resume')).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});
