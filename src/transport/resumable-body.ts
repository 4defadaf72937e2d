/**
 * The one entry the engine calls for a streamed GET: given the first answer
 * (200 or 206) it hands back the stream the caller gets, of the kind axios
 * gave (a Node `Readable` on the http adapter, a WHATWG `ReadableStream` on
 * the fetch adapter), which carries the body through resets and stalls (see
 * `BodySplicer`). Backpressure is the caller's: a chunk is read from the
 * network only when the caller asks for one, so memory stays flat whatever
 * the body's size. Destroying or cancelling it ends everything in flight.
 *
 * Browser-safe: the Node `Readable` is the class the first body derives from,
 * found on its prototype chain; nothing from Node is imported.
 */
import { BodySplicer, type SplicerOptions } from './body-splicer.js';
import { chunkSourceOf } from './body-source.js';
import { isReadableStream } from './drain-stream.js';
import { resumePlanOf, type ResponseLike } from './resume-plan.js';

export type { RangeCall, ResumeAsk, SplicerOptions as ResumableBodyOptions } from './body-splicer.js';
export type { ResponseLike } from './resume-plan.js';

/** The options of a Node `Readable` this module uses. */
interface ReadableInit {
  read(this: NodeReadableOut): void;
  destroy(this: NodeReadableOut, error: Error | null, callback: (error?: Error | null) => void): void;
}

/** What this module uses of a Node `Readable` it makes. */
interface NodeReadableOut {
  readonly destroyed: boolean;
  push(chunk: Uint8Array | null): boolean;
  destroy(error?: Error): unknown;
}

type ReadableConstructor = new (init: ReadableInit) => NodeReadableOut;

/**
 * The `Readable` class `stream` derives from (where `instanceof Readable` looks),
 * by name: `Duplex` and `Transform` sit above it and are not what the caller should get.
 */
function readableClassOf(stream: object): ReadableConstructor | undefined {
  for (let proto: unknown = Object.getPrototypeOf(stream); proto !== null && typeof proto === 'object'; proto = Object.getPrototypeOf(proto)) {
    const ctor: unknown = (proto as { constructor?: unknown }).constructor;
    if (typeof ctor === 'function' && ctor.name === 'Readable') return ctor as ReadableConstructor;
  }
  return undefined;
}

/** The caller's Node stream over `splicer`: one pull per `_read`, pushed when it arrives. */
function nodeStreamOver(Readable: ReadableConstructor, splicer: BodySplicer): NodeReadableOut {
  let pulling = false;
  return new Readable({
    read() {
      if (pulling) return;
      pulling = true;
      splicer.pull().then(
        (chunk) => {
          pulling = false;
          if (!this.destroyed) this.push(chunk);
        },
        (error: unknown) => {
          pulling = false;
          // Handed on as it is: the caller sees the very error that ended the body.
          this.destroy(error as Error);
        },
      );
    },
    destroy(error, callback) {
      splicer.cancel();
      callback(error);
    },
  });
}

/** The caller's WHATWG stream over `splicer`. */
function webStreamOver(splicer: BodySplicer): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await splicer.pull();
          if (chunk === null) controller.close();
          else controller.enqueue(chunk);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel() {
        splicer.cancel();
      },
    },
    // Nothing read ahead: a chunk is fetched when the caller reads.
    { highWaterMark: 0 },
  );
}

/**
 * The body the caller of a streamed GET gets: `first.data` made resumable.
 *
 * It resumes (with the engine's leave, `allowResume`) when `first` is a 200 with a
 * `Content-Length` or a 206 with a single `Content-Range`, carries a strong ETag and no
 * content encoding; otherwise it only guards against stalls (when `bodyIdleTimeoutMs`
 * is set), and a break ends it with the stream's own error. `first.data` is returned
 * untouched when there is nothing to add (no idle timeout and nothing to resume from)
 * or it is not a stream this module can read.
 */
export function resumableBody(first: ResponseLike, options: SplicerOptions): unknown {
  const planned = resumePlanOf(first);
  const plan = 'unresumable' in planned ? undefined : planned;
  const idle = options.bodyIdleTimeoutMs;
  if (plan === undefined && !(idle !== undefined && idle > 0)) return first.data;
  const body: unknown = first.data;
  // A Node stream is wrapped only when there is a Readable class to hand back; it is checked before reading starts.
  const Readable = isReadableStream(body) ? readableClassOf(body) : undefined;
  if (isReadableStream(body) && Readable === undefined) return body;
  const source = chunkSourceOf(body);
  if (source === undefined) return body;
  const splicer = new BodySplicer(source, plan, options);
  return Readable === undefined ? webStreamOver(splicer) : nodeStreamOver(Readable, splicer);
}
