/**
 * Signing credentials as the signers take them: static keys, or a provider
 * function that fetches temporary ones (with a security token and an
 * expiration), and the check of what a provider hands back. Messages name the
 * field, never its value.
 */

/**
 * One set of signing credentials. `expiration` says when temporary ones stop
 * working: a `Date`, an ISO 8601 string (`2024-05-01T12:00:00Z`, as IAM's
 * `expires_at`) or epoch milliseconds.
 * @example
 * ```ts
 * const temporary: SigningCredentials = { accessKeyId: 'AK', secretAccessKey: 'SK', securityToken: 'token', expiration: '2024-05-01T12:00:00Z' };
 * ```
 */
export interface SigningCredentials {
  /** The access key id (AK). */
  accessKeyId: string;
  /** The secret access key (SK); it only ever feeds the HMAC. */
  secretAccessKey: string;
  /** The security token of temporary credentials, sent (and signed) as `x-obs-security-token` or `x-amz-security-token`. */
  securityToken?: string | undefined;
  /** When the credentials stop working (server time): a `Date`, an ISO 8601 string or epoch ms. @default none: they never expire */
  expiration?: Date | string | number | undefined;
}

/**
 * Fetches credentials (from IAM, a metadata service, your own token service).
 * The signer calls it on the first request, again ahead of `expiration`, and
 * once more when OBS refuses the credentials; never more than once at a time.
 * @example
 * ```ts
 * const provider: CredentialsProvider = async () => {
 *   const { access, secret, securitytoken, expires_at } = await myTokenService.fetch();
 *   return { accessKeyId: access, secretAccessKey: secret, securityToken: securitytoken, expiration: expires_at };
 * };
 * ```
 */
export type CredentialsProvider = () => SigningCredentials | Promise<SigningCredentials>;

/** Credentials checked and ready to sign with; `expiresAtMs` is epoch ms, `undefined` when they never expire. */
export interface SigningKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly securityToken: string | undefined;
  readonly expiresAtMs: number | undefined;
}

/** Epoch ms of an `expiration`, or `undefined` when it is not one of the three accepted forms. */
function expirationMs(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Checks one set of credentials, as given in the options (`from: 'options'`,
 * a TypeError when the signer is made) or returned by the provider
 * (`from: 'provider'`, an Error that the sign hook rejects with).
 * @example
 * ```ts
 * const keys = checkCredentials(await provider(), 'obsSigner', 'provider');
 * ```
 */
export function checkCredentials(value: unknown, signer: string, from: 'options' | 'provider'): SigningKeys {
  const where = from === 'options' ? `${signer}: "credentials"` : `${signer}: the credentials provider's answer`;
  const fail = (problem: string): Error => (from === 'options' ? new TypeError(`${where} ${problem}`) : new Error(`${where} ${problem}`));
  if (value === null || typeof value !== 'object') throw fail('is not an object with accessKeyId and secretAccessKey');
  const { accessKeyId, secretAccessKey, securityToken, expiration } = value as Record<string, unknown>;
  if (!isText(accessKeyId)) throw fail('has no "accessKeyId" (a non-empty string)');
  if (!isText(secretAccessKey)) throw fail('has no "secretAccessKey" (a non-empty string)');
  if (securityToken !== undefined && !isText(securityToken)) throw fail('has a "securityToken" that is not a non-empty string');
  const expiresAtMs = expiration === undefined ? undefined : expirationMs(expiration);
  if (expiration !== undefined && expiresAtMs === undefined) throw fail('has an "expiration" that is not a valid Date, ISO 8601 string or epoch ms');
  return { accessKeyId, secretAccessKey, securityToken, expiresAtMs };
}
