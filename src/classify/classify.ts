/**
 * classifyObsFault: one pure function from an axios response or error to a
 * classified fault. Code first, status second: RequestTimeout is a transient
 * fault whatever status carried it, SlowDown and ServiceUnavailable share 503,
 * PermanentRedirect and WebsiteRedirect share 301 but only the first is a redirect.
 */
import { transportCode } from './transport-reason.js';
import { hasErrorRoot } from '../parse/error-root.js';
import { readHeader } from '../parse/headers.js';
import { parseObsError } from '../parse/parse-obs-error.js';
import { httpStandInCode, NETWORK_ERROR_CODE, TIMEOUT_CODE } from './stand-in-codes.js';
import { makeFault, type ObsFault } from './fault.js';
import { KIND_BY_CODE, kindForStatus, LOCAL_ERROR_CODES, TIMEOUT_ERROR_CODES } from './kinds.js';
import { parseHttpDate, parseRetryAfter } from './retry-after.js';

/** The parts of an axios response the classifier reads. */
interface ResponseLike {
  status: number;
  headers?: unknown;
  data?: unknown;
}

/** Stand-in code of a canceled call (never in an `ObsError`: cancels reject with axios's `CanceledError`). */
const CANCELED_CODE = 'Canceled';

function isResponseLike(value: unknown): value is ResponseLike {
  return value !== null && typeof value === 'object' && typeof (value as Partial<ResponseLike>).status === 'number';
}

function classifyFailedResponse(response: ResponseLike, nowMs: number): ObsFault {
  const { status, headers, data } = response;
  const parsed = parseObsError(data, headers);
  const code = parsed?.code ?? httpStandInCode(status);
  const kind = KIND_BY_CODE[code] ?? kindForStatus(status);
  const serverDateMs = parseHttpDate(readHeader(headers, 'date'));
  const fault = makeFault(kind, code);
  fault.status = status;
  fault.message = parsed?.message;
  fault.id2 = readHeader(headers, 'x-obs-id-2') ?? readHeader(headers, 'x-amz-id-2');
  fault.requestId = parsed?.requestId ?? readHeader(headers, 'x-obs-request-id') ?? readHeader(headers, 'x-amz-request-id');
  fault.hostId = parsed?.hostId ?? fault.id2;
  fault.resource = parsed?.resource;
  fault.endpoint = parsed?.endpoint;
  fault.location = status >= 300 && status < 400 ? readHeader(headers, 'location') : undefined;
  fault.retryAfterMs = parseRetryAfter(readHeader(headers, 'retry-after'), serverDateMs, nowMs);
  fault.serverDateMs = serverDateMs;
  return fault;
}

/**
 * Classifies a settled response: `undefined` for a success, a fault for a
 * 3xx/4xx/5xx or a 2xx whose body's root is `<Error>` (CopyObject, UploadPartCopy
 * and CompleteMultipartUpload report a failure after their 200 head that way).
 */
export function classifyResponse(response: ResponseLike, nowMs: number = Date.now()): ObsFault | undefined {
  if (response.status >= 200 && response.status < 300) {
    return hasErrorRoot(response.data) ? classifyFailedResponse(response, nowMs) : undefined;
  }
  return classifyFailedResponse(response, nowMs);
}

function errorField(error: object, name: string): unknown {
  try {
    return (error as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

/** The caller's `maxContentLength` as the error's config holds it; -1 (axios's "no limit") when unset. */
function maxContentLengthOf(error: object): number {
  const config = errorField(error, 'config');
  if (config === null || typeof config !== 'object') return -1;
  const limit = errorField(config, 'maxContentLength');
  return typeof limit === 'number' && Number.isFinite(limit) ? limit : -1;
}

/** The caller's `timeoutErrorMessage`, the message axios gives its own timeout error when one is set. */
function timeoutMessageOf(error: object): string | undefined {
  const config = errorField(error, 'config');
  const text = config !== null && typeof config === 'object' ? errorField(config, 'timeoutErrorMessage') : undefined;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/** The caller's `responseType`, lower-cased as axios's fetch adapter reads it. */
function responseTypeOf(error: object): string | undefined {
  const config = errorField(error, 'config');
  const type = config !== null && typeof config === 'object' ? errorField(config, 'responseType') : undefined;
  return typeof type === 'string' ? type.toLowerCase() : undefined;
}

/**
 * axios's own refusals that share their code with answers, told apart by shape.
 * Called for an `AxiosError` without a response (an answer that failed
 * `validateStatus` carries one):
 * - `ERR_BAD_REQUEST`: axios refused to send (a body over `maxBodyLength`, checked
 *   before sending or while a stream body is sent; an unsupported protocol; data it
 *   cannot send; params it cannot serialize);
 * - `ERR_BAD_RESPONSE` with a `maxContentLength` set: an answer over the caller's
 *   limit (the request went out and the server answered, but a response too big for
 *   the caller says nothing about the endpoint, and the same request gets the same
 *   answer). Without a limit it is not this (older axios 1.x worded a broken
 *   response stream as "maxContentLength size of -1 exceeded");
 * - no code, a `TypeError`, `responseType: 'formdata'`, and no connection error
 *   beneath it: the fetch adapter could not decode the answer as FormData (OBS
 *   answers XML); the answer is gone with it, so its code cannot be read.
 */
function isLocalAxiosError(error: object, errorCode: string | undefined): boolean {
  if (errorField(error, 'isAxiosError') !== true) return false;
  if (errorCode === 'ERR_BAD_REQUEST') return true;
  if (errorCode === 'ERR_BAD_RESPONSE') return maxContentLengthOf(error) >= 0;
  if (errorCode === undefined) {
    return errorField(error, 'name') === 'TypeError' && responseTypeOf(error) === 'formdata' && transportCode(error) === undefined;
  }
  return false;
}

/** Classifies a rejection (an `AxiosError`, a `CanceledError`, or a raw transport error). */
export function classifyError(error: unknown, nowMs: number = Date.now()): ObsFault {
  if (error === null || typeof error !== 'object') return makeFault('local', NETWORK_ERROR_CODE);
  const code = errorField(error, 'code');
  const errorCode = typeof code === 'string' ? code : undefined;
  if (errorCode === 'ERR_CANCELED' || errorField(error, '__CANCEL__') === true || errorField(error, 'name') === 'CanceledError') {
    return { ...makeFault('canceled', CANCELED_CODE), errorCode };
  }
  const response = errorField(error, 'response');
  if (isResponseLike(response)) {
    const fault = classifyResponse(response, nowMs);
    if (fault !== undefined) return fault;
    // A 2xx head whose body never completed (socket reset mid-body): a transport failure.
    return { ...makeFault('network', NETWORK_ERROR_CODE), status: response.status, errorCode };
  }
  if ((errorCode !== undefined && LOCAL_ERROR_CODES.has(errorCode)) || isLocalAxiosError(error, errorCode)) {
    return { ...makeFault('local', errorCode ?? NETWORK_ERROR_CODE), errorCode };
  }
  const message = errorField(error, 'message');
  const isTimeout =
    (errorCode !== undefined && TIMEOUT_ERROR_CODES.has(errorCode)) ||
    // ECONNABORTED is also XHR's "Request aborted"; axios's timeout says "timeout of N ms exceeded", or the caller's timeoutErrorMessage.
    (errorCode === 'ECONNABORTED' && typeof message === 'string' && (/timeout/i.test(message) || message === timeoutMessageOf(error)));
  if (isTimeout) return { ...makeFault('timeout', TIMEOUT_CODE), errorCode };
  // Not an HTTP client error at all (a bug in a hook, a TypeError): nothing for a policy to do.
  if (errorCode === undefined && errorField(error, 'isAxiosError') !== true) {
    return makeFault('local', NETWORK_ERROR_CODE);
  }
  return { ...makeFault('network', NETWORK_ERROR_CODE), errorCode };
}

/**
 * Classifies an axios response or error into an OBS fault.
 *
 * @param outcome an `AxiosResponse` (or anything with a numeric `status`) or a rejection
 * @param nowMs the local clock, for `Retry-After` dates when the response has no `Date`
 * @returns the fault, or `undefined` for a successful response
 * @example
 * classifyObsFault(err) // → { kind: 'throttled', code: 'SlowDown', status: 503, requestId: '…', … }
 */
export function classifyObsFault(outcome: unknown, nowMs: number = Date.now()): ObsFault | undefined {
  if (isResponseLike(outcome) && errorField(outcome, 'isAxiosError') !== true) return classifyResponse(outcome, nowMs);
  return classifyError(outcome, nowMs);
}
