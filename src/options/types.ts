/**
 * The options of attachObsPolicies and of one request (`config.obs`), and the
 * axios module augmentation that adds `obs` to axios's request config.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import type { PolicyAction, PolicyOverride, RetryKnobs } from '../policy/types.js';
import type { ObsFleetStore } from '../fleet/fleet-store.js';
import type { ObsPolicyState } from '../state/state-snapshot.js';

/** Retry settings of a handle (or of one request). */
export interface RetryOptions extends RetryKnobs {
  /**
   * Total budget in ms across attempts and waits: no backoff wait may run past
   * it (an attempt in flight is bounded by axios's own `timeout`). @default none
   */
  maxElapsedMs?: number;
}

/**
 * Per-endpoint circuit breaker settings (opossum underneath). Failures are
 * `circuit` outcomes; successes are 2xx/3xx answers; 4xx, throttling and
 * cancellations count as neither.
 */
export interface BreakerOptions {
  /** Counted failures in a row that open the breaker, whatever the window says. @default 5 */
  consecutiveFailures?: number;
  /** Failure percentage (of counted outcomes in the window) above which the breaker opens. @default 50 */
  errorThresholdPercentage?: number;
  /** Counted outcomes in the window before the percentage rule may open it. @default 10 */
  volumeThreshold?: number;
  /**
   * The longest an open breaker waits before letting one probe through (half-open), in ms: the cap
   * of the wait that starts at `firstResetTimeoutMs` and doubles while probes fail. @default 30000
   */
  resetTimeoutMs?: number;
  /**
   * How long a breaker that has just opened waits before its first probe, in ms; the wait doubles
   * after each probe that fails, up to `resetTimeoutMs`, and starts here again once it closes. Each
   * wait is shortened by up to a fifth at random (the handle's `random`) so processes that opened
   * together do not probe in step. Above `resetTimeoutMs` it is `resetTimeoutMs` (a fixed wait).
   * See docs/breaker.md. @default 1250
   */
  firstResetTimeoutMs?: number;
  /** Length in ms of the rolling statistics window. @default 10000 */
  rollingWindowMs?: number;
  /** Endpoints with a breaker at once; the least recently used is dropped beyond this. @default 1000 */
  maxEndpoints?: number;
}

/**
 * Client-side pacing of an endpoint that throttles (SlowDown,
 * ServiceUnavailable, 429, 408): the handle learns the rate that gets through
 * and queues calls to that endpoint (in order, abortable) instead of bouncing
 * off the limit; quiet windows grow the rate back. See docs/throttling.md.
 */
export interface ThrottleOptions {
  /** The pace never goes below this many requests per second. @default 1 */
  minRatePerSec?: number;
  /** Length of one learning window, in ms. @default 250 */
  windowMs?: number;
  /** Endpoints with a pace at once; the least recently used is dropped beyond this. @default 1000 */
  maxEndpoints?: number;
}

/** Redirect settings. */
export interface RedirectOptions {
  /** Redirect hops per call; one more is a refused redirect. @default 3 */
  maxRedirects?: number;
  /**
   * Hosts a redirect may go to besides the call's own host. A string matches a
   * hostname exactly or, when it starts with `.`, any hostname ending with it;
   * a RegExp is tested against the hostname. Replaces the default list.
   * @default OBS_OFFICIAL_HOSTS (the official OBS domains)
   */
  allowHosts?: (string | RegExp)[];
  /** Remembered 301 rewrites per handle (least recently used dropped). @default 500 */
  cacheSize?: number;
}

/**
 * The retry quota of a handle (a token bucket, as in the AWS SDKs): each retry
 * costs tokens, each success refunds some; when it is empty calls fail instead
 * of retrying, so a failing service is not hit with N× the traffic.
 */
export interface RetryBudgetOptions {
  /** Tokens when full. @default 500 */
  capacity?: number;
  /**
   * Cost of retrying a throttled, transient or server outcome. A throttling answer (SlowDown,
   * ServiceUnavailable, 429, 408) from an endpoint that has a pacer (throttled before) is retried for
   * free: the pace, not the budget, bounds that load. @default 5
   */
  retryCost?: number;
  /** Cost of retrying a timeout or network error (likelier to be a real outage). @default 10 */
  timeoutRetryCost?: number;
  /** Refund of a call that succeeded on its first attempt or after a free retry (a call that retried refunds its last retry's cost). @default 1 */
  successRefund?: number;
}

/** What a `sign` hook is told besides the config. */
export interface SignContext {
  /**
   * 1-based number of the request within the call: the first request is 1, and
   * every retry and redirect hop adds one (the `retry` event's `attempt` counts
   * retries only).
   */
  requestNumber: number;
  /**
   * The same number as `requestNumber`.
   * @deprecated use `requestNumber`; "attempt" means the retry number in the events.
   */
  attempt: number;
  /** Redirect hops followed so far in this call. */
  hops: number;
  /**
   * Server time minus local time in ms, learned from a RequestTimeTooSkewed
   * answer (0 until then). Sign with `new Date(Date.now() + clockOffsetMs)`.
   */
  clockOffsetMs: number;
  /**
   * True on the request that follows an answer refusing the credentials the previous request of
   * this call was signed with (InvalidAccessKeyId, ExpiredToken, InvalidToken,
   * TokenRefreshRequired: an expired or revoked security token). A hook that keeps credentials
   * fetches fresh ones before signing. A call is re-signed for this once.
   */
  refreshCredentials?: boolean;
  /**
   * The same object for every request of one call and another for each call: a `WeakMap` key
   * for what a hook keeps from one request of a call to the next (the ready signers keep which
   * credentials signed it). Nothing to read or change on it.
   */
  call?: object;
}

/**
 * Signs one attempt: receives the attempt's config (`url` absolute with
 * `baseURL` resolved, `params` separate, `headers` an `AxiosHeaders`) and
 * returns it (or a promise of it). Runs before every attempt and hop, so a
 * retry or a redirect gets a fresh signature for its own host and time.
 * @example
 * ```ts
 * attachObsPolicies(client, {
 *   sign: (config, { clockOffsetMs }) => {
 *     const date = new Date(Date.now() + clockOffsetMs).toUTCString();
 *     config.headers.set('Date', date);
 *     config.headers.set('Authorization', mySigner(config, date)); // or a ready signer
 *     return config;
 *   },
 * });
 * ```
 */
export type SignHook = (
  config: InternalAxiosRequestConfig,
  context: SignContext,
) => InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig>;

/** Options of `attachObsPolicies(instance, options)`; all optional. */
export interface ObsPolicyOptions {
  /** Retry and backoff; see `RetryOptions`. */
  retry?: RetryOptions;
  /** Per-endpoint breakers, or `false` for none (then `circuit` acts as `retry`). */
  breaker?: false | BreakerOptions;
  /** Per-endpoint pacing learned from throttling answers, or `false` for none. */
  throttle?: false | ThrottleOptions;
  /** Redirect following. */
  redirect?: RedirectOptions;
  /** Per-code overrides of `DEFAULT_POLICIES`. */
  policies?: Record<string, PolicyAction | PolicyOverride>;
  /** Signs every attempt (the first included) and every redirect hop. */
  sign?: SignHook;
  /** The retry quota, or `false` for none. @default { capacity: 500, retryCost: 5, timeoutRetryCost: 10, successRefund: 1 } */
  retryBudget?: false | RetryBudgetOptions;
  /** Random source for jitter, in [0, 1). Tests inject a fixed one. @default Math.random */
  random?: () => number;
  /**
   * The longest a streamed download (`responseType: 'stream'`) may go without a body chunk while
   * the caller is reading, in ms; then it is resumed from the byte it stopped at (see
   * docs/resumable-downloads.md). `0` turns the watch off. @default 30000
   */
  bodyIdleTimeoutMs?: number;
  /**
   * Learned state to start from: what `handle.snapshot()` returned in an earlier process (open and
   * isolated breakers, paces, remembered 301s, clock offset), usually stored as JSON. Read strictly
   * at attach (an unknown version or a bad record is a `TypeError` naming it); open breakers whose
   * wait is over start closed, and remembered 301s that `redirect.allowHosts` refuses are dropped.
   * See docs/breaker.md. Without it, a handle starts knowing nothing.
   */
  initialState?: ObsPolicyState;
  /**
   * A fleet store the handle shares its learned state through with every process attached to the
   * same store: breakers (one fleet-wide probe), paces (a fair share each), `Retry-After` pauses,
   * remembered 301s and the server's clock. Made by `createRedisStore` (`obs-axios-policies/redis`).
   * Fail-open: a store that is down or slow never fails or holds a call (events `storeDown`,
   * `storeUp`). See docs/fleet.md. Without it, each process learns alone.
   */
  store?: ObsFleetStore;
}

/** Per-request options under the axios config key `obs`: the handle's knobs except `breaker` and `retryBudget`. */
export interface ObsRequestOptions {
  /** Retry and backoff for this call, deep-merged over the handle's. */
  retry?: RetryOptions;
  /** Redirect following for this call. */
  redirect?: Omit<RedirectOptions, 'cacheSize'>;
  /** Per-code overrides for this call, over the handle's. */
  policies?: Record<string, PolicyAction | PolicyOverride>;
  /**
   * Signs this call's attempts instead of the handle's hook; `false` sends the
   * call unsigned (a presigned URL on a client that signs everything else).
   */
  sign?: SignHook | false;
  /** The body idle timeout of this call's streamed download, over the handle's; `0` turns it off. */
  bodyIdleTimeoutMs?: number;
  /**
   * Makes this call's request body, afresh for every request the call sends: the first, each
   * retry and each redirect hop, right before the request goes (before the sign hook, which
   * signs what it made). A stream body can then be re-sent: `() => fs.createReadStream(path)`.
   * The call's `data` must be left out; a factory that throws or rejects ends the call with
   * that error, and the request is not sent. The stream of the previous request is destroyed
   * when the next one is made, and the last one when the call ends. Without it the call sends
   * its `data`. See docs/uploads.md.
   */
  body?: RequestBodyFactory;
}

/**
 * A Node.js readable stream, as a body factory returns it (`fs.createReadStream(path)`),
 * described by shape so the types need no Node typings.
 */
export interface NodeReadableBody {
  /** Node's `Readable.prototype.pipe`. */
  pipe(destination: never, options?: never): unknown;
}

/**
 * What a body factory may make: anything axios's adapters send as a request body. A Node
 * stream on the http adapter (the fetch adapter takes it too), a web `ReadableStream` on the
 * fetch adapter only (axios's http adapter refuses it).
 */
export type RequestBody = string | ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array> | NodeReadableBody;

/** Makes the request body of one request of a call (`obs.body`): called once per request sent. */
export type RequestBodyFactory = () => RequestBody | Promise<RequestBody>;

declare module 'axios' {
  interface AxiosProgressEvent {
    /**
     * With the policies attached: the 1-based number of the request of the call this upload
     * progress belongs to (the first request is 1; each retry and redirect hop adds one). Each
     * request sends the whole body again, so `loaded` starts again at 0 when this changes.
     */
    obsRequestNumber?: number;
  }

  interface AxiosRequestConfig {
    /**
     * obs-axios-policies options for this call, deep-merged over the handle's;
     * `false` turns the policies off for this call.
     */
    obs?: ObsRequestOptions | false | undefined;
  }
}
