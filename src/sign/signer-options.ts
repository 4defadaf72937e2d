/**
 * Checks of the signers' options, done once when the signer is made, so a
 * missing credential fails at start-up rather than as a 403 on every call.
 * Messages name the field, never its value.
 */
import { CredentialsCache, DEFAULT_REFRESH_BEFORE_EXPIRY_MS, staticCredentials, type CredentialsSource } from './credentials-cache.js';
import type { SignContext } from '../options/types.js';
import { checkCredentials, type CredentialsProvider, type SigningCredentials, type SigningKeys } from './credentials.js';

/**
 * `value` when it is a non-empty string; otherwise a TypeError naming the signer and the field.
 * @example
 * ```ts
 * requireText(process.env.OBS_AK, 'obsSigner', 'accessKeyId'); // the AK, or throws
 * ```
 */
export function requireText(value: unknown, signer: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${signer}: "${field}" must be a non-empty string`);
  }
  return value;
}

/** The options both signers take for their credentials and clock. */
export interface CredentialOptions {
  /** Static access key id. */
  accessKeyId?: string | undefined;
  /** Static secret access key. */
  secretAccessKey?: string | undefined;
  /** Static keys, or a provider of temporary ones. */
  credentials?: SigningCredentials | CredentialsProvider | undefined;
  /** How long before `expiration` a provider is asked again. */
  refreshBeforeExpiryMs?: number | undefined;
  /** The signer's clock. */
  now?: (() => number) | undefined;
}

/** What a signer signs with: its credentials for each request, and its clock. */
export interface SignerCredentials {
  /**
   * The credentials for one request: fresh ones when `context.refreshCredentials` says the server
   * refused those of the call's previous request (unless they were replaced already), else the kept ones.
   */
  keysFor(context: SignContext): Promise<SigningKeys>;
  /** Epoch ms: the `now` option, or `Date.now()` read on each call. */
  now: () => number;
}

/** {@link SignerCredentials} over a source: remembers, per call, the keys its last request was signed with. */
function perRequest(source: CredentialsSource, now: () => number): SignerCredentials {
  const signedWith = new WeakMap<object, SigningKeys>();
  return {
    now,
    async keysFor(context: SignContext): Promise<SigningKeys> {
      const nowMs = now() + context.clockOffsetMs;
      const call = context.call;
      const rejected = call === undefined ? undefined : signedWith.get(call);
      const keys = context.refreshCredentials === true ? await source.renew(nowMs, rejected) : await source.get(nowMs);
      if (call !== undefined) signedWith.set(call, keys);
      return keys;
    },
  };
}

/**
 * Reads the credential options of a signer: the static `accessKeyId` / `secretAccessKey` /
 * token, or `credentials` (static keys or a provider), never both.
 * @param token the signer's own name for the static token option, and its value
 * @throws TypeError naming the field when something is missing, empty, or given twice
 * @example
 * ```ts
 * const { keysFor, now } = signerCredentials(options, 'obsSigner', ['securityToken', options.securityToken]);
 * ```
 */
export function signerCredentials(options: CredentialOptions, signer: string, token: [field: string, value: unknown]): SignerCredentials {
  const { credentials, refreshBeforeExpiryMs = DEFAULT_REFRESH_BEFORE_EXPIRY_MS, now } = options;
  if (now !== undefined && typeof now !== 'function') throw new TypeError(`${signer}: "now" must be a function returning epoch ms`);
  if (typeof refreshBeforeExpiryMs !== 'number' || !Number.isFinite(refreshBeforeExpiryMs) || refreshBeforeExpiryMs < 0) {
    throw new TypeError(`${signer}: "refreshBeforeExpiryMs" must be a finite number of milliseconds, 0 or more`);
  }
  const clock = now ?? ((): number => Date.now());
  if (credentials === undefined) {
    const accessKeyId = requireText(options.accessKeyId, signer, 'accessKeyId');
    const secretAccessKey = requireText(options.secretAccessKey, signer, 'secretAccessKey');
    const securityToken = token[1] === undefined ? undefined : requireText(token[1], signer, token[0]);
    return perRequest(staticCredentials({ accessKeyId, secretAccessKey, securityToken, expiresAtMs: undefined }), clock);
  }
  if (options.accessKeyId !== undefined || options.secretAccessKey !== undefined || token[1] !== undefined) {
    throw new TypeError(`${signer}: give either "credentials" or "accessKeyId" / "secretAccessKey" / "${token[0]}", not both`);
  }
  if (typeof credentials === 'function') return perRequest(new CredentialsCache(credentials, signer, refreshBeforeExpiryMs), clock);
  return perRequest(staticCredentials(checkCredentials(credentials, signer, 'options')), clock);
}
