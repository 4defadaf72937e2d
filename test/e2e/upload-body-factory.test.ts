/**
 * Re-sendable uploads, on both adapters: a body factory (`obs: { body }`) makes
 * a fresh body for every request of the call, so a streamed upload from a file
 * goes through SlowDown, InternalError and a 307 to another allowed host and
 * arrives byte for byte; the factory is called once per request, every stream
 * it made is destroyed by the end of the call (the previous one as soon as the
 * next is made), and the signers sign a stream as `UNSIGNED-PAYLOAD` without
 * reading it. A factory that throws ends the call with its own error, nothing
 * sent. `Blob` bodies (`fs.openAsBlob`) are replayable as they are; a plain
 * stream `data` still is not. Upload progress says which request it belongs to.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AxiosProgressEvent } from 'axios';
import { createHash } from 'node:crypto';
import { createReadStream, openAsBlob, type ReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { obsSigner, sigV4Signer, type SignHook } from '../../src/sign/index.js';
import type { ObsTestServer } from '../../src/testing/index.js';
import {
  ADAPTER,
  FAST,
  TLS_CERT,
  namesOf,
  obsRejection,
  policyClient,
  reasonsOf,
  recordEvents,
  rejectionOf,
  startServer,
  startTlsServer,
} from '../support/harness.js';
import { patterned } from '../support/patterned-bytes.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const PAYLOAD = patterned(1024 * 1024 + 123, 11);
let dir = '';
let file = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'obs-upload-'));
  file = path.join(dir, 'payload.bin');
  await writeFile(file, PAYLOAD);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A factory of read streams of the payload file that keeps every stream it made. */
function fileStreams(): { made: ReadStream[]; body: () => ReadStream } {
  const made: ReadStream[] = [];
  return {
    made,
    body: () => {
      const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
      made.push(stream);
      return stream;
    },
  };
}

/** Two local servers, virtual-hosted: `a` answers the scripted failures and redirects to `b`, another allowed host. */
async function twoHosts(options: Parameters<typeof startServer>[0] = {}): Promise<{ a: ObsTestServer; b: ObsTestServer; aUrl: string; bUrl: string }> {
  const [a, b] = [await startServer(options), await startServer(options)];
  return { a, b, aUrl: `http://photos.obs.test:${String(a.port)}`, bUrl: `http://photos.obs.b-region.test:${String(b.port)}` };
}

const SLOWDOWN_XML = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>0001</RequestId></Error>';

describe('a body factory', () => {
  it('uploads a file stream through SlowDown, InternalError and a 307 to another host, byte for byte', async () => {
    const { a, b, aUrl, bUrl } = await twoHosts();
    const { client, handle } = policyClient(aUrl, { ...FAST, redirect: { allowHosts: ['.obs.b-region.test'] } });
    const events = recordEvents(handle);
    a.enqueue({ error: 'SlowDown' }, { error: 'InternalError' }, { redirect: 307, location: `${bUrl}/up/file.bin` });
    const streams = fileStreams();
    const response = await client.put('/up/file.bin', undefined, {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(PAYLOAD.length) },
      obs: { body: streams.body },
    });
    expect(response.status).toBe(200);
    expect(namesOf(events)).toEqual(['retry', 'retry', 'redirect']);
    // Every request carried the whole file, from a stream of its own; the target stored it.
    expect(streams.made).toHaveLength(4);
    expect([...a.requests, ...b.requests].map((r) => [r.method, r.body.length, sha256(r.body)])).toEqual(Array(4).fill(['PUT', PAYLOAD.length, sha256(PAYLOAD)]));
    expect(b.getObject('photos', 'up/file.bin')?.equals(PAYLOAD)).toBe(true);
    // Sent with the length the caller gave, not chunked, and with the caller's type.
    expect(b.requests[0]?.headers['content-length']).toBe(String(PAYLOAD.length));
    expect(b.requests[0]?.headers['transfer-encoding']).toBeUndefined();
    expect(b.requests[0]?.headers['content-type']).toBe('application/octet-stream');
    expect(streams.made.every((stream) => stream.destroyed)).toBe(true);
  });

  it('sends a stream without Content-Length chunked, without the form type axios gives a body-less PUT', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    server.enqueue({ error: 'SlowDown' });
    const streams = fileStreams();
    expect((await client.put('/photos/chunked.bin', undefined, { obs: { body: streams.body } })).status).toBe(200);
    expect(server.getObject('photos', 'chunked.bin')?.equals(PAYLOAD)).toBe(true);
    const last = server.requests[1];
    expect(last?.headers['transfer-encoding']).toBe('chunked');
    expect(last?.headers['content-type']).not.toBe('application/x-www-form-urlencoded');
  });

  it('sends whatever the factory makes: a Buffer, a string, a Blob, a web stream (fetch adapter)', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    const bodies: (() => unknown)[] = [() => PAYLOAD.subarray(0, 1000), () => 'text body', () => new Blob([new Uint8Array(PAYLOAD.subarray(0, 500))], { type: 'image/png' })];
    if (ADAPTER === 'fetch') bodies.push(() => Readable.toWeb(Readable.from([PAYLOAD.subarray(0, 700)])));
    for (const [index, make] of bodies.entries()) {
      server.enqueue({ error: 'SlowDown' });
      const response = await client.put(`/photos/kind-${String(index)}`, undefined, { obs: { body: make as () => string } });
      expect(response.status).toBe(200);
    }
    expect(server.getObject('photos', 'kind-0')?.equals(PAYLOAD.subarray(0, 1000))).toBe(true);
    expect(server.getObject('photos', 'kind-1')?.toString()).toBe('text body');
    expect(server.getObject('photos', 'kind-2')?.equals(PAYLOAD.subarray(0, 500))).toBe(true);
    expect(server.bucket('photos').get('kind-2')).toBeDefined();
    expect(server.requests.filter((r) => r.path === '/photos/kind-2').map((r) => r.headers['content-type'])).toEqual(['image/png', 'image/png']);
    if (ADAPTER === 'fetch') expect(server.getObject('photos', 'kind-3')?.equals(PAYLOAD.subarray(0, 700))).toBe(true);
  });

  it('destroys the stream a server answered without reading when it makes the next one', async () => {
    let requests = 0;
    const handler: http.RequestListener = (req, res) => {
      requests += 1;
      if (requests === 1) {
        // Answers at once and never reads the body: the client's stream is left mid-way.
        res.writeHead(503, { 'content-type': 'application/xml' }).end(SLOWDOWN_XML);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.writeHead(200, { etag: `"${createHash('md5').update(Buffer.concat(chunks)).digest('hex')}"` }).end();
      });
    };
    const { url } = await startTlsServer(handler);
    const { client } = policyClient(url, FAST, {}, { ca: TLS_CERT });
    const made: Readable[] = [];
    const destroyedWhenNextMade: boolean[] = [];
    const body = (): Readable => {
      destroyedWhenNextMade.push(...made.map((stream) => stream.destroyed));
      // The first stream never ends: only destroying it frees it.
      const stream = made.length === 0 ? endless() : Readable.from([PAYLOAD.subarray(0, 2048)]);
      made.push(stream);
      return stream;
    };
    const response = await client.put('/photos/early.bin', undefined, { obs: { body } });
    expect(response.status).toBe(200);
    expect(made).toHaveLength(2);
    expect(destroyedWhenNextMade).toEqual([true]);
    expect(made.every((stream) => stream.destroyed)).toBe(true);
  });

  it('destroys a stream it made for a request that was never sent', async () => {
    const server = await startServer();
    const controller = new AbortController();
    // The hook aborts the call: the request is not handed to the adapter, its stream never read.
    const sign: SignHook = (config) => {
      controller.abort();
      return config;
    };
    const { client } = policyClient(server.url, { ...FAST, sign });
    const streams = fileStreams();
    const error = await rejectionOf(client.put('/photos/never.bin', undefined, { signal: controller.signal, obs: { body: streams.body } }));
    expect((error as { code?: string }).code).toBe('ERR_CANCELED');
    expect(server.requests).toHaveLength(0);
    expect(streams.made).toHaveLength(1);
    expect(streams.made[0]?.destroyed).toBe(true);
  });

  it('ends the call with the error of a factory that throws or rejects, sending nothing more', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    const broken = new Error('disk gone');
    expect(await rejectionOf(client.put('/photos/a.bin', undefined, { obs: { body: () => { throw broken; } } }))).toBe(broken);
    expect(server.requests).toHaveLength(0);
    // Rejecting on the second request: the first went out (SlowDown), the second never did.
    server.enqueue({ error: 'SlowDown' });
    let calls = 0;
    const second = (): Promise<Buffer> => (++calls === 1 ? Promise.resolve(PAYLOAD.subarray(0, 10)) : Promise.reject(broken));
    expect(await rejectionOf(client.put('/photos/b.bin', undefined, { obs: { body: second } }))).toBe(broken);
    expect(server.requests).toHaveLength(1);
    expect(namesOf(events)).toEqual(['retry']);
  });

  it('refuses a call with data as well, a factory that is not a function, and a factory that makes no body', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    const both = await rejectionOf(client.put('/photos/a.bin', 'data', { obs: { body: () => 'factory' } }));
    expect(both).toBeInstanceOf(TypeError);
    expect((both as Error).message).toMatch(/"obs\.body" must not have "data"/);
    const notAFunction = await rejectionOf(client.put('/photos/a.bin', undefined, { obs: { body: 'x' as never } }));
    expect((notAFunction as Error).message).toMatch(/option "obs\.body" must be a function/);
    const nothing = await rejectionOf(client.put('/photos/a.bin', undefined, { obs: { body: (() => ({ not: 'a body' })) as never } }));
    expect(nothing).toBeInstanceOf(TypeError);
    expect((nothing as Error).message).toMatch(/must make a string, .*; it made an Object/);
    expect(server.requests).toHaveLength(0);
  });

  it('says which request each upload progress event belongs to: loaded restarts at 0 with a new number', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    server.enqueue({ error: 'SlowDown' });
    const seen: { request: number | undefined; loaded: number }[] = [];
    const onUploadProgress = (event: AxiosProgressEvent): void => {
      seen.push({ request: event.obsRequestNumber, loaded: event.loaded });
    };
    const streams = fileStreams();
    await client.put('/photos/progress.bin', undefined, { headers: { 'Content-Length': String(PAYLOAD.length) }, onUploadProgress, obs: { body: streams.body } });
    // A Buffer body retried the same way: its events are tagged too.
    server.enqueue({ error: 'SlowDown' });
    const ofBuffer: (number | undefined)[] = [];
    await client.put('/photos/progress-buffer.bin', PAYLOAD, {
      onUploadProgress: (event) => {
        ofBuffer.push(event.obsRequestNumber);
      },
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((event) => event.request === 1 || event.request === 2)).toBe(true);
    // In order: every event of request 1 before any of request 2, and request 2 reports the whole body.
    const numbers = seen.map((event) => event.request);
    expect([...numbers].sort()).toEqual(numbers);
    expect(seen.filter((event) => event.request === 2).at(-1)?.loaded).toBe(PAYLOAD.length);
    expect(new Set(ofBuffer)).toEqual(new Set([1, 2]));
  });

  it('leaves a plain stream `data` not replayable, as before', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' });
    const error = await obsRejection(client.put('/photos/s.bin', Readable.from([Buffer.from('chunk')])));
    expect(error.reason).toBe('not replayable: request body is a stream');
    expect(reasonsOf(events, 'giveUp')).toEqual(['not replayable: request body is a stream']);
    expect(server.requests).toHaveLength(1);
  });
});

describe('Blob bodies: replayable as they are', () => {
  it('re-sends fs.openAsBlob and a Blob after SlowDown and through a 307', async () => {
    const { a, b, aUrl, bUrl } = await twoHosts();
    const { client } = policyClient(aUrl, { ...FAST, redirect: { allowHosts: ['.obs.b-region.test'] } });
    a.enqueue({ error: 'SlowDown' }, { redirect: 307, location: `${bUrl}/blob/file.bin` });
    const response = await client.put('/blob/file.bin', await openAsBlob(file));
    expect(response.status).toBe(200);
    expect(b.getObject('photos', 'blob/file.bin')?.equals(PAYLOAD)).toBe(true);
    expect(a.requests.map((r) => sha256(r.body))).toEqual([sha256(PAYLOAD), sha256(PAYLOAD)]);
    a.enqueue({ error: 'SlowDown' });
    expect((await client.put('/blob/mem.bin', new Blob([new Uint8Array(PAYLOAD.subarray(0, 4096))]))).status).toBe(200);
    expect(a.getObject('photos', 'blob/mem.bin')?.equals(PAYLOAD.subarray(0, 4096))).toBe(true);
  });
});

describe('a body factory with the ready signers', () => {
  const CREDENTIALS = { accessKeyId: 'AKUP', secretAccessKey: 'upload/secret+key=', securityToken: 'UP-TOKEN/1=' };
  const SIGNERS: [string, SignHook][] = [
    ['obsSigner', obsSigner(CREDENTIALS)],
    ['sigV4Signer', sigV4Signer({ accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey, sessionToken: CREDENTIALS.securityToken, region: 'cn-north-4' })],
  ];

  it.each(SIGNERS)('%s signs every request of a streamed upload, through SlowDown and a 307, without reading the stream', async (name, sign) => {
    const { a, b, aUrl, bUrl } = await twoHosts({ credentials: CREDENTIALS });
    const { client, handle } = policyClient(aUrl, { ...FAST, sign, redirect: { allowHosts: ['.obs.b-region.test'] } });
    const events = recordEvents(handle);
    a.enqueue({ error: 'SlowDown' }, { redirect: 307, location: `${bUrl}/signed.bin` });
    const streams = fileStreams();
    const response = await client.put('/signed.bin', undefined, {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(PAYLOAD.length) },
      obs: { body: streams.body },
    });
    expect(response.status).toBe(200);
    expect(namesOf(events)).toEqual(['retry', 'redirect']);
    expect(b.getObject('photos', 'signed.bin')?.equals(PAYLOAD)).toBe(true);
    const all = [...a.requests, ...b.requests];
    // Every request passed the server's signature check (else 403): the scripted answers came after it.
    expect(all.map((r) => r.response)).toEqual([
      { status: 503, code: 'SlowDown' },
      { status: 307, code: 'TemporaryRedirect' },
      { status: 200 },
    ]);
    if (name === 'sigV4Signer') expect(all.map((r) => r.headers['x-amz-content-sha256'])).toEqual(Array(3).fill('UNSIGNED-PAYLOAD'));
    expect(streams.made).toHaveLength(3);
  });
});

describe('the local server keeping only digests of large bodies', () => {
  it('records length and SHA-256 of a body past keepBodiesUpTo, answers its PUT with its ETag and stores nothing', async () => {
    const server = await startServer({ keepBodiesUpTo: 64 * 1024 });
    const { client } = policyClient(server.url);
    server.enqueue({ error: 'SlowDown' });
    const streams = fileStreams();
    const response = await client.put('/photos/big.bin', undefined, { headers: { 'Content-Length': String(PAYLOAD.length) }, obs: { body: streams.body } });
    expect(response.headers.etag).toBe(`"${createHash('md5').update(PAYLOAD).digest('hex')}"`);
    expect(server.requests.map((r) => [r.body.length, r.bodyDigest])).toEqual(
      Array(2).fill([0, { bytes: PAYLOAD.length, sha256: sha256(PAYLOAD), md5: createHash('md5').update(PAYLOAD).digest('hex') }]),
    );
    expect(server.getObject('photos', 'big.bin')).toBeUndefined();
    // A small body is kept as before.
    await client.put('/photos/small.bin', 'small');
    expect(server.getObject('photos', 'small.bin')?.toString()).toBe('small');
    expect(server.requests.at(-1)?.bodyDigest).toBeUndefined();
  });
});

/** A stream of 16 KiB chunks that never ends by itself. */
function endless(): Readable {
  const chunk = Buffer.alloc(16 * 1024, 1);
  return new Readable({
    read() {
      this.push(chunk);
    },
  });
}
