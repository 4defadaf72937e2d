/**
 * Partial and conditional reads of the local OBS server (Range → 206/416,
 * If-Match → 412), bodies cut mid-way by scripted faults (reset, stall), an
 * object replaced while it is being read, and the body bytes each answer wrote.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { parseObsError } from '../../src/index.js';
import { byteRangeOf, ifMatchPasses } from '../../src/testing/range-request.js';
import { rawClient, startServer, until } from '../support/harness.js';
import { patterned } from '../support/patterned-bytes.js';

/** What a bare `http.get` saw of an answer: head, body bytes, and how it ended. */
interface Seen {
  status: number | undefined;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ended: 'end' | 'error' | undefined;
  errorCode: string | undefined;
}

function bareGet(url: string, headers: Record<string, string> = {}): { seen: Seen; done: Promise<Seen>; request: http.ClientRequest } {
  const seen: Seen = { status: undefined, headers: {}, body: Buffer.alloc(0), ended: undefined, errorCode: undefined };
  const chunks: Buffer[] = [];
  let settle: (value: Seen) => void = () => undefined;
  const done = new Promise<Seen>((resolve) => {
    settle = resolve;
  });
  const finish = (how: 'end' | 'error', error?: NodeJS.ErrnoException): void => {
    if (seen.ended !== undefined) return;
    seen.ended = how;
    seen.errorCode = error?.code;
    seen.body = Buffer.concat(chunks);
    settle(seen);
  };
  const request = http.get(url, { headers, agent: false }, (res) => {
    seen.status = res.statusCode;
    seen.headers = res.headers;
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      seen.body = Buffer.concat(chunks);
    });
    res.on('error', (error) => {
      finish('error', error);
    });
    res.on('end', () => {
      finish('end');
    });
  });
  request.on('error', (error) => {
    finish('error', error);
  });
  return { seen, done, request };
}

describe('local OBS server: Range and If-Match', () => {
  it('answers a single range with 206 and Content-Range, the whole object without one', async () => {
    const server = await startServer({ buckets: [] });
    const object = patterned(1000, 1);
    server.putObject('b', 'k', object);
    const obs = rawClient(server.url, { responseType: 'arraybuffer' });
    const whole = await obs.get<ArrayBuffer>('/b/k');
    expect([whole.status, whole.headers['accept-ranges'], Buffer.from(whole.data).equals(object)]).toEqual([200, 'bytes', true]);
    const cases: [string, number, number][] = [
      ['bytes=100-199', 100, 199],
      ['bytes=900-', 900, 999],
      ['bytes=-10', 990, 999],
      ['bytes=990-5000', 990, 999],
    ];
    for (const [range, start, end] of cases) {
      const part = await obs.get<ArrayBuffer>('/b/k', { headers: { Range: range } });
      expect([part.status, part.headers['content-range'], part.headers['content-length'], part.headers.etag]).toEqual([
        206,
        `bytes ${String(start)}-${String(end)}/1000`,
        String(end - start + 1),
        whole.headers.etag,
      ]);
      expect(Buffer.from(part.data).equals(object.subarray(start, end + 1))).toBe(true);
    }
  });

  it('answers 416 InvalidRange past the end, and ignores ranges it does not model', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', patterned(10, 1));
    const obs = rawClient(server.url);
    const past = await obs.get<string>('/b/k', { headers: { Range: 'bytes=10-' } });
    expect([past.status, past.headers['content-range'], parseObsError(past.data)?.code]).toEqual([416, 'bytes */10', 'InvalidRange']);
    for (const range of ['bytes=0-1,4-5', 'items=0-1', 'bytes=5-2', 'bytes=-']) {
      expect((await obs.get('/b/k', { headers: { Range: range } })).status).toBe(200);
    }
  });

  it('answers 412 PreconditionFailed when If-Match names another ETag, before reading any range', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'version one');
    const obs = rawClient(server.url);
    const etag = String((await obs.head('/b/k')).headers.etag);
    expect((await obs.get('/b/k', { headers: { 'If-Match': etag, Range: 'bytes=0-6' } })).status).toBe(206);
    expect((await obs.get('/b/k', { headers: { 'If-Match': `"other", ${etag}` } })).status).toBe(200);
    expect((await obs.get('/b/k', { headers: { 'If-Match': '*' } })).status).toBe(200);
    const refused = await obs.get<string>('/b/k', { headers: { 'If-Match': '"0123"', Range: 'bytes=99-' } });
    expect([refused.status, parseObsError(refused.data)?.code]).toEqual([412, 'PreconditionFailed']);
    expect((await obs.get('/b/k', { headers: { 'If-Match': `W/${etag}` } })).status).toBe(412);
    expect((await obs.head('/b/k', { headers: { 'If-Match': '"0123"' } })).status).toBe(412);
  });

  it('reads Range as RFC 9110 says, for any size (property)', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(20_000), fc.option(fc.nat(20_000), { nil: undefined }), (size, first, last) => {
        const header = `bytes=${String(first)}-${last === undefined ? '' : String(last)}`;
        const verdict = byteRangeOf(header, size);
        if (last !== undefined && last < first) return verdict === undefined;
        if (first >= size) return verdict === 'unsatisfiable';
        return typeof verdict === 'object' && verdict.start === first && verdict.end === Math.min(last ?? size - 1, size - 1);
      }),
    );
    expect([ifMatchPasses(undefined, '"a"'), ifMatchPasses(' "b" ,"a"', '"a"'), ifMatchPasses('W/"a"', '"a"')]).toEqual([true, true, false]);
  });
});

describe('local OBS server: bodies cut mid-way', () => {
  it('resets the connection after the given body bytes, with the real head', async () => {
    const server = await startServer({ buckets: [] });
    const object = patterned(3 * 1024 * 1024, 1);
    server.putObject('b', 'k', object);
    server.enqueue({ ok: true, resetAfterBytes: 1_000_000 });
    const { done } = bareGet(`${server.url}/b/k`);
    const seen = await done;
    expect([seen.status, seen.headers['content-length'], seen.ended, seen.errorCode]).toEqual([200, String(object.length), 'error', 'ECONNRESET']);
    // What arrived is the object's start; a reset may drop what was still in flight.
    expect(seen.body.length).toBeLessThanOrEqual(1_000_000);
    expect(seen.body.equals(object.subarray(0, seen.body.length))).toBe(true);
    expect([server.requests[0]?.response, server.requests[0]?.bodyBytes]).toEqual([{ status: 200, cut: 'reset' }, 1_000_000]);
  });

  it('stalls after the given body bytes, keeping the connection open until the client leaves', async () => {
    const server = await startServer({ buckets: [] });
    const object = patterned(200_000, 1);
    server.putObject('b', 'k', object);
    server.enqueue({ ok: true, stallAfterBytes: 70_000 });
    const { seen, request } = bareGet(`${server.url}/b/k`, { Range: 'bytes=1000-' });
    await until(() => seen.body.length === 70_000, { what: 'the bytes before the stall' });
    expect([seen.status, seen.ended, server.requests[0]?.response]).toEqual([206, undefined, { status: 206, cut: 'stall' }]);
    expect(seen.body.equals(object.subarray(1000, 71_000))).toBe(true);
    request.destroy();
    // A stall at the end of the body is no cut: the answer completes.
    server.enqueue({ ok: true, stallAfterBytes: 200_000 });
    const whole = await bareGet(`${server.url}/b/k`).done;
    expect([whole.ended, whole.body.equals(object), server.requests[1]?.response]).toEqual(['end', true, { status: 200 }]);
  });

  it('leaves error answers whole: a cut applies to the object only', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    server.enqueue({ ok: true, resetAfterBytes: 0, match: { path: '/b/missing' } });
    const missing = await rawClient(server.url).get<string>('/b/missing');
    expect([missing.status, parseObsError(missing.data)?.code]).toEqual([404, 'NoSuchKey']);
  });

  it('writes a large body piece by piece and counts the bytes each answer wrote', async () => {
    const server = await startServer({ buckets: [] });
    const object = patterned(5 * 1024 * 1024 + 7, 1);
    server.putObject('b', 'k', object);
    const whole = await bareGet(`${server.url}/b/k`).done;
    const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
    expect([whole.ended, sha(whole.body)]).toEqual(['end', sha(object)]);
    await rawClient(server.url).head('/b/k');
    await rawClient(server.url).get('/b/k', { headers: { Range: 'bytes=0-9' } });
    expect(server.requests.map((r) => r.bodyBytes)).toEqual([object.length, undefined, 10]);
  });

  it('replaces the object once the head is out: the rest of the answer is the old version, later reads the new', async () => {
    const server = await startServer({ buckets: [] });
    const first = patterned(2 * 1024 * 1024, 1);
    const second = patterned(2 * 1024 * 1024, 2);
    server.putObject('b', 'k', first, 'application/x-test');
    server.enqueue({ ok: true, replaceWith: second });
    const old = await bareGet(`${server.url}/b/k`).done;
    expect(old.body.equals(first)).toBe(true);
    const etag = String(old.headers.etag);
    const later = await bareGet(`${server.url}/b/k`).done;
    expect([later.body.equals(second), later.headers.etag === etag, later.headers['content-type']]).toEqual([true, false, 'application/x-test']);
    expect((await bareGet(`${server.url}/b/k`, { 'If-Match': etag, Range: 'bytes=5-' }).done).status).toBe(412);
  });
});
