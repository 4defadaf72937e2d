import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { isBlobLike, readBlobPrefix } from '../../src/transport/read-blob.js';

describe('readBlobPrefix', () => {
  it('reads a whole small Blob and leaves it readable', async () => {
    const blob = new Blob(['<Error><Code>', 'NoSuchKey</Code></Error>'], { type: 'application/xml' });
    expect(Buffer.from(await readBlobPrefix(blob, 1024)).toString()).toBe('<Error><Code>NoSuchKey</Code></Error>');
    expect(await blob.text()).toBe('<Error><Code>NoSuchKey</Code></Error>');
  });

  it('stops at maxBytes', async () => {
    expect((await readBlobPrefix(new Blob([new Uint8Array(5000)]), 1000)).length).toBe(1000);
  });

  it('resolves with no bytes, never rejects, when the Blob cannot be read', async () => {
    const broken = { size: 10, slice: () => broken, arrayBuffer: () => Promise.reject(new Error('gone')) };
    expect((await readBlobPrefix(broken, 1000)).length).toBe(0);
  });

  it('recognises Blobs and Files only', () => {
    expect(isBlobLike(new Blob(['x']))).toBe(true);
    expect(isBlobLike(new File(['x'], 'x.txt'))).toBe(true);
    for (const value of [Buffer.from('x'), new ArrayBuffer(1), Readable.from(['x']), new ReadableStream(), 'x', null, undefined, { size: 1 }]) {
      expect(isBlobLike(value)).toBe(false);
    }
  });
});
