/**
 * Resumable streamed GETs against the local OBS server, on both kinds of body:
 * a Node `Readable` (axios's http adapter) and a WHATWG `ReadableStream` (its
 * fetch adapter). The engine's side is played by a minimal range requester
 * and an allowance that counts; the caller's side reads the stream and hashes
 * what it gets.
 */
import { describe, expect, it } from '@jest/globals';
import axios, { type AxiosInstance } from 'axios';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObsTestServer } from '../../src/testing/index.js';
import { ResumableBodyError } from '../../src/transport/resume-error.js';
import { resumableBody, type RangeCall, type ResponseLike, type ResumableBodyOptions, type ResumeAsk } from '../../src/transport/resumable-body.js';
import { deferred, startServer, until } from '../support/harness.js';
import { transportConfig } from '../support/transport.js';
import { patterned } from '../support/patterned-bytes.js';

const KINDS = [
  ['node', 'http'],
  ['web', 'fetch'],
] as const;

const SIZE = 3 * 1024 * 1024 + 11;
const PATH = '/b/big.bin';

const OBJECT = patterned(SIZE, 1);

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What the caller got: every byte delivered, and the error that ended the stream (if one did). */
interface Delivered {
  bytes: Buffer;
  error: unknown;
}

/** A read of the caller's stream in progress: what it comes to, and a way to leave early. */
interface Consumer {
  /** Every byte delivered, and the error that ended the stream (if one did). */
  done: Promise<Delivered>;
  /** Destroys (Node) or cancels (WHATWG) the stream, as a caller that stops reading does. */
  stop: () => void;
}

/** Reads the caller's stream to its end (or error); `stopAfter`: leave once that many bytes arrived. */
function consume(stream: unknown, stopAfter?: number): Consumer {
  const chunks: Buffer[] = [];
  let size = 0;
  const took = (chunk: Uint8Array): boolean => {
    chunks.push(Buffer.from(chunk));
    size += chunk.length;
    return stopAfter !== undefined && size >= stopAfter;
  };
  const delivered = (error: unknown): Delivered => ({ bytes: Buffer.concat(chunks), error });
  if (stream instanceof Readable) {
    const done = (async (): Promise<Delivered> => {
      try {
        for await (const chunk of stream) {
          if (took(chunk as Buffer)) break;
        }
      } catch (error) {
        return delivered(error);
      }
      return delivered(undefined);
    })();
    return { done, stop: () => stream.destroy() };
  }
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  const done = (async (): Promise<Delivered> => {
    try {
      for (;;) {
        const { done: ended, value } = await reader.read();
        if (ended) break;
        if (took(value)) {
          await reader.cancel();
          break;
        }
      }
    } catch (error) {
      return delivered(error);
    }
    return delivered(undefined);
  })();
  return { done, stop: () => void reader.cancel().catch(() => undefined) };
}

/** Reads the caller's stream to its end (or error), or until `stopAfter` bytes. */
function readAll(stream: unknown, stopAfter?: number): Promise<Delivered> {
  return consume(stream, stopAfter).done;
}

interface Rig {
  server: ObsTestServer;
  client: AxiosInstance;
  asks: ResumeAsk[];
  ranges: RangeCall[];
  /** Starts the download and wraps its body. */
  download: (options?: Partial<ResumableBodyOptions>, headers?: Record<string, string>) => Promise<unknown>;
}

async function rig(adapter: 'http' | 'fetch'): Promise<Rig> {
  const server = await startServer({ buckets: [] });
  server.putObject('b', 'big.bin', OBJECT);
  const client = axios.create({ baseURL: server.url, ...transportConfig(adapter), validateStatus: () => true, responseType: 'stream', proxy: false });
  const asks: ResumeAsk[] = [];
  const ranges: RangeCall[] = [];
  const requestRange = (range: RangeCall): Promise<ResponseLike> => {
    ranges.push(range);
    return client.get(PATH, { headers: range.headers, signal: range.signal });
  };
  const allowResume = (ask: ResumeAsk): boolean => {
    asks.push(ask);
    return true;
  };
  return {
    server,
    client,
    asks,
    ranges,
    download: async (options = {}, headers = {}) => {
      const first = await client.get(PATH, { headers });
      return resumableBody(first, { requestRange, allowResume, bodyIdleTimeoutMs: 30_000, ...options });
    },
  };
}

/** True when `bytes` is the start of `object`: nothing spliced from another version. */
function isPrefixOf(bytes: Buffer, object: Buffer): boolean {
  return bytes.length <= object.length && bytes.equals(object.subarray(0, bytes.length));
}

describe.each(KINDS)('resumable body (%s stream, %s adapter)', (kind, adapter) => {
  it('hands back the kind of stream the adapter gave', async () => {
    const { download } = await rig(adapter);
    const body = await download();
    expect(body instanceof Readable ? 'node' : body instanceof ReadableStream ? 'web' : 'other').toBe(kind);
    expect(sha256((await readAll(body)).bytes)).toBe(sha256(OBJECT));
  });

  it('resumes through resets at several offsets, byte for byte, with Range and If-Match', async () => {
    const { server, download, asks, ranges } = await rig(adapter);
    const cuts = [1, 700_000, 65_536, 1_000_000];
    server.enqueue(...cuts.map((resetAfterBytes) => ({ ok: true as const, resetAfterBytes, match: { path: PATH } })));
    const delivered = await readAll(await download());
    expect(delivered.error).toBeUndefined();
    expect(sha256(delivered.bytes)).toBe(sha256(OBJECT));
    expect(server.requests.map((r) => r.response)).toEqual([
      { status: 200, cut: 'reset' },
      { status: 206, cut: 'reset' },
      { status: 206, cut: 'reset' },
      { status: 206, cut: 'reset' },
      { status: 206 },
    ]);
    // Each resume starts where the caller's bytes end, at most where the server's writing stopped.
    let written = 0;
    for (const [i, range] of ranges.entries()) {
      written += server.requests[i]?.bodyBytes ?? 0;
      expect(range.start).toBe(asks[i]?.receivedBytes);
      expect(range.start).toBeLessThanOrEqual(written);
      expect(server.requests[i + 1]?.headers).toMatchObject({ range: `bytes=${String(range.start)}-`, 'if-match': range.etag });
    }
    expect(asks.map((ask) => [ask.reason, ask.resume, ask.totalBytes])).toEqual(cuts.map((_, i) => ['reset', i + 1, SIZE]));
  });

  it('resumes a stalled body once the idle timeout fires (the server stalls for good)', async () => {
    const { server, download, asks } = await rig(adapter);
    server.enqueue({ ok: true, stallAfterBytes: 500_000, match: { path: PATH } });
    const delivered = await readAll(await download({ bodyIdleTimeoutMs: 100 }));
    expect([delivered.error, sha256(delivered.bytes)]).toEqual([undefined, sha256(OBJECT)]);
    expect(asks).toHaveLength(1);
    expect(asks[0]).toMatchObject({ reason: 'stall', receivedBytes: 500_000, error: expect.objectContaining({ code: 'BodyStalled' }) });
    expect(server.requests.map((r) => r.response)).toEqual([{ status: 200, cut: 'stall' }, { status: 206 }]);
  });

  it('resumes a ranged first answer with a bounded range', async () => {
    const { server, download, ranges } = await rig(adapter);
    server.enqueue({ ok: true, resetAfterBytes: 300_000, match: { path: PATH } });
    const delivered = await readAll(await download({}, { Range: 'bytes=1000-1999999' }));
    expect(delivered.bytes.equals(OBJECT.subarray(1000, 2_000_000))).toBe(true);
    expect(server.requests[1]?.headers.range).toBe(`bytes=${String(ranges[0]?.start)}-1999999`);
  });

  it('ends with PreconditionFailed, never a mix, when the object changed meanwhile', async () => {
    const { server, download } = await rig(adapter);
    server.enqueue({ ok: true, resetAfterBytes: 400_000, replaceWith: patterned(SIZE, 2), match: { path: PATH } });
    const delivered = await readAll(await download());
    expect(delivered.error).toBeInstanceOf(ResumableBodyError);
    expect(delivered.error).toMatchObject({ code: 'PreconditionFailed', obsCode: 'PreconditionFailed', status: 412, resumes: 1 });
    expect(isPrefixOf(delivered.bytes, OBJECT)).toBe(true);
    expect(server.requests.map((r) => r.response)).toEqual([
      { status: 200, cut: 'reset' },
      { status: 412, code: 'PreconditionFailed' },
    ]);
  });

  it('ends with an error when a resumed read is answered with the whole object (200)', async () => {
    const { server, download } = await rig(adapter);
    const etag = `"${createHash('md5').update(OBJECT).digest('hex')}"`;
    server.enqueue({ ok: true, resetAfterBytes: 100_000, match: { path: PATH } }, { status: 200, body: OBJECT, headers: { etag } });
    const delivered = await readAll(await download());
    expect(delivered.error).toMatchObject({ code: 'RangeNotHonoured', status: 200 });
    expect(isPrefixOf(delivered.bytes, OBJECT)).toBe(true);
    expect(delivered.bytes.length).toBeLessThanOrEqual(100_000);
  });

  it('ends with an error when a resumed read answers another range', async () => {
    const { server, download } = await rig(adapter);
    server.enqueue(
      { ok: true, resetAfterBytes: 100_000, match: { path: PATH } },
      { status: 206, body: OBJECT.subarray(0, 10), headers: { 'content-range': `bytes 0-9/${String(SIZE)}` } },
    );
    const delivered = await readAll(await download());
    expect(delivered.error).toMatchObject({ code: 'RangeMismatch' });
    expect(isPrefixOf(delivered.bytes, OBJECT)).toBe(true);
  });

  it('ends with the error that broke the body when the allowance says no', async () => {
    const { server, download } = await rig(adapter);
    server.enqueue({ ok: true, resetAfterBytes: 100_000, match: { path: PATH } });
    const seen: unknown[] = [];
    const delivered = await readAll(
      await download({
        allowResume: (ask) => {
          seen.push(ask.error);
          return false;
        },
      }),
    );
    expect(seen).toHaveLength(1);
    expect(delivered.error).toBe(seen[0]);
    expect(delivered.error).not.toBeInstanceOf(ResumableBodyError);
    expect(server.requests).toHaveLength(1);
  });

  it('ends with the range requester’s rejection (the engine gave up)', async () => {
    const { server, download } = await rig(adapter);
    server.enqueue({ ok: true, resetAfterBytes: 100_000, match: { path: PATH } });
    const givenUp = new Error('retries exhausted');
    const delivered = await readAll(await download({ requestRange: () => Promise.reject(givenUp) }));
    expect(delivered.error).toBe(givenUp);
  });

  it('sends nothing more once the caller destroys the stream while the allowance is pending', async () => {
    const { server, download, ranges } = await rig(adapter);
    server.enqueue({ ok: true, resetAfterBytes: 100_000, match: { path: PATH } });
    const allowance = deferred<boolean>();
    const asked = deferred();
    const body = await download({
      allowResume: () => {
        asked.resolve();
        return allowance.promise;
      },
    });
    const reading = consume(body);
    await asked.promise;
    reading.stop();
    allowance.resolve(true);
    await reading.done;
    // The allowance's answer is heard and nothing follows it.
    await new Promise((resolve) => setImmediate(resolve));
    expect([ranges.length, server.requests.length]).toEqual([0, 1]);
  });

  it('aborts a resumed read in flight when the caller destroys the stream', async () => {
    const { server, download, ranges } = await rig(adapter);
    server.enqueue({ ok: true, resetAfterBytes: 100_000, match: { path: PATH } }, { hang: true, match: { path: PATH } });
    const settled: unknown[] = [];
    const body = await download({
      requestRange: (range) => {
        ranges.push(range);
        const answer = axios.create({ ...transportConfig(adapter), responseType: 'stream', validateStatus: () => true }).get(`${server.url}${PATH}`, {
          headers: range.headers,
          signal: range.signal,
        });
        answer.catch((error: unknown) => settled.push(error));
        return answer;
      },
    });
    const reading = consume(body);
    await until(() => server.requests.length === 2, { what: 'the resumed read' });
    reading.stop();
    await reading.done;
    await until(() => settled.length === 1, { what: 'the aborted read' });
    expect([ranges[0]?.signal.aborted, axios.isCancel(settled[0])]).toEqual([true, true]);
    expect(server.requests).toHaveLength(2);
  });

  it('stops reading and releases the connection when the caller leaves mid-body', async () => {
    const { server, download, ranges } = await rig(adapter);
    const delivered = await readAll(await download(), 200_000);
    expect([delivered.error, isPrefixOf(delivered.bytes, OBJECT)]).toEqual([undefined, true]);
    expect(ranges).toHaveLength(0);
    // The server wrote some of the body and no more: the client is gone.
    await until(() => (server.requests[0]?.bodyBytes ?? 0) > 0);
    expect(server.requests).toHaveLength(1);
  });

  it('without an ETag it cannot resume: a stall ends the body with BodyStalled, a reset with its own error', async () => {
    const { server, client, asks } = await rig(adapter);
    server.enqueue({ ok: true, stallAfterBytes: 50_000, match: { path: PATH } }, { ok: true, resetAfterBytes: 50_000, match: { path: PATH } });
    const options: ResumableBodyOptions = { requestRange: () => Promise.reject(new Error('not called')), allowResume: () => true, bodyIdleTimeoutMs: 50 };
    const withoutEtag = async (): Promise<unknown> => {
      const first = await client.get(PATH);
      return resumableBody({ status: first.status, headers: { 'content-length': String(SIZE) }, data: first.data }, options);
    };
    const stalled = await readAll(await withoutEtag());
    expect(stalled.error).toMatchObject({ code: 'BodyStalled', receivedBytes: 50_000, totalBytes: undefined });
    const broken = await readAll(await withoutEtag());
    expect(broken.error).toBeDefined();
    expect(broken.error).not.toBeInstanceOf(ResumableBodyError);
    expect([asks.length, server.requests.length]).toEqual([0, 2]);
  });
});
