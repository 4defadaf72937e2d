import { describe, expect, it } from '@jest/globals';
import { PassThrough, Readable } from 'node:stream';
import { drainStream, isReadableStream } from '../../src/transport/drain-stream.js';

describe('drainStream', () => {
  it('reads a whole small body and destroys the stream', async () => {
    const stream = Readable.from([Buffer.from('<Error><Code>'), Buffer.from('SlowDown</Code></Error>')]);
    expect((await drainStream(stream, 1024, 1000)).toString()).toBe('<Error><Code>SlowDown</Code></Error>');
    expect(stream.destroyed).toBe(true);
  });

  it('stops at maxBytes', async () => {
    const stream = Readable.from([Buffer.alloc(700, 1), Buffer.alloc(700, 2)]);
    expect((await drainStream(stream, 1000, 1000)).length).toBe(1000);
  });

  it('gives up on a stalled stream after the timeout with what it has', async () => {
    const stream = new PassThrough();
    stream.write('partial');
    expect((await drainStream(stream, 1024, 20)).toString()).toBe('partial');
    expect(stream.destroyed).toBe(true);
  });

  it('resolves, never rejects, when the stream errors', async () => {
    const stream = new PassThrough();
    setImmediate(() => stream.destroy(new Error('reset')));
    expect((await drainStream(stream, 1024, 1000)).length).toBe(0);
  });

  it('recognises Node readable streams only', () => {
    expect([isReadableStream(new PassThrough()), isReadableStream('x'), isReadableStream({ pipe: () => undefined })]).toEqual([true, false, false]);
  });
});
