/**
 * What checking a request's credentials comes to, shared by the OBS and V4
 * verifiers and the gate that answers for them.
 */

/**
 * The credentials the local OBS server accepts (one key pair).
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
}

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
  /** The accepted credentials. */
  credentials: ObsServerCredentials;
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

/** The refusal of an unknown access key, or of a missing or wrong security token. */
export function checkKey(accessKeyId: string, token: string | undefined, context: VerifyContext): Verdict {
  if (accessKeyId !== context.credentials.accessKeyId) return { code: 'InvalidAccessKeyId' };
  const wanted = context.credentials.securityToken;
  if (wanted !== undefined && token !== wanted) return { code: 'InvalidAccessKeyId', message: 'The security token is invalid.' };
  return undefined;
}

/** The refusal of a presigned URL past its expiry. */
export function checkExpiry(expiresMs: number, context: VerifyContext): Verdict {
  if (Number.isNaN(expiresMs)) return { code: 'AccessDenied', message: 'The presigned URL carries no valid expiry.' };
  return expiresMs < context.now ? { code: 'AccessDenied', message: 'Request has expired' } : undefined;
}
