/**
 * Reads the error body of a `responseType: 'stream'` response: a bounded
 * prefix, within a bounded time, then the stream is destroyed (Node) or
 * cancelled (WHATWG) so its connection goes back to the pool (an unread error
 * stream would hold it).
 *
 * Browser-safe on purpose: this module imports nothing from Node and names no
 * Node global. A Node stream is recognised by its shape, and everything
 * Node-specific is taken from the Node objects themselves: the stream handed
 * back is made by the `Readable` class the drained stream derives from, and
 * Buffer chunks are joined by their own class (`Buffer.concat`). In Node the
 * results are what `node:stream` and `Buffer` gave before; in a browser bundle
 * there is nothing to polyfill.
 */

type Listener = (...args: unknown[]) => void;

/** What draining needs of a Node readable stream (what axios's http adapter gives for `responseType: 'stream'`). */
export interface NodeReadableLike {
  pipe(destination: never): unknown;
  read(size?: number): unknown;
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  destroy(error?: Error): unknown;
}

/** The methods a Node readable stream has (`read` tells it from a Writable, which has a legacy `pipe`). */
const NODE_READABLE_METHODS = ['pipe', 'read', 'on', 'once', 'off', 'destroy'] as const;

/** True for a Node readable stream, by shape (no `instanceof`: this module must not import `node:stream`). */
export function isReadableStream(value: unknown): value is NodeReadableLike {
  if (value === null || typeof value !== 'object') return false;
  const methods = value as Record<string, unknown>;
  return NODE_READABLE_METHODS.every((name) => typeof methods[name] === 'function');
}

/** The static side of Node's `Readable`, as much as handing back a stream needs. */
interface ReadableClass {
  from(iterable: Iterable<unknown>): unknown;
}

/**
 * The `Readable` class `stream` derives from, found on its prototype chain (where
 * `instanceof Readable` looks): `IncomingMessage`, zlib and `Transform` streams all
 * lead to it. By name, because `Duplex` and `Transform` have a `from` of their own.
 */
function readableClassOf(stream: object): ReadableClass | undefined {
  for (let proto: unknown = Object.getPrototypeOf(stream); proto !== null && typeof proto === 'object'; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = (proto as { constructor?: unknown }).constructor;
    if (typeof ctor === 'function' && ctor.name === 'Readable' && typeof (ctor as { from?: unknown }).from === 'function') return ctor as unknown as ReadableClass;
  }
  return undefined;
}

/**
 * A Node stream of `bytes`, of the same `Readable` class as `drained`: what the
 * caller of an http-adapter stream call gets back after we read its error body
 * (`Readable.from([bytes])`, as before). Without a `Readable` on the chain (a
 * hand-made stream-like object), the bytes themselves.
 */
export function nodeStreamOf(drained: NodeReadableLike, bytes: Uint8Array): unknown {
  const Readable = readableClassOf(drained);
  return Readable === undefined ? bytes : Readable.from([bytes]);
}

/**
 * Collects at most `maxBytes` of `stream`, giving up after `timeoutMs`; never rejects.
 * @returns the bytes read (possibly partial); a `Buffer` when the stream gave Buffers, as Node streams do
 */
export function drainStream(stream: NodeReadableLike, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.destroy();
      resolve(joinChunks(chunks));
    };
    const onData = (chunk: unknown): void => {
      const bytes = toBytes(chunk);
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

/**
 * Joins chunks with their own class's `concat` when it has one (Buffers: `Buffer.concat`,
 * so Node callers keep getting a Buffer), else into a plain `Uint8Array`.
 */
function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const kind = chunks[0]?.constructor as { concat?: unknown } | undefined;
  if (typeof kind?.concat === 'function' && chunks.every((chunk) => chunk.constructor === kind)) {
    return (kind as { concat: (list: readonly Uint8Array[]) => Uint8Array }).concat(chunks);
  }
  return concatBytes(chunks);
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
  return value !== null && typeof value === 'object' && typeof (value as { getReader?: unknown }).getReader === 'function' && !isReadableStream(value);
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

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
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
