/**
 * The typed events of a handle: one payload interface per event, and the
 * event map that `handle.on` is typed by. The emitter is in `emitter.ts`.
 */
import type { FailFastCode, GiveUpCode } from '../decide/reasons.js';
import type { CircuitOpenError } from '../errors/circuit-open-error.js';
import type { ObsError } from '../errors/obs-error.js';

/**
 * The kind of operation a request is, for pacing (OBS limits each kind per account): `read` (GET
 * or HEAD of an object), `write` (PUT, POST, DELETE of an object), `list` (a bucket listing,
 * ListMultipartUploads, ListParts), `other` (everything else). See docs/throttling.md.
 */
export type OperationClass = 'read' | 'write' | 'list' | 'other';

/**
 * Fields every request-scoped event carries (`retry`, `redirect`, `failFast`, `giveUp`,
 * `circuitReject`, `clockSkew`, `resume`), all about the call's URL: filter on `endpoint`,
 * `bucket` and `key` without parsing `url`. Virtual-hosted (`photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg`)
 * and path-style (`127.0.0.1:9000/photos/cat.jpg`) URLs both give bucket `photos`, key `cat.jpg`.
 * Nothing here holds userinfo, the query or the fragment, so no signature or token value; control
 * characters are escaped.
 */
export interface RequestEventBase {
  /** Upper-case HTTP method. */
  method: string;
  /** The call's URL (absolute), redacted. */
  url: string;
  /** `protocol://host[:port]` of the call's URL (the default port left out): the endpoint whose breaker and pace it goes through. */
  endpoint: string;
  /** The bucket, from the host (virtual-hosted style) or the first path segment (path style); `undefined` for a service-level call. */
  bucket: string | undefined;
  /** The object key, percent-decoded as OBS stores it; `undefined` for a bucket-level or service-level call. */
  key: string | undefined;
}

/** Emitted before each backoff wait. */
export interface RetryEvent extends RequestEventBase {
  /** 1-based retry number. */
  attempt: number;
  /** The wait about to start, in ms. */
  delayMs: number;
  /** The outcome being retried. */
  error: ObsError;
}

/** Emitted before following a redirect hop (not for a remembered 301 rewrite). */
export interface RedirectEvent extends RequestEventBase {
  /** Where the hop starts (redacted). */
  from: string;
  /** Where it goes (redacted). */
  to: string;
  /** The redirect's HTTP status. */
  status: number;
  /** True for a 301/308: the rewrite is remembered for later calls. */
  permanent: boolean;
}

/** Emitted when the table says `fail`, or a redirect is refused. */
export interface FailFastEvent extends RequestEventBase {
  /** The error the call rejects with (log-safe to print). */
  error: ObsError;
  /** Why, e.g. `policy: fail` or `redirect refused: host evil.test is not allowed`. */
  reason: string;
  /**
   * Why, as a code to match on: `policyFail`, `writeRedirect` (a 302/303 to a write),
   * `redirectRefused`, `tooManyRedirects`, `redirectLoop`, `notReplayable`.
   */
  reasonCode: FailFastCode;
}

/** Emitted when a `retry`/`circuit` outcome may not be retried any more. */
export interface GiveUpEvent extends RequestEventBase {
  /** The error the call rejects with: its last real outcome (log-safe to print). */
  error: ObsError;
  /** Requests sent for this call. */
  attempts: number;
  /** Why: `retries exhausted`, `retry budget exhausted`, `maxElapsedMs`, `not replayable: …`, `circuit open`, `detached`. */
  reason: string;
  /**
   * Why, as a code to match on: `retriesExhausted`, `budgetExhausted`, `deadline` (the next wait
   * would pass `maxElapsedMs`), `paceDeadline` (so would the pace), `notReplayable`,
   * `circuitOpen`, `detached`.
   */
  reasonCode: GiveUpCode;
}

/**
 * A breaker changed state. Endpoint-scoped, not tied to one call: it carries `endpoint`
 * only (no method, URL, bucket or key).
 */
export interface CircuitEvent {
  /** `protocol://host[:port]` of the endpoint. */
  endpoint: string;
}

/**
 * A call was refused by an open breaker, without network I/O. `endpoint` is the endpoint whose
 * breaker refused the request (after a redirect, the hop's, not the call's); `bucket` and `key` are the call's.
 */
export interface CircuitRejectEvent extends RequestEventBase, CircuitEvent {
  /** The error the call rejects with (`obsCode` `CircuitOpen`, `attempts` 0). */
  error: CircuitOpenError;
}

/**
 * The pace of an endpoint changed: throttling taught it a rate, quiet windows
 * grew it back, or it was dropped. Endpoint-scoped, not tied to one call: no method,
 * URL, bucket or key.
 */
export interface RateChangeEvent {
  /** `protocol://host[:port]` of the endpoint. */
  endpoint: string;
  /** The operation class whose pace changed (paces are kept per endpoint and class). */
  class: OperationClass;
  /** The new pace in requests per second; `null`: not paced. */
  ratePerSec: number | null;
  /**
   * Why: `throttled` (cut to what got through), `recovering` (grown back after
   * quiet windows), `noise` (throttling did not follow the rate: pace dropped),
   * `idle` (nobody waited for the pace: dropped), `retryAfter` (the server
   * asked for a pause; nobody goes before it ends; with a fleet store, another process may have been
   * asked), `fleet` (this process's share of the fleet's pace changed: see docs/fleet.md).
   */
  cause: 'throttled' | 'recovering' | 'noise' | 'idle' | 'retryAfter' | 'fleet';
}

/** A RequestTimeTooSkewed answer taught the handle the server's clock; the call is re-signed and re-sent once. */
export interface ClockSkewEvent extends RequestEventBase {
  /** Server time minus local time, in ms. */
  offsetMs: number;
}

/**
 * A streamed download's body broke (`reset`) or stalled (`stall`) and is resumed from the byte it
 * stopped at (`Range` + `If-Match`); the caller's stream goes on. Counted as a retry of the call.
 */
export interface ResumeEvent extends RequestEventBase {
  /** 1-based retry number of the call (resumes and retries share the count). */
  attempt: number;
  /** `reset`: the body broke or ended early; `stall`: no chunk for `bodyIdleTimeoutMs`. */
  reason: 'reset' | 'stall';
  /** Body bytes the caller had received. */
  receivedBytes: number;
  /** The body's length. */
  totalBytes: number;
}

/**
 * The handle's fleet store (`store` option) stopped answering: the handle goes on alone, with what it
 * learned itself, until `storeUp`. No call fails or waits because of it.
 */
export interface StoreDownEvent {
  /** `timeout`: an operation took longer than the store's timeout; `error`: it failed; `closed`: the connection is gone. */
  fault: 'timeout' | 'error' | 'closed';
  /** What the store said, without credentials (for logs). */
  detail: string;
}

/** The fleet store answers again: the handle has taken up the fleet's state and shares its own again. */
export interface StoreUpEvent {
  /** How long the store was down, ms. */
  downMs: number;
}

/** Every event of a handle, by name. */
export interface ObsPolicyEvents {
  /** Before each backoff wait of a call. */
  retry: RetryEvent;
  /** Before following a redirect hop (not for a remembered 301 rewrite). */
  redirect: RedirectEvent;
  /** A call rejects at once: the table says `fail`, or a redirect was refused. */
  failFast: FailFastEvent;
  /** A retryable outcome may not be retried any more (attempts, budget, deadline, replay, breaker, detach). */
  giveUp: GiveUpEvent;
  /** An endpoint's breaker opened: calls to it are refused without I/O. */
  circuitOpen: CircuitEvent;
  /** An endpoint's breaker lets one probe through. */
  circuitHalfOpen: CircuitEvent;
  /** An endpoint's breaker closed again. */
  circuitClose: CircuitEvent;
  /** A call was refused by an open breaker. */
  circuitReject: CircuitRejectEvent;
  /** The handle learned the server's clock from RequestTimeTooSkewed. */
  clockSkew: ClockSkewEvent;
  /** An endpoint's pace changed. */
  rateChange: RateChangeEvent;
  /** A streamed download's body is resumed after a reset or a stall. */
  resume: ResumeEvent;
  /** The fleet store stopped answering: the handle goes on alone. */
  storeDown: StoreDownEvent;
  /** The fleet store answers again: the handle rejoined the fleet. */
  storeUp: StoreUpEvent;
}

/** An event name. */
export type ObsPolicyEventName = keyof ObsPolicyEvents;

/** A listener of event `E`. Its return value is ignored; if it returns a promise (it may be async), a rejection is caught and dropped: a listener never affects the call. */
export type ObsPolicyListener<E extends ObsPolicyEventName> = (payload: ObsPolicyEvents[E]) => unknown;
