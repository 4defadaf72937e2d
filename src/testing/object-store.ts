/**
 * The in-memory buckets and objects (and, through `uploads`, the multipart
 * uploads in progress) behind the local OBS server's default answers.
 * Timestamps come from the server's clock, so they are deterministic under an
 * injected `now`.
 */
import { createHash } from 'node:crypto';
import { MultipartStore } from './multipart-store.js';

/** One stored object. */
export interface StoredObject {
  /** The content. */
  readonly body: Buffer;
  /** `Content-Type` it was stored with. */
  readonly contentType: string;
  /** `"<md5 hex>"`, quoted, as OBS sends it. */
  readonly etag: string;
  /** When it was last written. */
  readonly lastModified: Date;
  /** Created by an append upload, so it may be appended to (OBS refuses appends to ordinary objects). */
  readonly appendable: boolean;
}

interface Bucket {
  readonly createdAt: Date;
  readonly objects: Map<string, StoredObject>;
}

/** How an object is written besides its body and type. */
export interface PutOptions {
  /** Written by an append upload, so later appends may extend it. @default false */
  appendable?: boolean | undefined;
  /** The ETag to keep (a completed multipart upload's `"<md5>-<count>"`). @default the quoted MD5 hex of the body */
  etag?: string | undefined;
}

/** The quoted MD5 hex ETag OBS gives single-part objects. */
function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** Buckets → keys → objects, and the multipart uploads in progress. */
export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();
  /** Multipart uploads in progress; they keep their bucket from being deleted, as on OBS. */
  readonly uploads: MultipartStore;

  /** @param now the clock for creation and modification times */
  constructor(private readonly now: () => number = Date.now) {
    this.uploads = new MultipartStore(now);
  }

  /** True when the bucket exists. */
  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  /** Creates a bucket; false when it already existed (then nothing changes). */
  createBucket(bucket: string): boolean {
    if (this.buckets.has(bucket)) return false;
    this.buckets.set(bucket, { createdAt: new Date(this.now()), objects: new Map() });
    return true;
  }

  /**
   * Deletes a bucket: `'missing'`, `'not-empty'` (objects or multipart uploads in
   * progress: kept, as OBS refuses) or `'deleted'`.
   */
  deleteBucket(bucket: string): 'missing' | 'not-empty' | 'deleted' {
    const entry = this.buckets.get(bucket);
    if (entry === undefined) return 'missing';
    if (entry.objects.size > 0 || this.uploads.list(bucket).length > 0) return 'not-empty';
    this.buckets.delete(bucket);
    return 'deleted';
  }

  /** Every bucket with its creation time, sorted by name. */
  listBuckets(): { name: string; createdAt: Date }[] {
    return [...this.buckets.entries()].map(([name, entry]) => ({ name, createdAt: entry.createdAt })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** The objects of a bucket whose keys start with `prefix`, sorted by key; `undefined` when the bucket does not exist. */
  listObjects(bucket: string, prefix = ''): [string, StoredObject][] | undefined {
    const entry = this.buckets.get(bucket);
    if (entry === undefined) return undefined;
    return [...entry.objects.entries()].filter(([key]) => key.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
  }

  /** Reads an object. */
  get(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.objects.get(key);
  }

  /** Stores an object, creating its bucket if needed; returns what was stored. */
  put(bucket: string, key: string, body: Buffer, contentType = 'application/octet-stream', options: PutOptions = {}): StoredObject {
    this.createBucket(bucket);
    const object: StoredObject = {
      body,
      contentType,
      etag: options.etag ?? etagOf(body),
      lastModified: new Date(this.now()),
      appendable: options.appendable ?? false,
    };
    this.buckets.get(bucket)?.objects.set(key, object);
    return object;
  }

  /** Deletes an object; true when it existed. */
  delete(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.objects.delete(key) ?? false;
  }

  /** Deletes every object of a bucket and aborts its multipart uploads (the bucket stays). */
  empty(bucket: string): void {
    this.buckets.get(bucket)?.objects.clear();
    this.uploads.abortAll(bucket);
  }

  /** Forgets every bucket, object and multipart upload. */
  clear(): void {
    this.buckets.clear();
    this.uploads.clear();
  }
}
