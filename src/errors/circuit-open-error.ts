/**
 * CircuitOpenError: a call refused without network I/O because the breaker of
 * its endpoint is open.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { makeFault } from '../classify/fault.js';
import { CIRCUIT_OPEN_CODE } from '../classify/stand-in-codes.js';
import { escapeControls } from '../redact/escape-controls.js';
import { ObsError } from './obs-error.js';

/** Rejection of a call that an open breaker refused: `obsCode === 'CircuitOpen'`, `action === 'circuit'`, `attempts === 0`. */
export class CircuitOpenError extends ObsError {
  /**
   * The endpoint (`protocol://host[:port]`) whose breaker is open (control characters escaped, as in
   * every printed field); `bucket` and `key` are the refused call's.
   */
  override readonly endpoint: string;

  /**
   * A refusal with nothing sent: `attempts` is 0, and the message names the endpoint
   * rather than a server answer.
   * @param endpoint `protocol://host:port` whose breaker refused the call
   * @param config the call's config (kept as `err.config`, off log walks)
   * @param url the call's absolute URL, for the message and the `bucket` and `key`
   */
  constructor(endpoint: string, config?: InternalAxiosRequestConfig, url?: string) {
    super({
      fault: makeFault('server', CIRCUIT_OPEN_CODE, {
        message: `The circuit breaker for ${endpoint} is open; the call was not sent.`,
        errorCode: 'ERR_CIRCUIT_OPEN',
      }),
      action: 'circuit',
      attempts: 0,
      config,
      url,
    });
    this.name = 'CircuitOpenError';
    this.endpoint = escapeControls(endpoint);
  }
}
