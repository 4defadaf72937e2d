/**
 * One request/response exchange through the base adapter, turned into an
 * outcome: success (by the caller's own validateStatus), a classified fault, or
 * a cancellation/local error to hand back untouched. It reports facts only:
 * what the policy table says about a fault is decided by the call.
 */
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { classifyError, classifyResponse } from '../classify/classify.js';
import { MAX_ERROR_BODY_BYTES } from '../parse/body-text.js';
import { readHeader } from '../parse/headers.js';
import type { ExchangeOutcome } from './outcome.js';
import { giveBack, type LentFields } from './attempt-config.js';
import { drainStream, drainWebStream, isReadableStream, isWebReadableStream, nodeStreamOf, webStreamOf } from './drain-stream.js';

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

/** CopyObject / UploadPartCopy: a PUT with a copy source, which may answer 200 with an `<Error>` body. */
function isCopyRequest(method: string, headers: unknown): boolean {
  return method === 'PUT' && (readHeader(headers, 'x-obs-copy-source') !== undefined || readHeader(headers, 'x-amz-copy-source') !== undefined);
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
      if (fault.kind === 'canceled' || fault.kind === 'local') return { type: 'passthrough', error };
      return { type: 'fault', fault, url: target.url, response: undefined, error };
    },
  );
}

/** Classifies a response the adapter resolved with (every status: the request's `validateStatus` is `null`). */
function settleResponse(context: ExchangeContext, config: InternalAxiosRequestConfig, target: { readonly url: URL }, response: AxiosResponse): ExchangeOutcome | Promise<ExchangeOutcome> {
  const status = response.status;
  const isCopy = status >= 200 && status < 300 && isCopyRequest(context.method, config.headers);
  if (!REDIRECT_STATUSES.has(status) && !isCopy) {
    const validate = context.callConfig.validateStatus;
    if (validate === undefined || validate === null || validate(status)) {
      // The caller sees its own config, as without the policies.
      response.config = context.callConfig;
      return { type: 'success', response };
    }
  }
  if (isReadableStream(response.data) || isWebReadableStream(response.data)) return settleStream(context, config, target, response);
  const fault = classifyResponse(response);
  if (fault === undefined) {
    response.config = context.callConfig;
    return { type: 'success', response };
  }
  return { type: 'fault', fault, url: target.url, response, error: undefined };
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
  const fault = classifyResponse({ status: response.status, headers: response.headers, data: body });
  return fault === undefined
    ? { type: 'success', response: Object.assign(response, { config: context.callConfig }) }
    : { type: 'fault', fault, url: target.url, response, error: undefined };
}
