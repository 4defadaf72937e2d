/**
 * What checking a request's credentials comes to, shared by the OBS and V4
 * verifiers and the gate that answers for them.
 */

/**
 * One key pair the local OBS server accepts, with the token and expiry of
 * temporary credentials.
 * @example
 * ```ts
 * const obs = await createObsServer({ credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' } });
 * ```
 */
export interface ObsServerCredentials {
  /** The access key id (AK) requests must name. */
  accessKeyId: string;
  /** The secret access key (SK) signatures are checked with. */
  secretAccessKey: string;
  /**
   * When set, the credentials are temporary: requests must carry this token
   * (`x-obs-security-token` / `x-amz-security-token`, in a header or a
   * presigned query), else 403 InvalidAccessKeyId. @default none
   */
  securityToken?: string | undefined;
  /**
   * When set, the credentials expire: from this time of the server clock (`now`, epoch ms or a
   * Date) on, requests signed with them get 403 InvalidAccessKeyId "The security token is
   * invalid.", as OBS answers an expired token. @default none: they never expire
   */
  expiresAt?: number | Date | undefined;
}

/**
 * The credentials the local OBS server accepts: one key pair, or a lookup by access key id
 * (`undefined`: unknown key) for a test that issues, rotates and revokes temporary credentials.
 * @example
 * ```ts
 * const issued = new Map<string, ObsServerCredentials>();
 * const obs = await createObsServer({ credentials: (accessKeyId) => issued.get(accessKeyId) });
 * ```
 */
export type ObsServerCredentialsOption = ObsServerCredentials | ((accessKeyId: string) => ObsServerCredentials | undefined);

/** A refusal: the OBS code, and what the error answer says. */
export interface Denial {
  /** The OBS code (`SignatureDoesNotMatch`, `RequestTimeTooSkewed`, …). */
  code: string;
  /** The status, when not the catalog's. */
  status?: number | undefined;
  /** `<Message>`, when not the catalog's. */
  message?: string | undefined;
  /** More elements of the error document, in order (`StringToSign`, `CanonicalRequest`, …). */
  details?: [string, string][] | undefined;
}

/** A verifier's answer: `undefined` lets the request through. */
export type Verdict = Denial | undefined;

/** What a verifier needs besides the request. */
export interface VerifyContext {
  /** The accepted credentials of an access key id, `undefined` for an unknown one. */
  credentialsOf: (accessKeyId: string) => ObsServerCredentials | undefined;
  /** The server clock, ms. */
  now: number;
  /** Largest accepted distance between the request's date and `now`, ms. */
  maxSkewMs: number;
}

/** The refusal of a request whose date is too far from the server clock, or unreadable. */
export function checkRequestTime(dateMs: number, context: VerifyContext): Verdict {
  if (Number.isNaN(dateMs)) return { code: 'AccessDenied', message: 'The request carries no valid Date, x-obs-date or x-amz-date header.' };
  if (Math.abs(dateMs - context.now) > context.maxSkewMs) return { code: 'RequestTimeTooSkewed' };
  return undefined;
}

/** What checking a request's key comes to: the secret to check its signature with, or the refusal. */
export type KeyCheck = { denial: Denial; secretAccessKey?: undefined } | { denial?: undefined; secretAccessKey: string };

/** The refusal of an unknown access key, of a missing or wrong security token, or of expired credentials. */
export function checkKey(accessKeyId: string, token: string | undefined, context: VerifyContext): KeyCheck {
  const credentials = context.credentialsOf(accessKeyId);
  if (credentials?.accessKeyId !== accessKeyId) return { denial: { code: 'InvalidAccessKeyId' } };
  const wanted = credentials.securityToken;
  const expiresAt = credentials.expiresAt;
  const expired = expiresAt !== undefined && context.now >= (expiresAt instanceof Date ? expiresAt.getTime() : expiresAt);
  if ((wanted !== undefined && token !== wanted) || expired) return { denial: { code: 'InvalidAccessKeyId', message: 'The security token is invalid.' } };
  return { secretAccessKey: credentials.secretAccessKey };
}

/** The refusal of a presigned URL past its expiry. */
export function checkExpiry(expiresMs: number, context: VerifyContext): Verdict {
  if (Number.isNaN(expiresMs)) return { code: 'AccessDenied', message: 'The presigned URL carries no valid expiry.' };
  return expiresMs < context.now ? { code: 'AccessDenied', message: 'Request has expired' } : undefined;
}
