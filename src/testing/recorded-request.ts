/**
 * What the local OBS server remembers of each request it received, and how
 * tests (and scripted steps) select requests.
 */
import type http from 'node:http';
import { bucketAndKey, splitTarget } from './addressing.js';
import type { BodyDigest } from './body-digest.js';

/**
 * How the server answered a recorded request: the status (and OBS code, for
 * OBS error answers; `cut` when a scripted fault broke its body off mid-way),
 * or the transport fault it played. `undefined` on the
 * record while the answer is pending (a delay) or when the client left first.
 */
export type RecordedResponse = { status: number; code?: string | undefined; cut?: 'reset' | 'stall' | undefined } | 'reset' | 'hang';

/** One request as the server received it. */
export interface RecordedRequest {
  /** 1-based arrival number; unique for the server's lifetime (not restarted by `reset()`). */
  seq: number;
  /** The method, upper-cased. */
  method: string;
  /** The request target as received: path and query, percent-encoding kept. */
  url: string;
  /** The path part of `url` (undecoded). */
  path: string;
  /** The query part of `url`, parsed (`?append&position=3` → `append` = `''`, `position` = `'3'`). */
  query: URLSearchParams;
  /** The Host header (`''` when absent). */
  host: string;
  /** The addressed bucket (virtual-hosted or path style), decoded; `''` for the service root. */
  bucket: string;
  /** The addressed object key, decoded; `''` for bucket-level requests. */
  key: string;
  /** The headers, names lower-cased as Node gives them (repeated headers joined). */
  headers: http.IncomingHttpHeaders;
  /** The whole request body (read before the server answers); empty when it was not kept (`bodyDigest`). */
  body: Buffer;
  /** The length and digests of a body longer than the server's `keepBodiesUpTo`, which it did not keep. */
  bodyDigest?: BodyDigest | undefined;
  /** When the request finished arriving, on the server's clock (`options.now`). */
  receivedAt: number;
  /** How it was answered; see {@link RecordedResponse}. */
  response?: RecordedResponse | undefined;
  /**
   * Body bytes of the answer handed to the socket so far (a body cut off mid-way:
   * those before the cut); `undefined` until a body is written, and for answers
   * without one (HEAD, 204, transport faults).
   */
  bodyBytes?: number | undefined;
}

/** Which requests a step, a scenario or a count applies to; every given field must match. */
export interface StepMatch {
  /** HTTP method, case-insensitive. */
  method?: string | undefined;
  /** Path prefix (string) or pattern (RegExp) tested against the undecoded path, e.g. `/photos/`. */
  path?: string | RegExp | undefined;
  /** Host header, case-insensitive; without a port it matches any port (`photos.obs.test`). */
  host?: string | undefined;
}

/** A filter for `countRequests`: a {@link StepMatch} or any predicate. */
export type RequestFilter = StepMatch | ((request: RecordedRequest) => boolean);

/** The fields a match looks at. */
type Matchable = Pick<RecordedRequest, 'method' | 'path' | 'host'>;

function hostMatches(wanted: string, host: string): boolean {
  const want = wanted.toLowerCase();
  const have = host.toLowerCase();
  // A wanted host without a port (IPv6 literals end in `]`) matches the Host header on any port.
  return want === have || (!/:\d+$/.test(want) && have.replace(/:\d+$/, '') === want);
}

/** True when `request` satisfies `match` (an absent match matches everything). */
export function matchesRequest(match: StepMatch | undefined, request: Matchable): boolean {
  if (match === undefined) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== request.method) return false;
  if (match.host !== undefined && !hostMatches(match.host, request.host)) return false;
  if (match.path === undefined) return true;
  // `search` ignores `lastIndex`, so a /g or /y pattern gives the same answer every time (`test` would not).
  return typeof match.path === 'string' ? request.path.startsWith(match.path) : request.path.search(match.path) >= 0;
}

/** True when `request` passes a `countRequests` filter (absent: every request). */
export function passesFilter(filter: RequestFilter | undefined, request: RecordedRequest): boolean {
  return typeof filter === 'function' ? filter(request) : matchesRequest(filter, request);
}

/** Builds the record of a request whose body has fully arrived (with its digest when it was not kept). */
export function recordOf(req: http.IncomingMessage, body: Buffer, seq: number, receivedAt: number, bodyDigest?: BodyDigest): RecordedRequest {
  const url = req.url ?? '/';
  const { path, search } = splitTarget(url);
  const host = req.headers.host ?? '';
  return {
    seq,
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    path,
    query: new URLSearchParams(search),
    host,
    ...bucketAndKey(host, path),
    headers: req.headers,
    body,
    ...(bodyDigest === undefined ? {} : { bodyDigest }),
    receivedAt,
  };
}
