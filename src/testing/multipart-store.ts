/**
 * The multipart uploads in progress on the local OBS server: each has an id,
 * the bucket and key it was initiated for, and its uploaded parts by number.
 * Completing or aborting an upload removes it; nothing here touches objects.
 */
import { createHash, randomBytes } from 'node:crypto';

/** One uploaded part. */
export interface StoredPart {
  /** The part number, 1..10000. */
  readonly partNumber: number;
  /** The part's bytes. */
  readonly body: Buffer;
  /** The raw MD5 of the body (16 bytes): the completed object's ETag is built from these. */
  readonly md5: Buffer;
  /** `"<md5 hex>"`, quoted, as OBS answers an upload part. */
  readonly etag: string;
  /** When it was uploaded (a later upload of the same number replaces it). */
  readonly lastModified: Date;
}

/** One multipart upload in progress. */
export interface MultipartUpload {
  /** The upload id (32 upper-case hex characters, like OBS's). */
  readonly uploadId: string;
  /** The bucket it was initiated in. */
  readonly bucket: string;
  /** The object key it will complete into. */
  readonly key: string;
  /** The `Content-Type` of the initiate request: the completed object's type. */
  readonly contentType: string;
  /** When it was initiated. */
  readonly initiated: Date;
  /** Its parts by number. */
  readonly parts: Map<number, StoredPart>;
}

/** Multipart uploads by id. */
export class MultipartStore {
  private readonly uploads = new Map<string, MultipartUpload>();

  /** @param now the clock for initiation and part times */
  constructor(private readonly now: () => number = Date.now) {}

  /** Starts an upload of `bucket`/`key` and returns it. */
  initiate(bucket: string, key: string, contentType: string): MultipartUpload {
    let uploadId = randomBytes(16).toString('hex').toUpperCase();
    while (this.uploads.has(uploadId)) uploadId = randomBytes(16).toString('hex').toUpperCase();
    const upload: MultipartUpload = { uploadId, bucket, key, contentType, initiated: new Date(this.now()), parts: new Map() };
    this.uploads.set(uploadId, upload);
    return upload;
  }

  /** The upload with this id, when it was initiated for this bucket and key (OBS ties an id to its object). */
  find(bucket: string, key: string, uploadId: string): MultipartUpload | undefined {
    const upload = this.uploads.get(uploadId);
    return upload?.bucket === bucket && upload.key === key ? upload : undefined;
  }

  /** Stores (or replaces) part `partNumber` of `upload` and returns it. */
  putPart(upload: MultipartUpload, partNumber: number, body: Buffer): StoredPart {
    const md5 = createHash('md5').update(body).digest();
    const part: StoredPart = { partNumber, body, md5, etag: `"${md5.toString('hex')}"`, lastModified: new Date(this.now()) };
    upload.parts.set(partNumber, part);
    return part;
  }

  /** Forgets an upload (completed or aborted); true when it existed. */
  remove(uploadId: string): boolean {
    return this.uploads.delete(uploadId);
  }

  /** The uploads in progress in `bucket`, by key, then in order of initiation. */
  list(bucket: string): MultipartUpload[] {
    return [...this.uploads.values()].filter((upload) => upload.bucket === bucket).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Aborts every upload in `bucket`. */
  abortAll(bucket: string): void {
    for (const upload of this.list(bucket)) this.uploads.delete(upload.uploadId);
  }

  /** Forgets every upload. */
  clear(): void {
    this.uploads.clear();
  }
}
