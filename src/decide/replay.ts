/**
 * Whether a request may be sent again: by method (idempotency) and by body
 * (a stream is consumed by the first send and cannot be replayed, unless a
 * body factory makes a fresh one for each request).
 */
import type { FaultKind } from '../classify/fault.js';

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['get', 'head', 'put', 'delete', 'options']);

/** True for GET, HEAD, PUT, DELETE, OPTIONS. */
export function isIdempotentMethod(method: string | undefined): boolean {
  return IDEMPOTENT_METHODS.has((method ?? 'get').toLowerCase());
}

/**
 * True when the server provably did not process the request, so even a POST
 * (append, CompleteMultipartUpload) may go again: throttling (SlowDown,
 * ServiceUnavailable, 429) and request timeouts (408). Never a 500, a dropped
 * connection or a client timeout: the request may have landed.
 */
export function serverDidNotProcess(kind: FaultKind): boolean {
  return kind === 'throttled' || kind === 'transient';
}

/**
 * Why a body cannot be replayed, or `undefined` when it can (strings, buffers,
 * URLSearchParams, Blobs, spec FormData, nothing, or any body the call makes
 * afresh for each request).
 * @param data the call's `data`
 * @param remade true when a body factory (`obs.body`) makes each request's body: the call never re-sends one
 */
export function unreplayableBodyReason(data: unknown, remade = false): string | undefined {
  if (remade) return undefined;
  if (data === null || data === undefined || typeof data !== 'object') return undefined;
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer || data instanceof URLSearchParams) return undefined;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return undefined;
  if (typeof FormData !== 'undefined' && data instanceof FormData) return undefined;
  if (typeof (data as { pipe?: unknown }).pipe === 'function') return 'request body is a stream';
  if (typeof ReadableStream !== 'undefined' && data instanceof ReadableStream) return 'request body is a stream';
  if (typeof (data as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function') return 'request body is an async iterable';
  return undefined;
}
