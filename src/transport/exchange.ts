/**
 * One request/response exchange through the base adapter, turned into an
 * outcome: success (by the caller's own validateStatus), a classified fault, or
 * a cancellation/local error to hand back untouched. It reports facts only:
 * what the policy table says about a fault is decided by the call.
 */
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { classifyError, classifyResponse } from '../classify/classify.js';
import { makeFault, type ObsFault } from '../classify/fault.js';
import { kindForStatus } from '../classify/kinds.js';
import { httpStandInCode } from '../classify/stand-in-codes.js';
import { MAX_ERROR_BODY_BYTES } from '../parse/body-text.js';
import type { ExchangeOutcome } from './outcome.js';
import { giveBack, type LentFields } from './attempt-config.js';
import { drainStream, drainWebStream, isReadableStream, isWebReadableStream, nodeStreamOf, webStreamOf } from './drain-stream.js';
import { mayAnswerErrorIn200 } from './error-in-200.js';
import { isBlobLike, readBlobPrefix, type BlobLike } from './read-blob.js';

/** How long an error body streamed without an axios timeout may take to arrive. */
const STREAM_DRAIN_TIMEOUT_MS = 10_000;

/** Statuses the redirect policy handles, whatever the caller's validateStatus says (axios would have followed them). */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** What an exchange needs from its call. */
export interface ExchangeContext {
  /** The adapter the policies wrap. */
  base: AxiosAdapter;
  /** The call's own config: its validateStatus decides success, and a response carries it back. */
  callConfig: InternalAxiosRequestConfig;
  /** Upper-case method of the call. */
  method: string;
}

/** True when `target` is not an http(s) URL: no adapter of axios can send it, whatever error it reports. */
function isUnsendable(target: { readonly url: URL }): boolean {
  try {
    const protocol = target.url.protocol;
    return protocol !== 'http:' && protocol !== 'https:';
  } catch {
    // A URL that cannot be parsed cannot have been sent either.
    return true;
  }
}

/**
 * Sends `config` through the base adapter and classifies what came back.
 * Written with `then`, not `async`/`await`: this runs for every request, and
 * one promise reaction is cheaper than an async frame around the adapter's.
 * It does not reject: an adapter that throws or rejects is classified like any
 * failed request (a cancellation or local error as `passthrough`).
 * @param target where the request went (its URL goes into a fault's outcome)
 * @param lent set when `config` is the call's own config lent by `lendCallConfig`: given back as soon as the adapter settles
 */
export function exchange(context: ExchangeContext, config: InternalAxiosRequestConfig, target: { readonly url: URL }, lent?: LentFields): Promise<ExchangeOutcome> {
  let answer: Promise<AxiosResponse>;
  try {
    // An adapter that throws instead of rejecting, or returns a plain value, is settled like one that rejects or resolves.
    answer = Promise.resolve(context.base(config));
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- handed on untouched, as an awaited rejection would be
    answer = Promise.reject(error);
  }
  return answer.then(
    (response) => {
      if (lent !== undefined) giveBack(context.callConfig, lent);
      return settleResponse(context, config, target, response);
    },
    (error: unknown): ExchangeOutcome => {
      if (lent !== undefined) giveBack(context.callConfig, lent);
      const fault = classifyError(error);
      // axios's fetch adapter reports a URL it cannot send (ftp:) as ERR_NETWORK: it is the caller's, not the endpoint's.
      if (fault.kind === 'canceled' || fault.kind === 'local' || isUnsendable(target)) return { type: 'passthrough', error };
      return { type: 'fault', fault, url: target.url, response: undefined, error };
    },
  );
}

/** Classifies a response the adapter resolved with (every status: the request's `validateStatus` is `null`). */
function settleResponse(context: ExchangeContext, config: InternalAxiosRequestConfig, target: { readonly url: URL }, response: AxiosResponse): ExchangeOutcome | Promise<ExchangeOutcome> {
  const status = response.status;
  const mustRead = status >= 200 && status < 300 && mayAnswerErrorIn200(context.method, config);
  if (!REDIRECT_STATUSES.has(status) && !mustRead) {
    const validate = context.callConfig.validateStatus;
    if (validate === undefined || validate === null || validate(status)) {
      // The caller sees its own config, as without the policies.
      response.config = context.callConfig;
      return { type: 'success', response };
    }
  }
  const data: unknown = response.data;
  if (isReadableStream(data) || isWebReadableStream(data)) return settleStream(context, config, target, response);
  if (isBlobLike(data)) return settleBlob(context, target, response, data);
  const fault = classifyResponse(response) ?? refusedByCaller(context, status);
  if (fault === undefined) {
    response.config = context.callConfig;
    return { type: 'success', response };
  }
  return { type: 'fault', fault, url: target.url, response, error: undefined };
}

/**
 * A 2xx that carries no `<Error>` but that the caller's own `validateStatus` refuses: a failure by
 * the caller's rule (`HTTP_<status>`, judged by the table like any unknown code), as bare axios
 * would reject it. `undefined` when the caller accepts it.
 */
function refusedByCaller(context: ExchangeContext, status: number): ObsFault | undefined {
  const validate = context.callConfig.validateStatus;
  if (validate === undefined || validate === null || validate(status)) return undefined;
  return makeFault(kindForStatus(status), httpStandInCode(status), { status });
}

/**
 * responseType 'stream': reads the (small) error body so the code is known and the socket is freed;
 * the caller still gets a stream of the same kind (Node or WHATWG), of the bytes read.
 */
async function settleStream(context: ExchangeContext, config: InternalAxiosRequestConfig, target: { readonly url: URL }, response: AxiosResponse): Promise<ExchangeOutcome> {
  const drainTimeoutMs = config.timeout !== undefined && config.timeout > 0 ? config.timeout : STREAM_DRAIN_TIMEOUT_MS;
  const stream: unknown = response.data;
  let body: Uint8Array;
  if (isReadableStream(stream)) {
    body = await drainStream(stream, MAX_ERROR_BODY_BYTES, drainTimeoutMs);
    response.data = nodeStreamOf(stream, body);
  } else if (isWebReadableStream(stream)) {
    body = await drainWebStream(stream, MAX_ERROR_BODY_BYTES, drainTimeoutMs);
    response.data = webStreamOf(body);
  } else {
    throw new Error('unreachable: settleStream is only called for a stream body');
  }
  const fault = classifyResponse({ status: response.status, headers: response.headers, data: body }) ?? refusedByCaller(context, response.status);
  return fault === undefined
    ? { type: 'success', response: Object.assign(response, { config: context.callConfig }) }
    : { type: 'fault', fault, url: target.url, response, error: undefined };
}

/**
 * responseType 'blob' (fetch adapter): reads the start of the body from the Blob so the code is known.
 * The caller gets the same Blob: reading it consumed nothing.
 */
async function settleBlob(context: ExchangeContext, target: { readonly url: URL }, response: AxiosResponse, blob: BlobLike): Promise<ExchangeOutcome> {
  const body = await readBlobPrefix(blob, MAX_ERROR_BODY_BYTES);
  const fault = classifyResponse({ status: response.status, headers: response.headers, data: body }) ?? refusedByCaller(context, response.status);
  return fault === undefined
    ? { type: 'success', response: Object.assign(response, { config: context.callConfig }) }
    : { type: 'fault', fault, url: target.url, response, error: undefined };
}
