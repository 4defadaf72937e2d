import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { hostMatches } from '../../src/redirect/host-allowlist.js';

describe('hostMatches with RegExp entries', () => {
  it('matches with a frozen global and sticky RegExp, and never writes its lastIndex', () => {
    const pattern = Object.freeze(/^photos\.obs-b\.test$/gy);
    for (let i = 0; i < 3; i++) {
      expect(hostMatches('photos.obs-b.test', [pattern])).toBe(true);
      expect(hostMatches('evil.test', [pattern])).toBe(false);
    }
    expect(pattern.lastIndex).toBe(0);
  });

  it('matches with a frozen RegExp without flags, and inside a frozen list', () => {
    const list = Object.freeze([Object.freeze(/^a\.test$/), Object.freeze(/\.b\.test$/i)]);
    expect(hostMatches('a.test', list)).toBe(true);
    expect(hostMatches('x.B.test', list)).toBe(true);
    expect(hostMatches('c.test', list)).toBe(false);
  });

  it("answers as a fresh copy matching from the start would, whatever the RegExp's lastIndex holds, and leaves it as it was", () => {
    fc.assert(
      fc.property(fc.nat({ max: 64 }), fc.constantFrom('g', 'y', 'gy', 'gi', 'i', ''), fc.constantFrom('photos.obs.test', 'x.photos.obs.test', 'evil.test'), (lastIndex, flags, host) => {
        const pattern = new RegExp('photos\\.obs\\.test$', flags);
        pattern.lastIndex = lastIndex;
        const fresh = (): boolean => new RegExp(pattern.source, flags).test(host);
        expect(hostMatches(host, [pattern])).toBe(fresh());
        expect(hostMatches(host, [pattern])).toBe(fresh());
        expect(pattern.lastIndex).toBe(lastIndex);
      }),
    );
  });

  it('keeps a sticky RegExp anchored at the start of the hostname', () => {
    const pattern = Object.freeze(/photos\.obs\.test$/y);
    expect(hostMatches('photos.obs.test', [pattern])).toBe(true);
    expect(hostMatches('evil.photos.obs.test', [pattern])).toBe(false);
  });
});
