/**
 * Where a request goes: its absolute URL as a string, its origin (the key of
 * the endpoint's breaker and pace), and the parsed `URL`, built only when
 * something needs it (a failure to report or judge, a redirect, a remembered
 * rewrite). A call that succeeds at once never parses its URL: for the URLs
 * clients actually use (http(s), a plain host name or IPv4 address, an
 * optional port) the origin is read off the string; anything else is parsed.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { combine, usesBase } from './request-url.js';

/** A dotted-quad IPv4 address as URL writes it (no leading zeros, each part ≤ 255). */
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

const DOT = 46;
const COLON = 58;
const SLASH = 47;
const QUESTION = 63;
const HASH = 35;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Where the host starts after `http://` (7) or `https://` (8), in any case; 0 for any other scheme. */
function hostStartOf(href: string): number {
  if (href.startsWith('http://')) return 7;
  if (href.startsWith('https://')) return 8;
  const head = href.slice(0, 8).toLowerCase();
  if (head.startsWith('http://')) return 7;
  return head.startsWith('https://') ? 8 : 0;
}

/**
 * The origin `new URL(href).origin` would give, read off the string by one scan
 * (about a quarter of what parsing costs); `undefined` when `href` is not in the
 * plain form this reads, and must be parsed. Plain form: `http(s)://`, a host of
 * ASCII letters, digits, `-` and non-empty dot-separated labels (one trailing dot
 * allowed), an optional port without leading zeros up to 65535, then `/`, `?`,
 * `#` or the end. A host whose last label starts with a digit must be a
 * dotted-quad IPv4 address (URL would rewrite or refuse anything else), and
 * punycode labels are left to URL (it validates them).
 */
export function plainOrigin(href: string): string | undefined {
  const hostStart = hostStartOf(href);
  if (hostStart === 0) return undefined;
  const scheme = hostStart === 7 ? 'http' : 'https';
  // Whether the origin can be a slice of `href` as it is: scheme and host already lower case.
  let lower = href.startsWith(scheme);
  let labelStart = hostStart;
  let lastLabelStart = hostStart;
  let i = hostStart;
  for (; i < href.length; i++) {
    const code = href.charCodeAt(i);
    if ((code >= 97 && code <= 122) || isDigit(code) || code === 45) continue;
    if (code >= 65 && code <= 90) {
      lower = false;
      continue;
    }
    if (code !== DOT) break;
    if (i === labelStart) return undefined;
    lastLabelStart = labelStart;
    labelStart = i + 1;
  }
  const hostEnd = i;
  if (hostEnd === hostStart) return undefined;
  const trailingDot = labelStart === hostEnd;
  const lastLabel = trailingDot ? lastLabelStart : labelStart;
  let port: string | undefined;
  if (i < href.length && href.charCodeAt(i) === COLON) {
    const portStart = ++i;
    while (i < href.length && isDigit(href.charCodeAt(i))) i++;
    if (i === portStart || i - portStart > 5 || href.charCodeAt(portStart) === 48) return undefined;
    port = href.slice(portStart, i);
    if (Number(port) > 65_535) return undefined;
  }
  if (i < href.length) {
    const code = href.charCodeAt(i);
    if (code !== SLASH && code !== QUESTION && code !== HASH) return undefined;
  }
  let host = href.slice(hostStart, hostEnd);
  if (!lower) host = host.toLowerCase();
  if (isDigit(href.charCodeAt(lastLabel)) && (trailingDot || !IPV4.test(host))) return undefined;
  if (host.includes('xn--')) return undefined;
  const isDefault = port === undefined || port === DEFAULT_PORTS[scheme];
  // The common case, already in URL's form: a slice of the string itself.
  if (lower) return href.slice(0, isDefault ? hostEnd : i);
  return isDefault ? `${scheme}://${host}` : `${scheme}://${host}:${String(port)}`;
}

/**
 * The last origin read that is a prefix of its URL string (`http://127.0.0.1:9000`
 * of `http://127.0.0.1:9000/photos/a`). Calls of one client nearly always go to
 * one endpoint, so the next URL usually starts with it.
 */
let lastPrefixOrigin = '';

/**
 * `plainOrigin(href)`, answered without a scan when `href` starts with the last
 * origin read and a delimiter follows it: `plainOrigin` reads nothing past the
 * host and port, so the answer is the same.
 */
export function originOf(href: string): string | undefined {
  const prefix = lastPrefixOrigin;
  if (prefix !== '' && href.startsWith(prefix)) {
    if (href.length === prefix.length) return prefix;
    const code = href.charCodeAt(prefix.length);
    if (code === SLASH || code === QUESTION || code === HASH) return prefix;
  }
  const origin = plainOrigin(href);
  if (origin !== undefined && href.startsWith(origin)) lastPrefixOrigin = origin;
  return origin;
}

/** A request's destination; the URL string is built and the `URL` parsed on first use. */
export class RequestTarget {
  private parsed: URL | undefined;
  private text: string | undefined;

  private constructor(
    /** `protocol://host[:port]`, as `URL.origin` writes it. */
    readonly origin: string,
    text: string | undefined,
    parsed: URL | undefined,
    /** A call's `baseURL` and relative `url`, joined into `href` on first use. */
    private readonly joined?: { readonly base: string; readonly relative: string },
  ) {
    this.text = text;
    this.parsed = parsed;
  }

  /** The absolute URL as the call gave it (before `URL` normalizes it). */
  get href(): string {
    this.text ??= this.joined === undefined ? '' : combine(this.joined.base, this.joined.relative);
    return this.text;
  }

  /** The parsed URL (parsed once, on first use). */
  get url(): URL {
    this.parsed ??= new URL(this.href);
    return this.parsed;
  }

  /** A target for a URL already parsed (a redirect hop, a rewritten origin). */
  static of(url: URL): RequestTarget {
    return new RequestTarget(url.origin, url.href, url);
  }

  /** The target of an absolute URL string, or `undefined` when `URL` refuses it. */
  static parse(href: string): RequestTarget | undefined {
    const origin = originOf(href);
    if (origin !== undefined) return new RequestTarget(origin, href, undefined);
    try {
      return RequestTarget.of(new URL(href));
    } catch {
      return undefined;
    }
  }

  /**
   * The target of `relative` under `base`, joined as axios joins them. When the
   * base is a plain origin and path, the joined URL has the base's origin (the
   * join always puts a `/` after the base), so nothing is joined or scanned
   * until something needs the URL.
   */
  static under(base: string, relative: string): RequestTarget | undefined {
    const origin = originOf(base);
    if (origin !== undefined) return new RequestTarget(origin, undefined, undefined, { base, relative });
    return RequestTarget.parse(combine(base, relative));
  }
}

/** The call's destination, resolved the way axios resolves it; `undefined` when it is not an absolute URL (axios reports that itself). */
export function callTarget(config: InternalAxiosRequestConfig): RequestTarget | undefined {
  const url = config.url ?? '';
  return usesBase(config.baseURL, url, config.allowAbsoluteUrls) ? RequestTarget.under(config.baseURL, url) : RequestTarget.parse(url);
}
