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

/** A WHATWG stream's reader, as much as draining needs. */
interface WebStreamReader {
  read(): Promise<{ done: boolean; value?: unknown }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

/** A WHATWG readable stream: what axios's fetch adapter gives for `responseType: 'stream'`. */
export interface WebReadableStreamLike {
  getReader(): WebStreamReader;
}

/** True for a WHATWG `ReadableStream` (fetch adapter), false for Node streams and everything else. */
export function isWebReadableStream(value: unknown): value is WebReadableStreamLike {
  return value !== null && typeof value === 'object' && typeof (value as { getReader?: unknown }).getReader === 'function' && !(value instanceof Readable);
}

/**
 * Collects at most `maxBytes` of a WHATWG stream, giving up after `timeoutMs`,
 * then cancels it so the connection is released; never rejects.
 * @returns the bytes read (possibly partial)
 */
export async function drainWebStream(stream: WebReadableStreamLike, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let reader: WebStreamReader;
  try {
    reader = stream.getReader();
  } catch {
    // Locked or already consumed: there is nothing we may read.
    return new Uint8Array(0);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => {
      resolve('expired');
    }, timeoutMs);
  });
  try {
    while (size < maxBytes) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === 'expired' || next.done) break;
      const bytes = toBytes(next.value);
      chunks.push(bytes.subarray(0, Math.max(0, maxBytes - size)));
      size += bytes.length;
    }
  } catch {
    // A body that errors mid-way: keep what arrived.
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => undefined);
  }
  return concatBytes(chunks);
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value === 'string') return new TextEncoder().encode(value);
  return new Uint8Array(0);
}

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** A WHATWG stream of `bytes`: what the caller of a fetch-adapter stream call gets back after we read its error body. */
export function webStreamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}
