/**
 * The classified fault: everything the policies need to know about one failed
 * outcome, and nothing about axios.
 */

/**
 * What kind of failure an outcome is:
 * - `throttled`: load shedding (SlowDown, ServiceUnavailable, 429);
 * - `transient`: the request did not get through in time (RequestTimeout, 408);
 * - `server`: the endpoint failed (InternalError, other 5xx);
 * - `redirect`: a bucket redirect to follow (PermanentRedirect, TemporaryRedirect, other 3xx);
 * - `client`: the request is wrong (other 4xx, WebsiteRedirect);
 * - `network`: no response (reset, refused, DNS, socket hang up);
 * - `timeout`: axios's timeout or `ETIMEDOUT`;
 * - `canceled`: the caller aborted (`ERR_CANCELED`); never acted on;
 * - `local`: axios refused the call, or the caller's own limits refused the
 *   answer: an invalid URL or option, an unsupported protocol, a body over
 *   `maxBodyLength` (nothing or part of it sent), an answer over `maxContentLength`,
 *   an answer the fetch adapter cannot decode as the `responseType` asked; never
 *   acted on (not retried, not counted by the breaker), handed back untouched.
 */
export type FaultKind =
  | 'throttled'
  | 'transient'
  | 'server'
  | 'redirect'
  | 'client'
  | 'network'
  | 'timeout'
  | 'canceled'
  | 'local';

/** One classified failure. */
export interface ObsFault {
  /** The class of failure the policies act on, decided by the code first and the status second. */
  kind: FaultKind;
  /** The OBS code, or a stand-in (`HTTP_<status>`, `NetworkError`, `Timeout`, `Canceled`). */
  code: string;
  /** HTTP status, when there was a response. */
  status: number | undefined;
  /** The OBS message from the body or `x-obs-error-message`. */
  message: string | undefined;
  /** `<RequestId>`, else the `x-obs-request-id` header. */
  requestId: string | undefined;
  /** `<HostId>`, else the `x-obs-id-2` header. */
  hostId: string | undefined;
  /** The `x-obs-id-2` (or `x-amz-id-2`) header. */
  id2: string | undefined;
  /** The bucket or object the error is about. */
  resource: string | undefined;
  /** `Location` header of a 3xx, as sent (not yet resolved or checked). */
  location: string | undefined;
  /** `<Endpoint>` of a redirect body (S3-style 301 without `Location`). */
  endpoint: string | undefined;
  /** `Retry-After` as a wait in ms, when the response carried one. */
  retryAfterMs: number | undefined;
  /** The response's `Date` header in epoch ms, when present (clock-skew correction). */
  serverDateMs: number | undefined;
  /** The transport error code (`ECONNRESET`, …) of a response-less failure. */
  errorCode: string | undefined;
}

/** Builds a fault of `kind` and `code` with every other field empty, then `fields` on top. */
export function makeFault(kind: FaultKind, code: string, fields: Partial<ObsFault> = {}): ObsFault {
  return {
    kind,
    code,
    status: undefined,
    message: undefined,
    requestId: undefined,
    hostId: undefined,
    id2: undefined,
    resource: undefined,
    location: undefined,
    endpoint: undefined,
    retryAfterMs: undefined,
    serverDateMs: undefined,
    errorCode: undefined,
    ...fields,
  };
}
