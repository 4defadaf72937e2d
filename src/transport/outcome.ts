/**
 * What one request came to, classified but not yet judged: the transport
 * reports facts; what to do about them is `decide()`'s job.
 */
import type { AxiosResponse } from 'axios';
import type { ObsFault } from '../classify/fault.js';

/** A request that ended in a classified failure (an HTTP error, a transport error, a 200 with `<Error>`). */
export interface FaultOutcome {
  type: 'fault';
  fault: ObsFault;
  /** The URL the request went to. */
  url: URL;
  /** The response, when there was one. */
  response: AxiosResponse | undefined;
  /** The transport error, when there was no response. */
  error: unknown;
}

/** One request's outcome. */
export type ExchangeOutcome =
  | { type: 'success'; response: AxiosResponse }
  | FaultOutcome
  /** A cancellation or a local axios error: handed back to the caller untouched. */
  | { type: 'passthrough'; error: unknown };
