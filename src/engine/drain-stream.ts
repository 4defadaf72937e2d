/**
 * Reads the error body of a `responseType: 'stream'` response: a bounded
 * prefix, within a bounded time, then the stream is destroyed so its socket
 * goes back to the pool (an unread error stream would hold it).
 */
import { Readable } from 'node:stream';

/** True for a Node readable stream (what axios gives for `responseType: 'stream'`). */
export function isReadableStream(value: unknown): value is Readable {
  return value instanceof Readable;
}

/**
 * Collects at most `maxBytes` of `stream`, giving up after `timeoutMs`; never rejects.
 * @returns the bytes read (possibly partial)
 */
export function drainStream(stream: Readable, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.destroy();
      resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(bytes.subarray(0, Math.max(0, maxBytes - size)));
      size += bytes.length;
      if (size >= maxBytes) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}
