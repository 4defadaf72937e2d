/**
 * Reporting for one call: builds every ObsError the call rejects with or
 * hands to a listener, and emits every request-scoped event. Event payloads
 * are only built when someone listens.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { makeFault } from '../classify/fault.js';
import { TIMEOUT_CODE } from '../classify/stand-in-codes.js';
import type { JudgedFault } from '../decide/decision.js';
import type { EndReason, FailFastCode, GiveUpCode } from '../decide/reasons.js';
import type { ResolvedPolicy } from '../policy/resolve-policy.js';
import { CircuitOpenError } from '../errors/circuit-open-error.js';
import { ObsError } from '../errors/obs-error.js';
import { requestIdentity } from '../redact/request-identity.js';
import { redactUrl } from '../redact/redact-url.js';
import type { FaultOutcome } from '../transport/outcome.js';
import type { PolicyEmitter } from './emitter.js';
import type { RequestEventBase } from './events.js';

/** A judged fault with what the transport saw (response, error) for the ObsError. */
export type ReportedFault = JudgedFault & Pick<FaultOutcome, 'response' | 'error'>;

/** The fields every request-scoped event carries (see `RequestEventBase`). */
type EventBase = Pick<RequestEventBase, 'method' | 'url' | 'endpoint' | 'bucket' | 'key'>;

/** The events and errors of one call. */
export class CallReporter {
  private base: EventBase | undefined;

  constructor(
    private readonly emitter: PolicyEmitter,
    private readonly config: InternalAxiosRequestConfig,
    private readonly method: string,
    /** The call's destination (its URL is parsed only when a report needs it). */
    private readonly start: { readonly url: URL },
  ) {}

  /**
   * `method`, the redacted call URL and its endpoint, bucket and key: computed once per call, when
   * the first event payload is built (a call nobody listens to never pays for it).
   */
  private get eventBase(): EventBase {
    if (this.base === undefined) {
      const { url } = this.start;
      const { endpoint, bucket, key } = requestIdentity(url);
      this.base = { method: this.method, url: redactUrl(url.href), endpoint: endpoint ?? url.origin, bucket, key };
    }
    return this.base;
  }

  /** The ObsError for a fault, after `attempts` requests, ending for `end` (if it is not just the table's action). */
  error(outcome: ReportedFault, attempts: number, end?: EndReason): ObsError {
    return new ObsError({
      fault: outcome.fault,
      action: outcome.policy.action,
      attempts,
      config: this.config,
      request: outcome.response?.request,
      response: outcome.response,
      cause: outcome.error,
      reason: end?.reason,
      reasonCode: end?.code,
      url: outcome.url.href,
    });
  }

  /** Before a backoff wait. */
  retry(outcome: ReportedFault, attempts: number, retry: number, delayMs: number): void {
    if (!this.emitter.has('retry')) return;
    this.emitter.emit('retry', { ...this.eventBase, attempt: retry, delayMs, error: this.error(outcome, attempts) });
  }

  /** Before a redirect hop. */
  redirect(from: URL, to: URL, status: number, permanent: boolean): void {
    if (!this.emitter.has('redirect')) return;
    this.emitter.emit('redirect', { ...this.eventBase, from: redactUrl(from.href), to: redactUrl(to.href), status, permanent });
  }

  /** The call fails fast for `end`; returns the error it rejects with. */
  failFast(outcome: ReportedFault, attempts: number, end: EndReason<FailFastCode>): ObsError {
    const error = this.error(outcome, attempts, end);
    if (!this.emitter.has('failFast')) return error;
    // The error's reason, with any server-supplied text in it escaped as in every printed field.
    this.emitter.emit('failFast', { ...this.eventBase, error, reason: error.reason ?? end.reason, reasonCode: end.code });
    return error;
  }

  /** The call gives up for `end`; returns the error it rejects with. */
  giveUp(outcome: ReportedFault, attempts: number, end: EndReason<GiveUpCode>): ObsError {
    const error = this.error(outcome, attempts, end);
    if (!this.emitter.has('giveUp')) return error;
    this.emitter.emit('giveUp', { ...this.eventBase, error, attempts, reason: error.reason ?? end.reason, reasonCode: end.code });
    return error;
  }

  /**
   * The pace would start the call's first request past `maxElapsedMs`: the call
   * times out before anything was sent (a `Timeout` with the reason).
   * @param policy what the table says for a `Timeout` (the caller resolves it)
   */
  paceTimeout(url: URL, attempts: number, end: EndReason<GiveUpCode>, policy: ResolvedPolicy): ObsError {
    const fault = makeFault('timeout', TIMEOUT_CODE, { message: `Not sent: ${end.reason}.` });
    return this.giveUp({ type: 'fault', fault, policy, url, response: undefined, error: undefined }, attempts, end);
  }

  /** An open breaker refused the call; returns the CircuitOpenError it rejects with. */
  circuitReject(endpoint: string): CircuitOpenError {
    const error = new CircuitOpenError(endpoint, this.config, this.start.url.href);
    if (!this.emitter.has('circuitReject')) return error;
    this.emitter.emit('circuitReject', { ...this.eventBase, endpoint, error });
    return error;
  }

  /** A streamed download's body is resumed (retry number `attempt` of the call). */
  resume(attempt: number, reason: 'reset' | 'stall', receivedBytes: number, totalBytes: number): void {
    if (!this.emitter.has('resume')) return;
    this.emitter.emit('resume', { ...this.eventBase, attempt, reason, receivedBytes, totalBytes });
  }

  /** The handle learned the server's clock. */
  clockSkew(offsetMs: number): void {
    if (!this.emitter.has('clockSkew')) return;
    this.emitter.emit('clockSkew', { ...this.eventBase, offsetMs });
  }
}
