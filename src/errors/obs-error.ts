/**
 * ObsError: the rejection of every call the policies give up on. It extends
 * axios's own AxiosError, so `axios.isAxiosError(err)` stays true, and carries
 * the OBS identity of the failure.
 */
import { AxiosError, type InternalAxiosRequestConfig } from 'axios';
import { OBS_ERROR_CODES } from '../catalog/error-codes.js';
import type { FaultKind, ObsFault } from '../classify/fault.js';
import type { PolicyAction } from '../policy/types.js';
import { escapeControls } from '../redact/escape-controls.js';
import { redactText } from '../redact/redact-text.js';
import { readHeader } from '../parse/headers.js';
import { requestIdentity } from '../redact/request-identity.js';
import { redactUrl } from '../redact/redact-url.js';
import { hideSecretsInChain } from '../redact/hide-secrets.js';
import { INSPECT_CUSTOM } from '../redact/inspect-custom.js';
import { printCopy } from '../redact/print-copy.js';
import { redactConfigSnapshot } from '../redact/redact-config.js';
import { transportReason } from '../classify/transport-reason.js';
import type { ReasonCode } from '../decide/reasons.js';

/** Brand checked by `isObsError`, shared by every copy of the package through the global symbol registry. */
export const OBS_ERROR_BRAND: unique symbol = Symbol.for('obs-axios-policies.ObsError') as never;

const HINTS: ReadonlyMap<string, string> = new Map(OBS_ERROR_CODES.map((entry) => [entry.code, entry.solution]));

/** The catalog's Solution text for a code, if the code is in the catalog. */
function hintFor(code: string): string | undefined {
  return HINTS.get(code);
}

/** Server or transport text, safe on one log line: credentials redacted, control characters escaped. */
function oneLine(text: string): string {
  return escapeControls(redactText(text));
}

function oneLineOrUndefined(text: string | undefined): string | undefined {
  return text === undefined ? undefined : oneLine(text);
}

/** The live objects of each error: readable through accessors, never own properties (see `LIVE_KEYS`). */
const liveParts = new WeakMap<object, Map<PropertyKey, unknown>>();

/** What an `ObsError` is built from. */
export interface ObsErrorInit {
  /** The classified failure: its code, status and ids become the error's `obsCode`, `status`, `requestId` and so on. */
  fault: ObsFault;
  /** The table's action for the final outcome, reported as `err.action`. */
  action: PolicyAction;
  /** Requests sent for the call, redirect hops included (`0` when nothing was sent). */
  attempts: number;
  /** The failing attempt's config; readable as `err.config` but kept off log walks, as it carries the signature. */
  config?: InternalAxiosRequestConfig | undefined;
  /** The adapter's request object (`ClientRequest`, XHR), as axios's `err.request`. */
  request?: unknown;
  /** The response that failed, when the server answered; `err.response`. */
  response?: AxiosError['response'];
  /** The error underneath (the adapter's rejection); credentials are hidden down its whole `cause` chain. */
  cause?: unknown;
  /** Why the call ended here (e.g. `not replayable: request body is a stream`); appended to the message. */
  reason?: string | undefined;
  /** The code of `reason`, for matching without reading prose (`retriesExhausted`, `budgetExhausted`, …). */
  reasonCode?: ReasonCode | undefined;
  /**
   * The absolute URL the failing request went to; the message names its host and
   * path. Without it, the config's `baseURL` + `url` are used.
   */
  url?: string | undefined;
}

/** The forms the request's URL may be known by, best first: the URL given, the config's `baseURL` + `url`, its `url`. */
function targetCandidates(config: InternalAxiosRequestConfig | undefined, url: string | undefined): (string | undefined)[] {
  return [url, config?.url !== undefined && config.baseURL !== undefined ? joinBase(config.baseURL, config.url) : undefined, config?.url];
}

/** The first candidate that parses as an absolute URL with a host. */
function absoluteTarget(candidates: readonly (string | undefined)[]): URL | undefined {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || candidate === '') continue;
    try {
      const parsed = new URL(candidate);
      // `AK:SK@host/k` (no scheme) parses as scheme `ak:` with no host: not a URL to print as one.
      if (parsed.host !== '') return parsed;
    } catch {
      // Not absolute: try the next form.
    }
  }
  return undefined;
}

/** `host[:port]/path` of the request (no userinfo, no query), or the redacted path when no host can be known. */
function describeTarget(candidates: readonly (string | undefined)[], absolute: URL | undefined): string {
  if (absolute !== undefined) return `${absolute.host}${absolute.pathname}`;
  const path = candidates.find((c) => typeof c === 'string' && c !== '') ?? '';
  return redactUrl(path).split(/[?#]/)[0] ?? '';
}

/** OBS's `x-reserved-indicator` header of the response, if any; never throws. */
function indicatorOf(response: AxiosError['response']): string | undefined {
  try {
    const value = readHeader(response?.headers, 'x-reserved-indicator');
    return value === undefined || value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

function joinBase(baseURL: string, url: string): string {
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(url)) return url;
  return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/** The text after `OBS <code>:`: the server's message, the transport reason, or the catalog hint. */
function describeFailure(fault: ObsFault, cause: unknown): string {
  if (fault.message !== undefined) return fault.message;
  if (fault.kind === 'network' || fault.kind === 'timeout') {
    const reason = transportReason(cause);
    if (reason !== undefined) return reason;
  }
  return hintFor(fault.code) ?? 'Request failed.';
}

function axiosCodeFor(fault: ObsFault): string {
  if (fault.status !== undefined && fault.status >= 400 && fault.status < 500) return 'ERR_BAD_REQUEST';
  if (fault.status !== undefined) return 'ERR_BAD_RESPONSE';
  return fault.errorCode ?? 'ERR_NETWORK';
}

/**
 * The error every policy-driven rejection carries (except cancellations, which
 * stay axios's `CanceledError`). `axios.isAxiosError(err)` is true.
 */
export class ObsError extends AxiosError {
  /** The OBS code (`NoSuchKey`), or a stand-in: `HTTP_<status>`, `Timeout`, `NetworkError`, `CircuitOpen`. */
  readonly obsCode: string;
  /** OBS request id (`x-obs-request-id`); quote it to OBS support. */
  readonly requestId: string | undefined;
  /** OBS host id: the body's `<HostId>`, else the `x-obs-id-2` header. */
  readonly hostId: string | undefined;
  /** The `x-obs-id-2` (or `x-amz-id-2`) response header; on OBS it differs from `<HostId>`. */
  readonly id2: string | undefined;
  /**
   * OBS's `x-reserved-indicator` response header: the detailed error code OBS returns for its own
   * troubleshooting (e.g. `Unauthorized`), control characters escaped; `undefined` when absent.
   */
  readonly indicator: string | undefined;
  /** The server's message. */
  readonly obsMessage: string | undefined;
  /** The catalog's Solution for `obsCode`. */
  readonly hint: string | undefined;
  /** The policy table's action for the final outcome. */
  readonly action: PolicyAction;
  /** Requests sent for this call (redirect hops included). */
  readonly attempts: number;
  /** The fault kind (`throttled`, `server`, `client`, `network`, …). */
  readonly kind: FaultKind;
  /** Why the call ended here, when it is not simply the table's action (e.g. `retries exhausted`). */
  readonly reason: string | undefined;
  /** The code of `reason` (`retriesExhausted`, `notReplayable`, `redirectRefused`, …); `undefined` when the call ended by the table's action alone. */
  readonly reasonCode: ReasonCode | undefined;
  /** Upper-case HTTP method of the failing request. */
  readonly method: string;
  /**
   * `protocol://host[:port]` the failing request went to (the default port left out); after a
   * redirect, the hop's endpoint. `undefined` when the error was built without an absolute URL.
   */
  readonly endpoint: string | undefined;
  /**
   * The bucket of the failing request, from the host (virtual-hosted style,
   * `photos.obs.cn-north-4.myhuaweicloud.com`) or the first path segment (path style,
   * `127.0.0.1:9000/photos/…`); `undefined` for a service-level request.
   */
  readonly bucket: string | undefined;
  /** The object key, percent-decoded as OBS stores it, control characters escaped; `undefined` for a bucket-level or service-level request. */
  readonly key: string | undefined;
  /** Brand for `isObsError`, across package copies. */
  readonly isObsError = true;
  /** Non-enumerable brand read by `isObsError`; a registry symbol, so copies of the package agree on it. */
  declare readonly [OBS_ERROR_BRAND]: true;

  /**
   * Builds the error from a classified fault. The message names the code, the
   * method and the redacted `host/path`, so a log line is enough to act on;
   * credentials are kept off every printed form, the `cause` chain included.
   */
  constructor(init: ObsErrorInit) {
    const { fault, config } = init;
    const what = `${oneLine(fault.code)}${fault.status !== undefined ? ` (${fault.status})` : ''}`;
    const text = oneLine(describeFailure(fault, init.cause));
    const method = oneLine((config?.method ?? 'get').toUpperCase());
    const candidates = targetCandidates(config, init.url);
    const absolute = absoluteTarget(candidates);
    const target = `${method} ${oneLine(describeTarget(candidates, absolute))}`;
    const rid = fault.requestId !== undefined ? ` [request ${oneLine(fault.requestId)}]` : '';
    const why = init.reason !== undefined ? ` (${oneLine(init.reason)})` : '';
    // No config, request or response for AxiosError's constructor: they would become own properties.
    super(`OBS ${what}: ${text} ${target}${rid}${why}`, axiosCodeFor(fault));
    this.name = 'ObsError';
    this.obsCode = oneLine(fault.code);
    if (fault.status !== undefined) this.status = fault.status;
    this.requestId = oneLineOrUndefined(fault.requestId);
    this.hostId = oneLineOrUndefined(fault.hostId);
    this.id2 = oneLineOrUndefined(fault.id2);
    this.indicator = oneLineOrUndefined(indicatorOf(init.response));
    this.obsMessage = oneLineOrUndefined(fault.message);
    this.hint = hintFor(fault.code);
    this.action = init.action;
    this.attempts = init.attempts;
    this.kind = fault.kind;
    this.reason = oneLineOrUndefined(init.reason);
    this.reasonCode = init.reasonCode;
    const identity = requestIdentity(absolute);
    this.method = method;
    this.endpoint = identity.endpoint;
    this.bucket = identity.bucket;
    this.key = identity.key;
    Object.defineProperty(this, OBS_ERROR_BRAND, { value: true, enumerable: false });
    // The live objects go behind the prototype's accessors (see LIVE_KEYS), off every own-property walk.
    if (config !== undefined) this.config = config;
    if (init.request !== undefined) this.request = init.request;
    if (init.response !== undefined) this.response = init.response;
    // Any value may be a cause; the accessor seals it.
    if (init.cause !== undefined) (this as { cause?: unknown }).cause = init.cause;
  }

  /** JSON for logs: the OBS fields, and the config with every credential redacted (defined on the prototype below). */
  declare toJSON: () => Record<string, unknown>;
}

/**
 * The fields of an ObsError that hold live objects: the call's config (with the
 * signature and `auth`), the adapter's request, the response (its `config` and
 * `request` too) and the error underneath. They are accessors on the prototype,
 * so `err.config`, `err.response.data` and `err.cause.config` read the real
 * objects, while no walk of own properties (util.inspect with hidden properties,
 * loggers, serialisers) reaches them. A cause is sealed as it is set.
 */
const LIVE_KEYS = ['config', 'request', 'response', 'cause'] as const;

function partsOf(error: object): Map<PropertyKey, unknown> | undefined {
  return liveParts.get(error);
}

for (const key of LIVE_KEYS) {
  Object.defineProperty(ObsError.prototype, key, {
    get(this: object): unknown {
      return partsOf(this)?.get(key);
    },
    set(this: object, value: unknown): void {
      let parts = partsOf(this);
      if (parts === undefined) {
        parts = new Map();
        liveParts.set(this, parts);
      }
      parts.set(key, key === 'cause' ? hideSecretsInChain(value) : value);
    },
    enumerable: false,
    configurable: true,
  });
}

Object.defineProperty(ObsError.prototype, 'toJSON', {
  value: function toJSON(this: ObsError): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      status: this.status,
      obsCode: this.obsCode,
      requestId: this.requestId,
      hostId: this.hostId,
      id2: this.id2,
      indicator: this.indicator,
      obsMessage: this.obsMessage,
      hint: this.hint,
      action: this.action,
      attempts: this.attempts,
      kind: this.kind,
      reason: this.reason,
      reasonCode: this.reasonCode,
      method: this.method,
      endpoint: this.endpoint,
      bucket: this.bucket,
      key: this.key,
      config: redactConfigSnapshot(this.config),
    };
  },
  enumerable: false,
  writable: true,
  configurable: true,
});

/** `util.inspect` (`console.log`, `%o`, `%O`) prints the error's print copy, whatever the options. */
Object.defineProperty(ObsError.prototype, INSPECT_CUSTOM, {
  value: function inspect(this: object): object {
    return printCopy(this);
  },
  enumerable: false,
  writable: true,
  configurable: true,
});
