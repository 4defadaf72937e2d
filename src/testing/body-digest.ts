/**
 * Request bodies the local OBS server does not keep: past `keepBodiesUpTo`
 * bytes a body is hashed as it arrives and dropped, so a test or benchmark can
 * upload more than the server's process should hold (a 1 GiB file) and still
 * check, byte for byte, what arrived.
 */
import { createHash, type Hash } from 'node:crypto';

/** The length and digests of a request body the server did not keep. */
export interface BodyDigest {
  /** Its length in bytes. */
  readonly bytes: number;
  /** Its SHA-256, lower-case hex. */
  readonly sha256: string;
  /** Its MD5, lower-case hex (the ETag a PUT of it answers, quoted). */
  readonly md5: string;
}

/** A request body as it arrived: its bytes, or, past the limit, none and their digest. */
export interface CollectedBody {
  /** The whole body, or an empty Buffer when it was not kept. */
  readonly body: Buffer;
  /** Set when the body was not kept. */
  readonly digest: BodyDigest | undefined;
}

/** Collects one request body, chunk by chunk. */
export class BodyCollector {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private hashes: { sha256: Hash; md5: Hash } | undefined;

  /** @param keepUpTo the longest body kept whole, in bytes (`Infinity`: every body) */
  constructor(private readonly keepUpTo: number) {}

  /** Takes the next chunk; past the limit, hashes it (and what came before) instead of keeping it. */
  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.hashes !== undefined) {
      this.hashes.sha256.update(chunk);
      this.hashes.md5.update(chunk);
      return;
    }
    this.chunks.push(chunk);
    if (this.bytes <= this.keepUpTo) return;
    const hashes = { sha256: createHash('sha256'), md5: createHash('md5') };
    for (const kept of this.chunks) {
      hashes.sha256.update(kept);
      hashes.md5.update(kept);
    }
    this.chunks = [];
    this.hashes = hashes;
  }

  /** The body once it has fully arrived. */
  finish(): CollectedBody {
    const { hashes } = this;
    if (hashes === undefined) return { body: Buffer.concat(this.chunks), digest: undefined };
    return { body: Buffer.alloc(0), digest: { bytes: this.bytes, sha256: hashes.sha256.digest('hex'), md5: hashes.md5.digest('hex') } };
  }
}
