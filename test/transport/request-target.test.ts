/**
 * RequestTarget reads the origin off the URL string for plain URLs, so a call
 * that succeeds at once never parses its URL. Whatever it reads must be what
 * `new URL(href).origin` says, and whatever it cannot read exactly it leaves to
 * `URL`: checked on a table of plain and hostile inputs and on generated ones.
 */
import { describe, expect, it } from '@jest/globals';
import type { InternalAxiosRequestConfig } from 'axios';
import fc from 'fast-check';
import { callTarget, originOf, plainOrigin, RequestTarget } from '../../src/transport/request-target.js';
import { fullPath } from '../support/full-path.js';

function urlOrigin(href: string): string | undefined {
  try {
    return new URL(href).origin;
  } catch {
    return undefined;
  }
}

const PLAIN = [
  'https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg',
  'https://obs.cn-north-4.myhuaweicloud.com/photos/cat.jpg?versionId=1',
  'http://127.0.0.1:9000/photos/a',
  'HTTP://Photos.OBS.Example.COM:8080/a',
  'https://host:443/a',
  'http://host:80',
  'http://host:8443#frag',
  'https://a.b-c.d./x',
  'http://localhost:65535/',
];

const LEFT_TO_URL = [
  'http://user:pw@host/a', // userinfo
  'http://[::1]:9000/a', // IPv6
  'http://host:080/a', // port with a leading zero
  'http://host:65536/a', // port out of range (URL refuses it)
  'http://host:/a', // empty port
  'http://127.1/a', // IPv4 shorthand, rewritten by URL
  'http://0x7f.0.0.1/a', // hex IPv4
  'http://a.1/a', // numeric last label that is not an address (URL refuses it)
  'http://1.2.3.4./a', // address with a trailing dot
  'http://xn--nxasmq6b.example/a', // punycode (validated by URL)
  'http://ex%41mple.com/a', // percent-encoded host
  'http://exa\tmple.com/a', // a tab URL would strip
  'http://example.com\\a', // backslash, a slash to URL
  ' http://example.com/a', // leading space
  'http://host_name/a', // underscore
  'ftp://example.com/a', // not http(s)
  'http:/example.com/a', // one slash
  'mailto:x@example.com',
  '/relative/path',
];

describe('plainOrigin', () => {
  it.each(PLAIN)('reads the origin of %p as URL does', (href) => {
    expect(plainOrigin(href)).toBe(urlOrigin(href));
    expect(plainOrigin(href)).toBeDefined();
  });

  it.each(LEFT_TO_URL)('leaves %p to URL', (href) => {
    expect(plainOrigin(href)).toBeUndefined();
  });

  it('on generated URL-like strings: whenever it answers, URL accepts the string and gives the same origin', () => {
    // Mostly plain pieces (so the fast path answers often), with hostile ones mixed in.
    const scheme = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('http://', 'https://', 'HTTPS://', 'hTtP://') },
      { weight: 1, arbitrary: fc.constantFrom('ftp://', 'http:/', 'http:\\\\', '') },
    );
    const label = fc.oneof(
      { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z0-9-]{1,8}$/) },
      { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z0-9_%@-]{0,8}$/) },
    );
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
      fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((parts) => parts.join('.')),
      fc.constantFrom('[::1]', 'xn--nxasmq6b.com', '127.1', '0x7f.1', 'a..b', 'a.', '.a', 'user@h', 'h.123'),
    );
    const port = fc.oneof(fc.constant(''), fc.constantFrom(':', ':0', ':080', ':80', ':443', ':65535', ':65536', ':99999'), fc.nat(70_000).map((n) => `:${String(n)}`));
    const rest = fc.constantFrom('', '/', '/a?b=1#c', '?q', '#f', '\\x', ' /a', '\t/a', '/a b', ':x');
    let answered = 0;
    fc.assert(
      fc.property(scheme, host, port, rest, (s, h, p, r) => {
        const href = `${s}${h}${p}${r}`;
        const read = plainOrigin(href);
        if (read === undefined) return;
        answered++;
        expect(read).toBe(urlOrigin(href));
      }),
      { numRuns: 1000, seed: 20261130 },
    );
    // The property only means something if the fast path answers often.
    expect(answered).toBeGreaterThan(100);
  });
});

describe('RequestTarget', () => {
  it('parses the URL only when asked, and then gives what URL gives', () => {
    const href = 'HTTPS://Photos.OBS.Example.com:443/a%20b?x=1';
    const target = RequestTarget.parse(href);
    expect(target?.origin).toBe('https://photos.obs.example.com');
    expect(target?.href).toBe(href);
    expect(target?.url.href).toBe(new URL(href).href);
    expect(target?.url).toBe(target?.url);
  });

  it('parses what it cannot read, and refuses what URL refuses', () => {
    expect(RequestTarget.parse('http://[::1]:9000/a')?.origin).toBe('http://[::1]:9000');
    expect(RequestTarget.parse('http://127.1/a')?.origin).toBe('http://127.0.0.1');
    expect(RequestTarget.parse('http://a.1/a')).toBeUndefined();
    expect(RequestTarget.parse('/relative')).toBeUndefined();
  });

  it('of(url) keeps the URL it is given', () => {
    const url = new URL('https://b.example/k');
    const target = RequestTarget.of(url);
    expect(target.url).toBe(url);
    expect(target.origin).toBe('https://b.example');
  });

  it('callTarget resolves baseURL and url as axios does', () => {
    expect(callTarget({ baseURL: 'http://h:1/b/', url: '/k' } as InternalAxiosRequestConfig)?.url.href).toBe('http://h:1/b/k');
    expect(callTarget({ baseURL: 'http://h:1/b/', url: '/k' } as InternalAxiosRequestConfig)?.href).toBe('http://h:1/b/k');
    expect(callTarget({ url: 'a.txt' } as InternalAxiosRequestConfig)).toBeUndefined();
  });

  it('callTarget on generated baseURL/url pairs: the same origin, href and URL as joining first and reading the whole string', () => {
    const base = fc.oneof(
      fc.constantFrom('http://127.0.0.1:9000', 'https://b.obs.example.com/', 'HTTP://B.Example.com:80/p/', 'http://h:80', 'http://user@h/', 'http://[::1]:1/', 'http://h?x=1', 'http://h#f', 'http://a.b./', ''),
      fc.constantFrom('http://', 'https://').chain((scheme) => fc.stringMatching(/^[a-z0-9.:/@?#-]{0,12}$/).map((rest) => `${scheme}${rest}`)),
    );
    const url = fc.oneof(fc.constantFrom('', '/k', 'k', '//other/k', 'http://other:1/k', '?q', '#f', '/a b', '@evil.com/x', ':80/x'), fc.stringMatching(/^[a-z0-9./:@?#-]{0,10}$/));
    const allow = fc.constantFrom(undefined, true, false);
    fc.assert(
      fc.property(base, url, allow, (baseURL, u, allowAbsoluteUrls) => {
        const config = { baseURL: baseURL === '' ? undefined : baseURL, url: u, allowAbsoluteUrls } as InternalAxiosRequestConfig;
        const full = fullPath(config.baseURL, u, allowAbsoluteUrls);
        const expected = plainOrigin(full) ?? urlOrigin(full);
        const target = callTarget(config);
        expect(target?.origin).toBe(expected);
        if (target === undefined) return;
        // A string URL had to parse keeps URL's spelling; one read directly keeps the caller's.
        expect(target.href).toBe(plainOrigin(full) === undefined ? new URL(full).href : full);
        expect(target.url.href).toBe(new URL(full).href);
      }),
      { numRuns: 600, seed: 20261130 },
    );
  });
});

describe('originOf', () => {
  it('answers what plainOrigin answers, whatever URL came before (the remembered origin is only a shortcut)', () => {
    const first = fc.constantFrom('http://host/a', 'http://host:80/a', 'https://h.example.com:8443/', 'http://127.0.0.1:9000/x', 'http://a.b./x', 'HTTP://Up.Case/x', 'http://h');
    const tail = fc.constantFrom('', '/p', '?q', '#f', '.evil.com/', '-x/', ':80/', ':8080/', ':1/', '@evil/', 'x', '\\x', '..', ' /a');
    fc.assert(
      fc.property(first, tail, (before, rest) => {
        originOf(before);
        const remembered = plainOrigin(before);
        const href = `${remembered ?? before}${rest}`;
        expect(originOf(href)).toBe(plainOrigin(href));
      }),
      { numRuns: 500, seed: 20261130 },
    );
  });
});
