/**
 * The news codec, case by case: every kind read back as the store publishes
 * it, and each way a message can be wrong (not JSON, too long, a wrong type
 * or range, an unknown kind, a prototype-named field) dropped.
 */
import { describe, expect, it } from '@jest/globals';
import type { FleetNews } from '../../src/fleet/fleet-store.js';
import { decodeNews, MAX_NEWS_LENGTH } from '../../src/redis/news-codec.js';

const VALID: readonly FleetNews[] = [
  { kind: 'open', origin: 'p', endpoint: 'https://e.example', waitMs: 1250, intervalMs: 2500 },
  { kind: 'close', origin: 'p', endpoint: 'https://e.example' },
  { kind: 'pace', origin: 'p', endpoint: 'https://e.example', class: 'list', fleetRatePerSec: 12.5, live: 3 },
  { kind: 'pace', origin: 'p', endpoint: 'https://e.example', class: 'read', fleetRatePerSec: null, live: 1 },
  { kind: 'hold', origin: 'p', endpoint: 'https://e.example', class: 'write', pauseMs: 0 },
  { kind: 'redirect', origin: 'p', from: 'https://a.example/b', to: 'https://c.example/b' },
  { kind: 'clock', origin: 'p', serverMinusStoreMs: -12.5 },
];

describe('decodeNews', () => {
  it.each(VALID.map((news) => [news.kind, news]))('reads a %s news back', (_kind, news) => {
    expect(decodeNews(JSON.stringify(news))).toEqual(news);
  });

  it('reads a count to share a pace among when it is above the live count, and leaves out any other', () => {
    const pace = VALID[2] as Extract<FleetNews, { kind: 'pace' }>;
    expect(decodeNews(JSON.stringify({ ...pace, sharedAmong: 32 }))).toEqual({ ...pace, sharedAmong: 32 });
    for (const sharedAmong of [3, 2, 0, -4, 4.5, '32', null, 1e300, Number.MAX_SAFE_INTEGER + 2, { valueOf: 32 }]) {
      expect(decodeNews(JSON.stringify({ ...pace, sharedAmong }))).toEqual(pace);
    }
  });

  it('keeps only the known fields', () => {
    expect(decodeNews(JSON.stringify({ ...VALID[1], extra: { deep: true } }))).toEqual(VALID[1]);
  });

  const open = { kind: 'open', origin: 'p', endpoint: 'https://e.example', waitMs: 1, intervalMs: 1 };
  it.each([
    ['not JSON', '{'],
    ['not an object', '[1,2]'],
    ['null', 'null'],
    ['a number', '42'],
    ['not a string', 42],
    ['too long', JSON.stringify({ ...open, pad: 'x'.repeat(MAX_NEWS_LENGTH) })],
    ['an unknown kind', JSON.stringify({ ...open, kind: 'reopen' })],
    ['no origin', JSON.stringify({ ...open, origin: undefined })],
    ['an empty origin', JSON.stringify({ ...open, origin: '' })],
    ['a negative wait', JSON.stringify({ ...open, waitMs: -1 })],
    ['a wait beyond a timer', JSON.stringify({ ...open, waitMs: 2 ** 31 })],
    ['a wait as text', JSON.stringify({ ...open, waitMs: '1' })],
    ['an endpoint as a number', JSON.stringify({ ...open, endpoint: 1 })],
    ['a long endpoint', JSON.stringify({ ...open, endpoint: 'e'.repeat(5000) })],
    ['a class unknown', JSON.stringify({ ...VALID[2], class: 'toString' })],
    ['a rate of 0', JSON.stringify({ ...VALID[2], fleetRatePerSec: 0 })],
    ['a live count of 0', JSON.stringify({ ...VALID[2], live: 0 })],
    ['a fractional live count', JSON.stringify({ ...VALID[2], live: 1.5 })],
    ['a clock of null', JSON.stringify({ kind: 'clock', origin: 'p', serverMinusStoreMs: null })],
    ['a redirect without a target', JSON.stringify({ kind: 'redirect', origin: 'p', from: 'https://a.example' })],
    ['a __proto__ field', '{"kind":"close","origin":"p","endpoint":"e","__proto__":{"x":1}}'],
    ['a constructor field', '{"kind":"close","origin":"p","endpoint":"e","constructor":1}'],
    ['a prototype field', '{"kind":"close","origin":"p","endpoint":"e","prototype":1}'],
  ])('drops a message with %s', (_what, message) => {
    expect(decodeNews(message)).toBeUndefined();
  });
});
