import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { hostMatches } from '../../src/redirect/host-allowlist.js';
import { PermanentRedirects, type RewriteCheck } from '../../src/redirect/permanent-redirects.js';

const OWN = new URL('http://127.0.0.1:9000/photos/k');

function movedTo(target: string, from: URL = OWN): PermanentRedirects {
  const cache = new PermanentRedirects(10);
  cache.remember(from, new URL(`${target}${from.pathname}${from.search}`));
  return cache;
}

describe('PermanentRedirects checks a rewrite for each call that would use it', () => {
  it("uses a rewrite only for a call whose allowHosts admit the new host; the others keep their own URL (the same object)", () => {
    const cache = movedTo('http://localhost:9001');
    const call = new URL('http://127.0.0.1:9000/photos/other');
    expect(cache.rewrite(call, { allowHosts: ['localhost'], maxRedirects: 3 }).href).toBe('http://localhost:9001/photos/other');
    expect(cache.rewrite(call, { allowHosts: [], maxRedirects: 3 })).toBe(call);
    expect(cache.rewrite(call, { allowHosts: ['.localhost'], maxRedirects: 3 })).toBe(call);
  });

  it('lets the call move to its own host on another port whatever its allowHosts', () => {
    const cache = movedTo('http://127.0.0.1:9001');
    expect(cache.rewrite(new URL('http://127.0.0.1:9000/photos/x'), { allowHosts: [], maxRedirects: 3 }).port).toBe('9001');
  });

  it('never downgrades an https call to http, even to an allowed host', () => {
    const from = new URL('https://photos.obs.a.test/k');
    const cache = movedTo('http://photos.obs.b.test', from);
    const call = new URL('https://photos.obs.a.test/other');
    expect(cache.rewrite(call, { allowHosts: ['photos.obs.b.test'], maxRedirects: 3 })).toBe(call);
  });

  it('is not used by a call with maxRedirects: 0', () => {
    const cache = movedTo('http://localhost:9001');
    expect(cache.rewrite(OWN, { allowHosts: ['localhost'], maxRedirects: 0 })).toBe(OWN);
  });

  it('never moves a call to a host other than its own that its allowHosts refuse, nor from https to http', () => {
    const hosts = ['a.test', 'b.test', 'localhost', '127.0.0.1', 'photos.obs.test'];
    const entry = fc.oneof(fc.constantFrom(...hosts), fc.constantFrom('.test', '.obs.test'), fc.constantFrom(/^b\.test$/g, /^local/y, /obs/));
    fc.assert(
      fc.property(
        fc.constantFrom(...hosts),
        fc.constantFrom(...hosts),
        fc.constantFrom('http:', 'https:'),
        fc.constantFrom('http:', 'https:'),
        fc.array(entry, { maxLength: 3 }),
        fc.nat({ max: 3 }),
        (fromHost, toHost, fromScheme, toScheme, allowHosts, maxRedirects) => {
          const from = new URL(`${fromScheme}//${fromHost}:9000/photos/k`);
          const cache = movedTo(`${toScheme}//${toHost}:9001`, from);
          const call = new URL(`${fromScheme}//${fromHost}:9000/photos/other`);
          const check: RewriteCheck = { allowHosts, maxRedirects };
          const result = cache.rewrite(call, check);
          if (result === call) return;
          expect(maxRedirects).toBeGreaterThan(0);
          expect(result.hostname === call.hostname || hostMatches(result.hostname, allowHosts)).toBe(true);
          expect(call.protocol === 'https:' && result.protocol === 'http:').toBe(false);
        },
      ),
    );
  });
});
