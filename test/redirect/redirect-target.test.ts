import { describe, expect, it } from '@jest/globals';
import { makeFault, type ObsFault } from '../../src/classify/fault.js';
import { OBS_OFFICIAL_HOSTS, hostMatches } from '../../src/redirect/host-allowlist.js';
import { PermanentRedirects } from '../../src/redirect/permanent-redirects.js';
import { resolveRedirect } from '../../src/redirect/redirect-target.js';

function redirect(status: number, location?: string, endpoint?: string): ObsFault {
  return makeFault('redirect', status === 301 ? 'PermanentRedirect' : 'TemporaryRedirect', { status, location, endpoint });
}

const current = new URL('https://photos.obs.cn-north-1.myhuaweicloud.com/a/b.jpg?versionId=1');
const context = { current, original: current, allowHosts: OBS_OFFICIAL_HOSTS };

describe('resolveRedirect', () => {
  it('follows Location to an official OBS host', () => {
    const verdict = resolveRedirect(redirect(307, 'https://photos.obs.cn-north-4.myhuaweicloud.com/a/b.jpg?x=1'), context);
    expect(verdict).toMatchObject({ ok: true, permanent: false });
  });

  it('builds the target from <Endpoint> when a 301 has no Location, keeping scheme, path and query', () => {
    const verdict = resolveRedirect(redirect(301, undefined, 'photos.obs.eu-west-101.myhuaweicloud.eu'), context);
    expect(verdict.ok && verdict.url.href).toBe('https://photos.obs.eu-west-101.myhuaweicloud.eu/a/b.jpg?versionId=1');
    expect(verdict.ok && verdict.permanent).toBe(true);
  });

  it.each([
    ['a foreign host', 'https://evil.test/a'],
    ['a look-alike suffix', 'https://obs.myhuaweicloud.com.evil.test/a'],
    ['a look-alike prefix', 'https://evilmyhuaweicloud.com/a'],
    ['userinfo', 'https://user:pw@photos.obs.cn-north-4.myhuaweicloud.com/a'],
    ['a downgrade to http', 'http://photos.obs.cn-north-4.myhuaweicloud.com/a'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a data: URL', 'data:text/plain,hi'],
    ['protocol-relative to a foreign host', '//evil.test/a'],
    ['an IPv6 loopback literal', 'https://[::1]/a'],
    ['a loopback alias', 'https://127.0.0.2/a'],
  ])('refuses %s', (_label, location) => {
    expect(resolveRedirect(redirect(307, location), context).ok).toBe(false);
  });

  it('refuses a redirect with neither Location nor Endpoint', () => {
    expect(resolveRedirect(redirect(307), context)).toEqual({ ok: false, reason: 'redirect without Location or Endpoint' });
  });

  it('resolves relative Locations against the current URL (same host)', () => {
    const verdict = resolveRedirect(redirect(307, '/other/key'), context);
    expect(verdict.ok && verdict.url.href).toBe('https://photos.obs.cn-north-1.myhuaweicloud.com/other/key');
  });

  it('allows the call’s own host on another port, and http to https', () => {
    const http = new URL('http://127.0.0.1:8080/b/k');
    const ctx = { current: http, original: http, allowHosts: [] };
    expect(resolveRedirect(redirect(307, 'http://127.0.0.1:9090/b/k'), ctx).ok).toBe(true);
    expect(resolveRedirect(redirect(307, 'https://127.0.0.1:9443/b/k'), ctx).ok).toBe(true);
  });
});

describe('hostMatches', () => {
  it('matches exact names, .suffix names and RegExps, case- and trailing-dot-insensitively', () => {
    expect(hostMatches('Bucket.Example.COM.', ['bucket.example.com'])).toBe(true);
    expect(hostMatches('a.cdn.example.com', ['.cdn.example.com'])).toBe(true);
    expect(hostMatches('cdn.example.com', ['.cdn.example.com'])).toBe(false);
    expect(hostMatches('evilcdn.example.com', ['.cdn.example.com'])).toBe(false);
    expect(hostMatches('x.test', [/^x\.test$/g])).toBe(true);
    expect(hostMatches('x.test', [/^x\.test$/g])).toBe(true);
  });
});

/** A call whose settings allow every rewrite these tests remember. */
const LENIENT = { allowHosts: [/./], maxRedirects: 3 };

describe('PermanentRedirects', () => {
  it('remembers a virtual-hosted 301 for the whole bucket host', () => {
    const cache = new PermanentRedirects(10);
    cache.remember(new URL('https://a.obs.x.myhuaweicloud.com/k1'), new URL('https://a.obs.y.myhuaweicloud.com/k1'));
    expect(cache.rewrite(new URL('https://a.obs.x.myhuaweicloud.com/k2?q=1'), LENIENT).href).toBe('https://a.obs.y.myhuaweicloud.com/k2?q=1');
    expect(cache.rewrite(new URL('https://b.obs.x.myhuaweicloud.com/k2'), LENIENT).href).toBe('https://b.obs.x.myhuaweicloud.com/k2');
  });

  it('scopes a path-style 301 to its bucket, so it cannot move another bucket', () => {
    const cache = new PermanentRedirects(10);
    cache.remember(new URL('http://127.0.0.1:1/a/k'), new URL('http://127.0.0.1:2/a/k'));
    expect(cache.rewrite(new URL('http://127.0.0.1:1/a/other'), LENIENT).port).toBe('2');
    expect(cache.rewrite(new URL('http://127.0.0.1:1/b/k'), LENIENT).port).toBe('1');
  });

  it('does not remember a 301 that also changed the path, and stays bounded', () => {
    const cache = new PermanentRedirects(2);
    cache.remember(new URL('https://a.example/k'), new URL('https://b.example/other'));
    expect(cache.size).toBe(0);
    for (let i = 0; i < 5; i++) cache.remember(new URL(`https://h${i}.example/k`), new URL(`https://n${i}.example/k`));
    expect(cache.size).toBe(2);
  });
});
