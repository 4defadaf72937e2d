/**
 * URL redaction for everything the package emits or prints: no userinfo, no
 * fragment, no signature or token query values. The WHATWG URL parser decides
 * where userinfo, host, query and fragment are (the same parser axios, fetch
 * and Node use to send the request); a string-only fallback covers text it
 * rejects. Never throws.
 */
import { REDACTED } from './redacted.js';
import { redactUnparsed } from './redact-unparsed.js';
import { redactQuery } from './secret-query.js';

export { REDACTED } from './redacted.js';
export { SECRET_HEADERS } from './secret-headers.js';

/** Base for relative URLs; `.invalid` never resolves, and it never appears in the output. */
const BASE = 'http://redact-url.invalid/';
const BASE_ORIGIN = 'http://redact-url.invalid';
const BASE_PROTOCOL = 'http:';
/** Leading `//` (or `\\`, `/\`): a scheme-relative URL with an authority, as the parser reads it against an http base. */
const AUTHORITY_RELATIVE = /^[/\\]{2}/;
/** A leading `/` (or `\`): a path-absolute reference. */
const PATH_ABSOLUTE = /^[/\\]/;
/** The URL parser drops tabs and newlines anywhere and C0 controls or spaces at either end. */
const PARSER_IGNORED = /[\t\n\r]/g;
// eslint-disable-next-line no-control-regex -- mirrors the parser's C0-control trim
const PARSER_TRIMMED = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

function parse(text: string, base?: string): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

/** `url` without userinfo and fragment, with secret query values replaced. */
function serialize(url: URL): string {
  const query = url.search === '' ? '' : `?${redactQuery(url.search.slice(1))}`;
  url.username = '';
  url.password = '';
  url.hash = '';
  url.search = '';
  return `${url.href}${query}`;
}

/**
 * Where a `user:password@` prefix ends in text that has no parsed authority
 * (`AK:SK@host/k` parses as scheme `ak:`, opaque path `SK@host/k`): after the
 * last `@` of the first segment, when a `:` comes before it; else -1. A bare
 * `name@` (an object key such as `alice@example.com.jpg`) is kept.
 */
function looseUserinfoEnd(text: string): number {
  const segment = /^[^/?#]*/.exec(text)?.[0] ?? '';
  const at = segment.lastIndexOf('@');
  return at >= 0 && segment.slice(0, at).includes(':') ? at + 1 : -1;
}

function redactText(text: string): string {
  const cut = looseUserinfoEnd(text);
  const absolute = parse(text);
  if (absolute !== undefined) {
    // With a host, the parser found the real userinfo (also up to the last `@`).
    if (absolute.host !== '' || cut < 0) return serialize(absolute);
    return redactText(text.slice(cut));
  }
  const relative = parse(text, BASE);
  if (relative === undefined) return redactUnparsed(text);
  if (AUTHORITY_RELATIVE.test(text) || relative.origin !== BASE_ORIGIN) return serialize(relative).slice(BASE_PROTOCOL.length);
  if (PATH_ABSOLUTE.test(text)) return serialize(relative).slice(BASE_ORIGIN.length);
  // The remainder's first segment has no `@` left, so this recursion is one level deep at most.
  if (cut >= 0) return redactText(text.slice(cut));
  return serialize(relative).slice(BASE_ORIGIN.length + 1);
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  // axios accepts a URL object as `config.url` at run time, whatever its types say.
  if (value instanceof URL) return value.href;
  return '';
}

/**
 * Returns `url` safe to print: userinfo and fragment removed, and the value of
 * every secret query parameter (`Signature`, `X-Amz-Signature`,
 * `x-obs-security-token`, `AccessKeyId`, … in any case, percent-encoded or
 * repeated) replaced with `[REDACTED]`.
 *
 * Absolute URLs come back normalised by the WHATWG parser (lower-case scheme
 * and host). Relative ones stay relative: `//host/k`, `/k?q`, `k?q` (dot
 * segments resolved). A scheme-less `AK:SK@host/k` loses its `AK:SK@` too
 * (the parser would read `ak:` as a scheme and keep `SK` in the path). Text the
 * parser rejects keeps its scheme, host and path, minus userinfo, and loses
 * its whole query. Returns `''` for `undefined` or
 * `''`; never throws.
 *
 * A raw `/`, `?` or `#` inside a password ends the authority for every URL
 * parser, so what follows it is path, query or fragment: percent-encode
 * userinfo when building URLs.
 */
export function redactUrl(url: string | undefined): string {
  try {
    const text = asText(url).replace(PARSER_IGNORED, '').replace(PARSER_TRIMMED, '');
    return text === '' ? '' : redactText(text);
  } catch {
    // Not reachable by design; if it ever is, fail closed rather than print the input.
    return REDACTED;
  }
}
