/**
 * Which bodies may be sent again: bytes, text, Blobs and nothing may; a stream
 * or an async iterable may not, since the first send consumed it; and any body
 * may when a body factory makes a fresh one for each request.
 */
import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { unreplayableBodyReason } from '../../src/decide/replay.js';

/** An async iterable that is not a stream. */
function chunks(): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }),
  };
}

describe('unreplayableBodyReason', () => {
  it.each([
    ['nothing', undefined],
    ['a string', 'text'],
    ['a Buffer', Buffer.from('x')],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    ['URLSearchParams', new URLSearchParams('a=1')],
    ['a Blob', new Blob(['x'])],
    ['FormData', new FormData()],
  ])('replays %s', (_name, data) => {
    expect(unreplayableBodyReason(data)).toBeUndefined();
  });

  it.each([
    ['a Node stream', () => Readable.from(['x']), 'request body is a stream'],
    ['a web stream', () => new ReadableStream(), 'request body is a stream'],
    ['an async iterable', () => chunks(), 'request body is an async iterable'],
  ])('does not replay %s given as data, but does when a factory makes each body', (_name, make, reason) => {
    expect(unreplayableBodyReason(make())).toBe(reason);
    expect(unreplayableBodyReason(make(), true)).toBeUndefined();
    expect(unreplayableBodyReason(undefined, true)).toBeUndefined();
  });
});
