/**
 * One body as a source of chunks, whatever kind of stream carries it: a Node
 * readable (axios's http adapter) or a WHATWG `ReadableStream` (fetch adapter).
 * The source reads only when asked (the caller's pace is the body's pace) and
 * can be cancelled at any time, which releases the connection under it.
 *
 * Browser-safe: nothing from Node is imported; a Node stream is used through
 * its own methods.
 */
import { isReadableStream, isWebReadableStream, type NodeReadableLike } from './drain-stream.js';

/** A body read chunk by chunk. */
export interface ChunkSource {
  /** The stream kind, so what the caller gets back can be of the same kind. */
  readonly kind: 'node' | 'web';
  /** The next chunk; `null` at the end; rejects when the body breaks. */
  next(): Promise<Uint8Array | null>;
  /** Stops reading and releases the connection; a pending `next()` settles, and its outcome no longer matters. Idempotent. */
  cancel(): void;
}

/** A Node readable that can be read with `for await` (every `Readable` can). */
type IterableNodeReadable = NodeReadableLike & AsyncIterable<unknown>;

function isIterable(value: object): value is IterableNodeReadable {
  return typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

/** Strings (a stream with an encoding set) as UTF-8 bytes; anything else that is not bytes as an empty chunk. */
function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return new TextEncoder().encode(value);
  return new Uint8Array(0);
}

function nodeSource(stream: IterableNodeReadable): ChunkSource {
  const iterator = stream[Symbol.asyncIterator]();
  let cancelled = false;
  return {
    kind: 'node',
    next: () => iterator.next().then((step) => (step.done === true ? null : bytesOf(step.value))),
    cancel: () => {
      if (cancelled) return;
      cancelled = true;
      // destroy() rather than iterator.return(): return() waits for a pending next(), which a stalled body never settles.
      stream.destroy();
    },
  };
}

/** What reading a WHATWG stream needs of its reader. */
interface WebReader {
  read(): Promise<{ done: boolean; value?: unknown }>;
  cancel(reason?: unknown): Promise<void>;
}

function webSource(reader: WebReader): ChunkSource {
  let cancelled = false;
  return {
    kind: 'web',
    next: () => reader.read().then((step) => (step.done ? null : bytesOf(step.value))),
    cancel: () => {
      if (cancelled) return;
      cancelled = true;
      reader.cancel().catch(() => undefined);
    },
  };
}

/** The chunk source of a response body, or `undefined` when it is not a stream that can be read here. */
export function chunkSourceOf(body: unknown): ChunkSource | undefined {
  if (isReadableStream(body)) return isIterable(body) ? nodeSource(body) : undefined;
  if (isWebReadableStream(body)) {
    try {
      return webSource(body.getReader());
    } catch {
      // Locked or already read by someone else: not ours to read.
      return undefined;
    }
  }
  return undefined;
}

/** Releases a body nobody will read (an answer that is not spliced), so its connection is freed. */
export function discardBody(body: unknown): void {
  if (isReadableStream(body)) {
    body.destroy();
    return;
  }
  if (isWebReadableStream(body)) {
    try {
      body
        .getReader()
        .cancel()
        .catch(() => undefined);
    } catch {
      // Locked: whoever holds it releases it.
    }
  }
}
