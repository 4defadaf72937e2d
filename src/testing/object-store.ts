/**
 * The in-memory bucket store behind the local OBS server.
 */
import { createHash } from 'node:crypto';

/** One stored object. */
export interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  /** Created by an append upload (so it may be appended to). */
  appendable: boolean;
}

function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** Buckets → keys → objects. */
export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();

  /** True when the bucket exists. */
  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  /** Creates a bucket (no-op when it exists). */
  createBucket(bucket: string): void {
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, new Map());
  }

  /** The objects of a bucket, or `undefined` when it does not exist. */
  bucket(bucket: string): ReadonlyMap<string, StoredObject> | undefined {
    return this.buckets.get(bucket);
  }

  /** Reads an object. */
  get(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** Stores an object (creating the bucket). */
  put(bucket: string, key: string, body: Buffer, contentType = 'application/octet-stream', appendable = false): StoredObject {
    this.createBucket(bucket);
    const object: StoredObject = { body, contentType, etag: etagOf(body), lastModified: new Date(), appendable };
    this.buckets.get(bucket)?.set(key, object);
    return object;
  }

  /** Deletes an object; true when it existed. */
  delete(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.delete(key) ?? false;
  }

  /** Deletes every object of a bucket (the bucket stays). */
  empty(bucket: string): void {
    this.buckets.get(bucket)?.clear();
  }

  /** Forgets everything. */
  clear(): void {
    this.buckets.clear();
  }
}
