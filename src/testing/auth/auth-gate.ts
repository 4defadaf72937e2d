/**
 * The local OBS server's credential check, on when it is given `credentials`:
 * every request must be signed (OBS header or presigned URL, or AWS V4 header
 * or presigned URL) with that key pair (or one the lookup knows), within
 * `maxSkewMs` of the server clock, before the credentials' `expiresAt`.
 * Refusals are answered as OBS answers them: 403 AccessDenied,
 * InvalidAccessKeyId (an unknown key, a wrong or expired security token),
 * SignatureDoesNotMatch (with `<StringToSign>`),
 * RequestTimeTooSkewed (with the server's `Date`, so a client can learn the
 * offset and re-sign).
 */
import { xmlElement } from '../obs-responses.js';
import type { RecordedRequest } from '../recorded-request.js';
import { errorReply, type Reply } from '../reply.js';
import type { Denial, ObsServerCredentials, ObsServerCredentialsOption, Verdict, VerifyContext } from './verdict.js';
import { hasObsQuerySignature, verifyObsHeader, verifyObsQuery } from './verify-obs.js';
import { verifyV4Header } from './verify-v4.js';
import { hasV4QuerySignature, verifyV4Query } from './verify-v4-query.js';

/** OBS refuses requests more than 15 minutes from its clock. */
const DEFAULT_MAX_SKEW_MS = 15 * 60_000;

/** The answer to a refused request: the OBS error, dated by the server clock, plus any details. */
function denialReply(denial: Denial, record: RecordedRequest, nowMs: number): Reply {
  const reply = errorReply({ error: denial.code, status: denial.status, message: denial.message, headers: { date: new Date(nowMs).toUTCString() } }, record);
  const details = (denial.details ?? []).map(([name, value]) => xmlElement(name, value)).join('');
  if (details === '' || typeof reply.body !== 'string' || !reply.body.endsWith('</Error>')) return reply;
  return { ...reply, body: `${reply.body.slice(0, -'</Error>'.length)}${details}</Error>` };
}

function authorizationOf(record: RecordedRequest): string | undefined {
  const value = record.headers.authorization;
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Checks requests' credentials in arrival order and renders the refusals.
 * The server makes one when given `credentials`.
 * @example
 * ```ts
 * const gate = new AuthGate({ accessKeyId: 'AK', secretAccessKey: 'SK' }, Date.now);
 * const refusal = await gate.check(record); // a 403 Reply, or undefined: serve it
 * ```
 */
export class AuthGate {
  /** The last check queued: checks run one after the other, so answers keep arrival order. */
  private tail: Promise<unknown> = Promise.resolve();
  /** The accepted credentials of an access key id. */
  private readonly credentialsOf: (accessKeyId: string) => ObsServerCredentials | undefined;

  /**
   * @param credentials the one key pair (and optional token and expiry) accepted, or a lookup by access key id
   * @param now the server clock
   * @param maxSkewMs largest accepted distance between a request's date and the clock
   * @throws TypeError when a credential is empty, `expiresAt` is not a time, or `maxSkewMs` is not a positive number
   */
  constructor(
    credentials: ObsServerCredentialsOption,
    private readonly now: () => number,
    private readonly maxSkewMs: number = DEFAULT_MAX_SKEW_MS,
  ) {
    if (typeof credentials === 'function') {
      this.credentialsOf = credentials;
    } else {
      for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
        if (typeof credentials[field] !== 'string' || credentials[field] === '') throw new TypeError(`credentials.${field} must be a non-empty string`);
      }
      const { expiresAt } = credentials;
      if (expiresAt !== undefined && !(expiresAt instanceof Date ? Number.isFinite(expiresAt.getTime()) : Number.isFinite(expiresAt))) {
        throw new TypeError('credentials.expiresAt must be epoch ms or a valid Date');
      }
      this.credentialsOf = (accessKeyId) => (accessKeyId === credentials.accessKeyId ? credentials : undefined);
    }
    if (!(maxSkewMs > 0)) throw new TypeError('maxSkewMs must be a positive number of milliseconds');
  }

  /**
   * Resolves with the refusal to send for `record`, or `undefined` when it may
   * go on to the steps, scenarios and store. Rejects only when a check itself broke.
   */
  check(record: RecordedRequest): Promise<Reply | undefined> {
    const result = this.tail.then(async () => {
      const denial = await this.verdictOf(record);
      return denial === undefined ? undefined : denialReply(denial, record, this.now());
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async verdictOf(record: RecordedRequest): Promise<Verdict> {
    // Preflights carry no credentials, on OBS as anywhere.
    if (record.method === 'OPTIONS') return undefined;
    const context: VerifyContext = { credentialsOf: this.credentialsOf, now: this.now(), maxSkewMs: this.maxSkewMs };
    const authorization = authorizationOf(record);
    if (authorization !== undefined) {
      if (/^OBS\s/.test(authorization)) return verifyObsHeader(record, authorization, context);
      if (/^AWS4-HMAC-SHA256\s/.test(authorization)) return verifyV4Header(record, authorization, context);
      return { code: 'AccessDenied', message: 'Unsupported Authorization Type' };
    }
    if (hasObsQuerySignature(record)) return verifyObsQuery(record, context);
    if (hasV4QuerySignature(record)) return verifyV4Query(record, context);
    return { code: 'AccessDenied', message: 'Access Denied' };
  }
}
