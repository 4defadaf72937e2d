/**
 * fast-check arbitraries of what a hostile server answers: statuses (odd ones
 * included), headers (Retry-After and Date garbage, Location to every kind of
 * place, x-obs-* headers with control bytes, ANSI escapes and huge values),
 * bodies (empty, OBS XML with hostile codes, truncated, non-XML, big) and
 * transport faults (resets, trickles, silence). Placeholders keep the
 * generated values (and so the counterexamples) short: `{port}` stands for the
 * hostile server's port, `{A*n}` for n letters A, `{pad*n}` for n `<Pad>x</Pad>`
 * elements; {@link materialize} fills them in.
 */
import fc from 'fast-check';
import type { HostileAnswer } from './hostile-server.js';

/** The call's own host (virtual-hosted bucket on the hostile server). */
export const OWN_HOST = 'photos.obs.test';
/** A host some runs allow with `redirect.allowHosts`. */
export const ALLOWED_HOST = 'allowed.test';

export const status = fc.oneof(
  fc.constantFrom(100, 101, 102, 103, 199, 200, 201, 204, 206, 299, 300, 301, 302, 303, 304, 305, 306, 307, 308, 399),
  fc.constantFrom(400, 403, 404, 405, 408, 409, 412, 416, 418, 429, 499, 500, 501, 502, 503, 504, 599),
  fc.integer({ min: 100, max: 599 }),
);

const retryAfter = fc.constantFrom(
  '0',
  '1',
  '-1',
  '86400',
  '2147483648',
  '99999999999999999999',
  '1e3',
  ' 5 ',
  '0x10',
  'NaN',
  'soon',
  '',
  'Fri, 31 Dec 9999 23:59:59 GMT',
  'Thu, 01 Jan 1970 00:00:00 GMT',
  'Sun, 06 Nov 1994 08:49:37 GMT',
  'Sunday, 06-Nov-94 08:49:37 GMT',
  'Sun Nov  6 08:49:37 1994',
  'Wed, 31 Feb 2024 25:61:61 GMT',
);

const date = fc.constantFrom('Thu, 01 Jan 1970 00:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'yesterday', '', 'Sun, 06 Nov 1994 08:49:37 GMT');

/** Every kind of place a Location (or an `<Endpoint>`) can point to. */
export const location = fc.constantFrom(
  '/moved',
  'moved-relative',
  '?x=1',
  `//${OWN_HOST}:{port}/same-host-protocol-relative`,
  `http://${OWN_HOST}:{port}/own-host`,
  `http://${OWN_HOST.toUpperCase()}.:{port}/own-host-trailing-dot`,
  `https://${OWN_HOST}:{port}/own-host-https`,
  `http://${ALLOWED_HOST}:{port}/allowed`,
  `https://${ALLOWED_HOST}:{port}/allowed-https`,
  `http://sub.${ALLOWED_HOST}:{port}/allowed-subdomain`,
  'http://evil.test:{port}/evil',
  '//evil.test:{port}/evil-protocol-relative',
  `http://${OWN_HOST}.evil.test:{port}/look-alike`,
  `http://evil${OWN_HOST}:{port}/look-alike-prefix`,
  `http://user:pw@evil.test:{port}/userinfo`,
  `http://user:pw@${OWN_HOST}:{port}/userinfo-own`,
  'http://127.0.0.1:{port}/ip',
  'http://localhost:{port}/localhost',
  'ftp://evil.test/x',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/plain,hi',
  `http://${OWN_HOST}:{port}/crlf\r\nSet-Cookie: injected=1`,
  `http://${OWN_HOST}:{port}/%0d%0aSet-Cookie:%20injected=1`,
  'http://evil.test:{port}/x?Signature=LOCATION-SIG',
  `http://[::1]:{port}/v6`,
  'http://%65vil.test:{port}/encoded',
  '',
);

const hostileText = fc.oneof(
  fc.constantFrom(
    '\u001b[31mRED\u001b[0m',
    '\u001b]8;;http://evil.test\u0007link\u001b]8;;\u0007',
    'line\r\nInjected: 1',
    'nul\u0000byte',
    'bell\u0007',
    '\u009b31m',
    '__proto__',
    'constructor',
    'toString',
    'é漢字🙂',
  ),
  fc.string({ maxLength: 20 }),
);

const obsHeaderName = fc.constantFrom('x-obs-request-id', 'x-obs-id-2', 'x-obs-error-code', 'x-obs-error-message', 'x-reserved-indicator', 'x-amz-request-id');
const headerLine = fc.oneof(
  fc.tuple(fc.constant('Retry-After'), retryAfter),
  fc.tuple(fc.constant('Date'), date),
  fc.tuple(fc.constant('Location'), location),
  fc.tuple(obsHeaderName, hostileText),
  fc.tuple(obsHeaderName, fc.constant('{A*20000}')),
  fc.tuple(fc.constantFrom('Content-Type'), fc.constantFrom('application/xml', 'application/json', 'text/html', 'application/octet-stream')),
  fc.tuple(fc.constantFrom('Set-Cookie', '__proto__', 'constructor'), hostileText),
);

/** Codes a hostile server may put in `<Code>` (retryable, redirecting, prototype names, escapes). */
export const code = fc.oneof(
  fc.constantFrom(
    'NoSuchKey',
    'AccessDenied',
    'SlowDown',
    'ServiceUnavailable',
    'InternalError',
    'RequestTimeout',
    'RequestTimeTooSkewed',
    'PermanentRedirect',
    'TemporaryRedirect',
    'InvalidAccessKeyId',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'isPrototypeOf',
    '__defineGetter__',
    'HTTP_503',
    'CircuitOpen',
  ),
  hostileText,
);

const xmlError = fc
  .record({ code, message: hostileText, requestId: hostileText, endpoint: fc.option(location, { nil: undefined }) })
  .map(
    ({ code: c, message, requestId, endpoint }) =>
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${c}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId>` +
      `${endpoint === undefined ? '' : `<Endpoint>${endpoint.replace(/^[a-z]+:\/\//, '')}</Endpoint>`}</Error>`,
  );

const body = fc.oneof(
  { weight: 4, arbitrary: xmlError },
  fc.constant(''),
  xmlError.map((xml) => xml.slice(0, Math.max(1, Math.floor(xml.length / 2)))),
  fc.constantFrom('not xml at all', '<html><body>502 Bad Gateway</body></html>', '{"code":"__proto__","message":"x"}', '{"error_code":"SlowDown"}', '<Error>', '\u0000\u0001\u0002'),
  code.map((c) => `<Error><Code>${c}</Code>{pad*6000}</Error>`),
  fc.constant('{A*100000}'),
);

/** One answer of a hostile server. */
export const answer: fc.Arbitrary<HostileAnswer> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      type: fc.constant('respond' as const),
      status,
      reason: fc.constantFrom('OK', '', 'Whatever', 'é'),
      headers: fc.array(headerLine, { maxLength: 4 }),
      body,
      framing: fc.constantFrom('length', 'length', 'close', 'chunked', 'short'),
      pieces: fc.constantFrom(1, 1, 1, 2, 5),
      pauseMs: fc.constantFrom(0, 0, 5, 30),
    }),
  },
  fc.constant({ type: 'resetInHead' as const }),
  fc.record({ type: fc.constant('resetInBody' as const), status: fc.constantFrom(200, 404, 500, 503), body: fc.constantFrom('', '<Error><Co', 'partial') }),
  fc.constant({ type: 'silent' as const }),
);

/** The longest a trickled answer takes to go out, in ms. */
export function trickleMs(reply: HostileAnswer): number {
  return reply.type === 'respond' ? reply.pieces * reply.pauseMs : 0;
}

/**
 * `reply` with its placeholders filled in: `{port}` by the server's port, `{A*n}` and `{pad*n}` by
 * their text, and `{name}` by `more[name]` (other servers' ports).
 */
export function materialize(reply: HostileAnswer, port: number, more: Readonly<Record<string, number>> = {}): HostileAnswer {
  if (reply.type !== 'respond') return reply;
  const fill = (text: string): string =>
    Object.entries(more)
      .reduce((filled, [name, value]) => filled.replaceAll(`{${name}}`, String(value)), text)
      .replaceAll('{port}', String(port))
      .replace(/\{A\*(\d+)\}/g, (_all, n: string) => 'A'.repeat(Number(n)))
      .replace(/\{pad\*(\d+)\}/g, (_all, n: string) => '<Pad>x</Pad>'.repeat(Number(n)));
  return { ...reply, body: fill(reply.body), headers: reply.headers.map(([name, value]) => [name, fill(value)] as const) };
}

/** True when `reply` sends someone to an https URL of an allowed host (then a TLS handshake on the plain port is legitimate). */
export function pointsToAllowedHttps(reply: HostileAnswer, allowed: (hostname: string) => boolean): boolean {
  if (reply.type !== 'respond') return false;
  const texts = [...reply.headers.filter(([name]) => name === 'Location').map(([, value]) => value), reply.body];
  return texts.some((text) => [...text.matchAll(/https:\/\/([^/:?#\s<]+)/g)].some((m) => allowed((m[1] ?? '').toLowerCase().replace(/\.$/, ''))));
}
