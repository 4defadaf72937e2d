/**
 * Browser-safe code, Node behaviour unchanged: the stream handling recognises
 * Node streams by shape and takes `Readable` and `Buffer` from the Node objects
 * themselves (src/transport/drain-stream.ts imports nothing from Node), error
 * bodies are decoded with `TextDecoder` instead of `Buffer`
 * (src/parse/body-text.ts), and only browsers keep axios's own redirects
 * (src/transport/attempt-config.ts). Each is checked against what Node gave before.
 */
import { describe, expect, it } from '@jest/globals';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import fc from 'fast-check';
import http from 'node:http';
import { PassThrough, Readable, Writable } from 'node:stream';
import zlib from 'node:zlib';
import { bodyToText } from '../../src/parse/body-text.js';
import { attemptConfig } from '../../src/transport/attempt-config.js';
import { drainStream, isReadableStream, isWebReadableStream, nodeStreamOf } from '../../src/transport/drain-stream.js';

async function chunksOf(stream: unknown): Promise<unknown[]> {
  const chunks: unknown[] = [];
  for await (const chunk of stream as AsyncIterable<unknown>) chunks.push(chunk);
  return chunks;
}

describe('Node streams, recognised by shape', () => {
  it('recognises every kind of Node readable stream axios may hand over, and nothing else', () => {
    const readables = [new PassThrough(), Readable.from([]), new http.IncomingMessage(null as never), zlib.createGunzip()];
    expect(readables.map(isReadableStream)).toEqual([true, true, true, true]);
    // A Writable has a (legacy) pipe, but nothing to read; a WHATWG stream is the other kind.
    const others = [new Writable(), new ReadableStream(), { pipe: () => undefined, on: () => undefined }, 'x', null];
    expect(others.map(isReadableStream)).toEqual([false, false, false, false, false]);
    expect([isWebReadableStream(new ReadableStream()), isWebReadableStream(new PassThrough())]).toEqual([true, false]);
  });

  it('hands back what Readable.from([bytes]) gave: a node:stream Readable with the one Buffer chunk', async () => {
    const bytes = Buffer.from('<Error><Code>NoSuchKey</Code></Error>');
    for (const drained of [new http.IncomingMessage(null as never), zlib.createGunzip(), new PassThrough()]) {
      const handedBack = nodeStreamOf(drained, bytes);
      const before = Readable.from([bytes]);
      expect(handedBack).toBeInstanceOf(Readable);
      expect((handedBack as Readable).readableObjectMode).toBe(before.readableObjectMode);
      const [chunks, expected] = [await chunksOf(handedBack), await chunksOf(before)];
      expect(chunks).toEqual(expected);
      expect(Buffer.isBuffer(chunks[0])).toBe(true);
    }
  });

  it('hands back the bytes themselves for a stream-like object without a Readable class', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const method = (): undefined => undefined;
    const streamLike = { pipe: method, read: method, on: method, once: method, off: method, destroy: method };
    expect(isReadableStream(streamLike)).toBe(true);
    expect(nodeStreamOf(streamLike, bytes)).toBe(bytes);
  });

  it('drains Buffer chunks into a Buffer (Buffer.concat, as before) and string chunks as UTF-8', async () => {
    const buffers = await drainStream(Readable.from([Buffer.from('<Error>'), Buffer.from('</Error>')]), 1024, 1000);
    expect([Buffer.isBuffer(buffers), buffers.toString()]).toEqual([true, '<Error></Error>']);
    const strings = await drainStream(Readable.from(['<Code>é', '</Code>']), 1024, 1000);
    expect(Buffer.from(strings).toString('utf8')).toBe('<Code>é</Code>');
    // Cut at maxBytes across chunks, as before.
    const cut = await drainStream(Readable.from([Buffer.alloc(3, 1), Buffer.alloc(3, 2)]), 4, 1000);
    expect([...cut]).toEqual([1, 1, 1, 2]);
  });
});

describe('redirects in Node', () => {
  it('still turn axios’s own redirects off (the browser keeps them: test/browser/chromium.test.ts)', () => {
    const call = { url: '/a', baseURL: 'http://127.0.0.1:1', maxRedirects: 5, headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
    expect(attemptConfig(call, new URL('http://127.0.0.1:1/a'), true, false)).toMatchObject({ maxRedirects: 0, validateStatus: null, url: 'http://127.0.0.1:1/a' });
  });
});

describe('error bodies decoded without Buffer', () => {
  it('decodes any bytes exactly as Buffer#toString("utf8") did (BOM removed), within maxBytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 320 }), (bytes, maxBytes) => {
        const before = Buffer.from(bytes.subarray(0, maxBytes)).toString('utf8');
        expect(bodyToText(bytes, maxBytes)).toBe(before.startsWith('\uFEFF') ? before.slice(1) : before);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes UTF-8 text, a BOM, and a multi-byte character cut by maxBytes as before', () => {
    const text = '\uFEFF<Message>Préfixe 文字 😀</Message>';
    const bytes = Buffer.from(text, 'utf8');
    expect(bodyToText(bytes)).toBe(text.slice(1));
    for (let max = 1; max <= bytes.length; max++) {
      const before = bytes.subarray(0, max).toString('utf8');
      expect(bodyToText(bytes, max)).toBe(before.startsWith('\uFEFF') ? before.slice(1) : before);
    }
    expect(bodyToText(new Uint16Array([0x3c41]))).toBe(Buffer.from(new Uint16Array([0x3c41]).buffer).toString('utf8'));
  });
});
