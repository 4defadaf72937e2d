/**
 * The request body of a call with a body factory (`obs.body`): made afresh for
 * every request the call sends, so a stream body can be re-sent after a retry
 * or a redirect hop. Each body made replaces the previous one, which is
 * destroyed (a stream of a file holds a file descriptor); the call releases
 * the last one when it ends.
 *
 * Browser-safe: streams and Blobs are recognised by their shape.
 */
import type { AxiosProgressEvent, InternalAxiosRequestConfig } from 'axios';
import type { RequestBody, RequestBodyFactory } from '../options/types.js';

/** The type axios gives a PUT, POST or PATCH without `data`; a call with a body factory drops it. */
const AXIOS_DEFAULT_BODY_TYPE = 'application/x-www-form-urlencoded';

/** A Node stream (or anything else with `destroy`) that may still hold a resource. */
interface Destroyable {
  destroy: (error?: Error) => unknown;
  destroyed?: boolean;
}

/** A web ReadableStream, by shape. */
interface Cancelable {
  cancel: (reason?: unknown) => Promise<void>;
  locked?: boolean;
}

/** True for what axios's adapters send as a request body. */
function isRequestBody(value: unknown): value is RequestBody {
  if (typeof value === 'string') return true;
  if (value === null || typeof value !== 'object') return false;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (typeof Blob !== 'undefined' && value instanceof Blob) return true;
  if (typeof (value as { pipe?: unknown }).pipe === 'function') return true;
  return typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;
}

/** What a factory made that is not a body, named for the error message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name !== 'string' || name === '') return 'an object';
  return /^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`;
}

/**
 * Ends a body that may still hold a resource: a Node stream is destroyed (its
 * file closed), an unread web stream cancelled. Anything else, and a stream
 * already destroyed or being read, is left as it is. Never throws.
 */
export function releaseBody(body: unknown): void {
  if (body === null || typeof body !== 'object') return;
  try {
    const stream = body as Partial<Destroyable>;
    if (typeof stream.destroy === 'function' && typeof (body as { pipe?: unknown }).pipe === 'function') {
      if (stream.destroyed !== true) stream.destroy();
      return;
    }
    const web = body as Partial<Cancelable>;
    if (typeof web.cancel === 'function' && web.locked === false) {
      // A rejection here says nothing the call needs: the stream is not sent again either way.
      web.cancel().catch(() => undefined);
    }
  } catch {
    // A stream whose destroy throws is the caller's own; the call goes on.
  }
}

/**
 * The bodies of one call with a body factory. Not reentrant: a call sends one
 * request at a time.
 */
export class FreshBodies {
  /** The body the last request was given, until the next is made or the call releases it. */
  private last: unknown;

  constructor(private readonly factory: RequestBodyFactory) {}

  /**
   * Releases the previous request's body and makes the next one.
   * @returns the body; rejects with the factory's own error when it throws or rejects, or a
   *   `TypeError` when it makes something no adapter sends
   */
  async next(): Promise<RequestBody> {
    this.release();
    const body: unknown = await this.factory();
    this.last = body;
    if (!isRequestBody(body)) {
      throw new TypeError(
        `obs-axios-policies: option "obs.body" must make a string, an ArrayBuffer, a typed array or Buffer, a Blob or a stream; it made ${describe(body)}.`,
      );
    }
    return body;
  }

  /** Releases the last body made (see {@link releaseBody}); idempotent. */
  release(): void {
    const body = this.last;
    this.last = undefined;
    releaseBody(body);
  }
}

/**
 * Readies the config of a call with a body factory, before its first request.
 * Drops the `Content-Type` axios gives a PUT, POST or PATCH without `data`
 * (`application/x-www-form-urlencoded`): the adapters then send a Blob with its
 * own type, and a stream with none unless the caller set one.
 * @returns a `TypeError` when the call also has `data` (only one may say what is sent), else `undefined`
 */
export function readyFactoryCall(config: InternalAxiosRequestConfig): TypeError | undefined {
  if (config.data !== undefined && config.data !== null) {
    return new TypeError('obs-axios-policies: a call with "obs.body" must not have "data" too; the factory makes the body of every request.');
  }
  const headers = config.headers;
  const type: unknown = headers.get('Content-Type');
  if (typeof type === 'string' && type.trim().toLowerCase() === AXIOS_DEFAULT_BODY_TYPE) headers.delete('Content-Type');
  return undefined;
}

/**
 * Tags the upload progress of one request: each event axios hands the
 * caller's `onUploadProgress` carries `obsRequestNumber`, the request of the
 * call it belongs to (each request sends the whole body, so `loaded` restarts
 * at 0 with a new number). A config without `onUploadProgress` is left as it is.
 * @param config the request's own config (a copy, never the call's)
 * @param requestNumber 1-based number of the request within the call
 */
export function tagUploadProgress(config: InternalAxiosRequestConfig, requestNumber: number): void {
  const listener = config.onUploadProgress;
  if (typeof listener !== 'function') return;
  config.onUploadProgress = (event: AxiosProgressEvent) => {
    event.obsRequestNumber = requestNumber;
    listener(event);
  };
}
