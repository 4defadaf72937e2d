/**
 * CORS for the local OBS server, so a page on another origin can call it the
 * way it calls a real bucket that has a CORS rule: preflights are answered,
 * and every answer (scripted errors, redirects, raw steps and the server's own
 * 500s included) lets the page read the headers a client needs: request and
 * host ids, error codes of bodiless answers, ETag, Retry-After and Date.
 *
 * Preflights are answered here, before steps and scenarios: they never
 * consume a scripted answer and are not recorded, so `requests` and
 * `countRequests()` show what the page's code sent, as in Node.
 */
import type http from 'node:http';

/**
 * The `cors` option of the local server: `true` allows every origin
 * (`Access-Control-Allow-Origin: *`); `{ origins }` allows only those
 * (e.g. `['http://127.0.0.1:5173']`), echoing the request's `Origin` with `Vary: Origin`.
 */
export type CorsOption = boolean | { origins: readonly string[] };

/** The resolved option: which origins, or every one. */
export interface CorsPolicy {
  readonly origins: '*' | ReadonlySet<string>;
}

/** Methods a preflight may ask for (the OBS object and bucket APIs). */
const CORS_ALLOWED_METHODS: readonly string[] = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];

/** Request headers a page may send, besides every `x-obs-*` and `x-amz-*` one. */
const ALLOWED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'content-type',
  'content-md5',
  'content-disposition',
  'content-encoding',
  'content-language',
  'cache-control',
  'expires',
  'range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
]);

/** Response headers a page may read (the CORS-safelisted ones, like Content-Type, need no listing). */
export const CORS_EXPOSED_HEADERS: readonly string[] = [
  'x-obs-request-id',
  'x-obs-id-2',
  'x-obs-error-code',
  'x-obs-error-message',
  'x-amz-request-id',
  'x-amz-id-2',
  'x-amz-error-code',
  'x-amz-error-message',
  'etag',
  'retry-after',
  'date',
  'location',
];

/** How long a browser may cache a preflight's answer, in seconds. */
const CORS_MAX_AGE_SECONDS = 600;

/** Resolves the `cors` option; `undefined` when CORS is off. */
export function corsPolicy(option: CorsOption | undefined): CorsPolicy | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return { origins: '*' };
  return { origins: new Set(option.origins.map((origin) => origin.toLowerCase())) };
}

function ignore(): void {
  // See applyCors: errors of a connection the client broke.
}

/** True when a page may send `name` (lower-case). */
function allowedRequestHeader(name: string): boolean {
  return ALLOWED_REQUEST_HEADERS.has(name) || name.startsWith('x-obs-') || name.startsWith('x-amz-');
}

/** The `Access-Control-Allow-Origin` value for `origin`, or `undefined` when that origin is not allowed. */
function allowOrigin(policy: CorsPolicy, origin: string | undefined): string | undefined {
  if (policy.origins === '*') return '*';
  return origin !== undefined && policy.origins.has(origin.toLowerCase()) ? origin : undefined;
}

/** A preflight: OPTIONS with `Access-Control-Request-Method` (a plain OPTIONS goes on to the server). */
function isPreflight(req: http.IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

/** Refuses a preflight the way OBS does: 403, and no CORS headers, so the browser blocks the request. */
function refusePreflight(res: http.ServerResponse, reason: string): void {
  res.removeHeader('access-control-allow-origin');
  res.removeHeader('access-control-expose-headers');
  const body = `CORSResponse: This CORS request is not allowed (${reason}).`;
  res.writeHead(403, { 'content-type': 'text/plain', 'content-length': String(body.length) });
  res.end(body);
}

function answerPreflight(res: http.ServerResponse, req: http.IncomingMessage, origin: string | undefined): void {
  if (origin === undefined) {
    refusePreflight(res, 'origin not allowed');
    return;
  }
  const method = (req.headers['access-control-request-method'] ?? '').trim().toUpperCase();
  if (!CORS_ALLOWED_METHODS.includes(method)) {
    refusePreflight(res, `method ${method} not allowed`);
    return;
  }
  const requested = (req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const refused = requested.filter((name) => !allowedRequestHeader(name));
  if (refused.length > 0) {
    refusePreflight(res, `header ${refused.join(', ')} not allowed`);
    return;
  }
  const headers: Record<string, string> = {
    'access-control-allow-methods': CORS_ALLOWED_METHODS.join(', '),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    'content-length': '0',
  };
  if (requested.length > 0) headers['access-control-allow-headers'] = requested.join(', ');
  res.writeHead(200, headers);
  res.end();
}

/**
 * Puts the CORS headers of `policy` on `res` (with `setHeader`, so every later
 * `writeHead` keeps them unless a step sets the same header itself) and answers
 * the request when it is a preflight.
 * @returns true when the request was a preflight and has been answered; false when the server answers it
 */
export function applyCors(policy: CorsPolicy, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const origin = allowOrigin(policy, req.headers.origin);
  if (policy.origins !== '*') res.setHeader('vary', 'Origin');
  if (origin !== undefined) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
  }
  if (!isPreflight(req)) return false;
  // A preflight has no body; read it anyway so the connection stays usable. A client that
  // leaves mid-answer is the client's story (the server ignores the same errors on its requests).
  req.on('error', ignore);
  res.on('error', ignore);
  req.resume();
  answerPreflight(res, req, origin);
  return true;
}
