/**
 * The options of the local OBS server.
 */
import type { ObsServerCredentialsOption } from './auth/verdict.js';
import type { CorsOption } from './cors.js';

/** Options of {@link createObsServer}. */
export interface ObsServerOptions {
  /** Port to listen on (on 127.0.0.1). @default 0: any free port */
  port?: number | undefined;
  /** The server clock (ms): scenarios' time, `receivedAt`, and stored objects' times. @default Date.now */
  now?: (() => number) | undefined;
  /** Create a missing bucket on the first PUT/POST of an object into it; `false`: 404 NoSuchBucket. @default true */
  autoCreateBuckets?: boolean | undefined;
  /**
   * The smallest size, in bytes, of every part but the last when a multipart upload completes;
   * a smaller one makes the completion 400 EntityTooSmall, as on OBS. `0` lifts the limit for
   * tests with tiny parts. @default 102400 (100 KiB, OBS's minimum)
   */
  minPartBytes?: number | undefined;
  /**
   * Answer CORS preflights and expose the OBS headers on every answer, for pages on another
   * origin: `true` for any origin, `{ origins }` for those only. Preflights are not recorded. @default false
   */
  cors?: CorsOption | undefined;
  /**
   * Check signatures as OBS does: every request must be signed with this key pair, or with one
   * the lookup function returns for the request's access key id (OBS or AWS V4, header or
   * presigned URL), with its security token and before its `expiresAt`, else 403 AccessDenied /
   * InvalidAccessKeyId / SignatureDoesNotMatch / RequestTimeTooSkewed, answered before any step
   * or scenario. A lookup lets a test issue, rotate and revoke temporary credentials. @default none: no checks
   */
  credentials?: ObsServerCredentialsOption | undefined;
  /** With `credentials`: largest distance (ms) between a request's date and `now` before RequestTimeTooSkewed. @default 900000 (15 min) */
  maxSkewMs?: number | undefined;
  /**
   * The longest request body, in bytes, the server keeps. A longer one is hashed as it arrives
   * and dropped: its record has an empty `body` and a `bodyDigest` (length, SHA-256, MD5), its
   * `Content-MD5` and V4 `x-amz-content-sha256` are checked against the digest, and a PUT of it
   * answers 200 with the ETag of the bytes received but stores nothing. For uploads larger than
   * the server's process should hold (a 1 GiB benchmark); other writes (append, parts) see an
   * empty body. @default Infinity: every body is kept
   */
  keepBodiesUpTo?: number | undefined;
}
