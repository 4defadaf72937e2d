/**
 * A per-bucket view of the local OBS server's store, for seeding and checking
 * objects (and multipart uploads in progress) in tests without going through HTTP.
 */
import type { ObjectStore } from './object-store.js';

/** A multipart upload in progress, as {@link ObsBucketHandle.uploads} lists it. */
export interface ObsPendingUpload {
  /** The object key it will complete into. */
  readonly key: string;
  /** Its upload id. */
  readonly uploadId: string;
  /** The numbers of its uploaded parts, ascending. */
  readonly parts: readonly number[];
}

/** The objects of one bucket of a local OBS server. Writes go straight to the store (no request is recorded). */
export interface ObsBucketHandle {
  /** The bucket name. */
  readonly name: string;
  /** True when the bucket exists. */
  exists(): boolean;
  /** Creates the bucket (no-op when it exists). Returns the handle, for chaining. */
  create(): ObsBucketHandle;
  /** Stores an object (creating the bucket). Returns the handle, for chaining. */
  put(key: string, body: Buffer | string, contentType?: string): ObsBucketHandle;
  /** An object's body, or `undefined` when it (or the bucket) does not exist. */
  get(key: string): Buffer | undefined;
  /** True when the object exists. */
  has(key: string): boolean;
  /** Deletes an object; true when it existed. */
  delete(key: string): boolean;
  /** The keys, sorted (empty when the bucket does not exist). */
  keys(): string[];
  /** Deletes every object and aborts every multipart upload (the bucket stays). */
  empty(): void;
  /** The multipart uploads in progress (initiated, neither completed nor aborted), by key. */
  uploads(): ObsPendingUpload[];
}

/** Builds the handle of `name` over `store`. */
export function bucketHandle(store: ObjectStore, name: string): ObsBucketHandle {
  const handle: ObsBucketHandle = {
    name,
    exists: () => store.hasBucket(name),
    create: () => {
      store.createBucket(name);
      return handle;
    },
    put: (key, body, contentType) => {
      store.put(name, key, Buffer.isBuffer(body) ? body : Buffer.from(body), contentType);
      return handle;
    },
    get: (key) => store.get(name, key)?.body,
    has: (key) => store.get(name, key) !== undefined,
    delete: (key) => store.delete(name, key),
    keys: () => (store.listObjects(name) ?? []).map(([key]) => key),
    empty: () => {
      store.empty(name);
    },
    uploads: () =>
      store.uploads.list(name).map((upload) => ({ key: upload.key, uploadId: upload.uploadId, parts: [...upload.parts.keys()].sort((a, b) => a - b) })),
  };
  return handle;
}
