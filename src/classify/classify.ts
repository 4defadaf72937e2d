/**
 * classifyObsFault: one pure function from an axios response or error to a
 * classified fault. Code first, status second: RequestTimeout is a transient
 * fault whatever status carried it, SlowDown and ServiceUnavailable share 503,
 * PermanentRedirect and WebsiteRedirect share 301 but only the first is a redirect.
 */
import { bodyToText } from '../parse/body-text.js';
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

/** How far into a 2xx body we look for an `<Error>` root (CopyObject's 200-with-error). */
const ERROR_ROOT_WINDOW = 512;

function isResponseLike(value: unknown): value is ResponseLike {
  return value !== null && typeof value === 'object' && typeof (value as Partial<ResponseLike>).status === 'number';
}

/**
 * A 2xx whose body is an OBS `<Error>` document: CopyObject (and UploadPartCopy)
 * answer 200 first and report a failed copy in the body.
 */
function hasErrorRoot(data: unknown): boolean {
  const head = bodyToText(data, ERROR_ROOT_WINDOW);
  if (head === undefined) return false;
  return /^\s*(<\?xml[^>]*\?>\s*)?<([A-Za-z0-9_-]+:)?Error[\s>]/.test(head);
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
 * 3xx/4xx/5xx or a 2xx carrying an `<Error>` body.
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
  if (errorCode !== undefined && LOCAL_ERROR_CODES.has(errorCode)) {
    return { ...makeFault('local', errorCode), errorCode };
  }
  const message = errorField(error, 'message');
  const isTimeout =
    (errorCode !== undefined && TIMEOUT_ERROR_CODES.has(errorCode)) ||
    (errorCode === 'ECONNABORTED' && typeof message === 'string' && /timeout/i.test(message));
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
