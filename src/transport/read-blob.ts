/**
 * Reads the error body of a `responseType: 'blob'` response (axios's fetch
 * adapter gives a `Blob`; its http adapter gives a string). A Blob is
 * immutable and already holds the whole body: reading a bounded prefix of it
 * consumes nothing, so the caller still gets the very same Blob.
 *
 * Browser-safe: a Blob is recognised by its shape, not by a global class.
 */

/** What reading needs of a Blob (a `File` is one too). */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): BlobLike;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** True for a `Blob` or `File`, by shape (streams and buffers are not). */
export function isBlobLike(value: unknown): value is BlobLike {
  if (value === null || typeof value !== 'object') return false;
  const blob = value as Partial<Record<keyof BlobLike, unknown>>;
  return typeof blob.size === 'number' && typeof blob.slice === 'function' && typeof blob.arrayBuffer === 'function';
}

/**
 * The first `maxBytes` of `blob`; never rejects (a Blob that cannot be read gives no bytes).
 * @returns the bytes read
 */
export async function readBlobPrefix(blob: BlobLike, maxBytes: number): Promise<Uint8Array> {
  try {
    const part = blob.size > maxBytes ? blob.slice(0, maxBytes) : blob;
    return new Uint8Array(await part.arrayBuffer());
  } catch {
    return new Uint8Array(0);
  }
}
