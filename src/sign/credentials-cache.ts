/**
 * Where a signer's credentials come from on each request: static keys, or a
 * provider's answer kept until shortly before it expires. One provider call at
 * a time, however many requests wait for it; a failed call is not kept, so the
 * next request asks again.
 */
import { checkCredentials, type CredentialsProvider, type SigningKeys } from './credentials.js';

/**
 * How long before `expiration` the provider is asked again, unless that is more than half the
 * credentials' lifetime (then at half of it). 5 minutes, as the AWS SDKs do: every OBS token lives
 * 15 minutes or more, and a request signed just before the refresh still reaches the server in time.
 */
export const DEFAULT_REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * The credentials a signer signs with.
 * @example
 * ```ts
 * const keys = context.refreshCredentials === true ? await source.renew(nowMs, lastUsed) : await source.get(nowMs);
 * ```
 */
export interface CredentialsSource {
  /** The credentials to sign with at `nowMs` (epoch ms, the signer's clock plus the learned offset). */
  get(nowMs: number): Promise<SigningKeys>;
  /**
   * Fresh credentials after the server refused `rejected`: the provider is asked again unless a
   * newer answer is there already (many requests refused at once cause one provider call).
   * `undefined` when the signer does not know what the refused request was signed with.
   */
  renew(nowMs: number, rejected: SigningKeys | undefined): Promise<SigningKeys>;
}

/**
 * Static keys: the same on every request; nothing to renew.
 * @example
 * ```ts
 * const source = staticCredentials({ accessKeyId: 'AK', secretAccessKey: 'SK', securityToken: undefined, expiresAtMs: undefined });
 * ```
 */
export function staticCredentials(keys: SigningKeys): CredentialsSource {
  const answer = Promise.resolve(keys);
  return { get: () => answer, renew: () => answer };
}

/** A provider's answer as the cache keeps it. */
interface Entry {
  readonly keys: SigningKeys;
  /** From this time on, a request asks the provider first. */
  readonly refreshAtMs: number;
  /** Until this time the keys may still sign when the provider fails (their `expiration`). */
  readonly usableUntilMs: number;
}

/**
 * A provider's credentials, kept and refreshed ahead of their expiration.
 * @example
 * ```ts
 * const cache = new CredentialsCache(fetchTemporaryKeys, 'obsSigner', DEFAULT_REFRESH_BEFORE_EXPIRY_MS);
 * const keys = await cache.get(Date.now());
 * ```
 */
export class CredentialsCache implements CredentialsSource {
  private entry: Entry | undefined;
  /** The provider call under way, shared by every request that waits for it. */
  private inflight: Promise<SigningKeys> | undefined;

  /**
   * @param provider fetches credentials
   * @param signer the signer's name, for error messages
   * @param refreshBeforeExpiryMs how long before `expiration` the provider is asked again (at most half the lifetime)
   */
  constructor(
    private readonly provider: CredentialsProvider,
    private readonly signer: string,
    private readonly refreshBeforeExpiryMs: number,
  ) {}

  /**
   * The kept credentials while `nowMs` is before their refresh time; else the provider's next
   * answer. When that call fails, credentials that have not expired yet still sign (the next
   * request asks again); otherwise the promise rejects with the provider's failure.
   */
  async get(nowMs: number): Promise<SigningKeys> {
    const entry = this.entry;
    if (entry !== undefined && nowMs < entry.refreshAtMs) return entry.keys;
    try {
      return await this.refresh(nowMs);
    } catch (error) {
      if (entry !== undefined && this.entry === entry && nowMs < entry.usableUntilMs) return entry.keys;
      throw error;
    }
  }

  /** See {@link CredentialsSource.renew}; the refused credentials are dropped, so a failed call is tried again by the next request. */
  async renew(nowMs: number, rejected: SigningKeys | undefined): Promise<SigningKeys> {
    if (this.inflight !== undefined) return this.inflight;
    const entry = this.entry;
    if (entry !== undefined && rejected !== undefined && entry.keys !== rejected) return this.get(nowMs);
    this.entry = undefined;
    return this.refresh(nowMs);
  }

  /** The provider call under way, or a new one. */
  private refresh(nowMs: number): Promise<SigningKeys> {
    this.inflight ??= this.fetch(nowMs).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetch(nowMs: number): Promise<SigningKeys> {
    let answer: unknown;
    try {
      answer = await this.provider();
    } catch (error) {
      // The provider's own error stays the cause; the message says nothing of what it carried.
      throw new Error(`${this.signer}: the credentials provider failed`, { cause: error });
    }
    const keys = checkCredentials(answer, this.signer, 'provider');
    const expiresAtMs = keys.expiresAtMs;
    if (expiresAtMs === undefined) {
      this.entry = { keys, refreshAtMs: Number.POSITIVE_INFINITY, usableUntilMs: Number.POSITIVE_INFINITY };
    } else {
      const ahead = Math.min(this.refreshBeforeExpiryMs, Math.max(0, (expiresAtMs - nowMs) / 2));
      this.entry = { keys, refreshAtMs: expiresAtMs - ahead, usableUntilMs: expiresAtMs };
    }
    return keys;
  }
}
