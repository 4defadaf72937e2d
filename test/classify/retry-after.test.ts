/**
 * parseRetryAfter and parseHttpDate: only delta-seconds and the three HTTP-date
 * forms of RFC 9110 §5.6.7 are read; hostile or sloppy values (negative
 * numbers, free text `Date.parse` guesses at, wrong day names, impossible
 * dates) are ignored. Properties: whatever the parser accepts is exactly the
 * rendering of the instant it returns, and every rendering of every instant is
 * accepted and read back.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseHttpDate, parseRetryAfter } from '../../src/classify/retry-after.js';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const DAY_MS = 86_400_000;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The test's own renderings of an instant, one per HTTP-date form (not the engine's toUTCString). */
const FORMS = {
  imf: (d: Date) => `${DAYS[d.getUTCDay()] ?? ''}, ${pad(d.getUTCDate(), 2)} ${MONTHS[d.getUTCMonth()] ?? ''} ${pad(d.getUTCFullYear(), 4)} ${time(d)} GMT`,
  rfc850: (d: Date) => `${LONG_DAYS[d.getUTCDay()] ?? ''}, ${pad(d.getUTCDate(), 2)}-${MONTHS[d.getUTCMonth()] ?? ''}-${pad(d.getUTCFullYear() % 100, 2)} ${time(d)} GMT`,
  asctime: (d: Date) => `${DAYS[d.getUTCDay()] ?? ''} ${MONTHS[d.getUTCMonth()] ?? ''} ${String(d.getUTCDate()).padStart(2, ' ')} ${time(d)} ${pad(d.getUTCFullYear(), 4)}`,
};

function time(d: Date): string {
  return `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
}

/** Every rendering of `ms`, plus, when its second is 0, the leap-second spelling of the second before. */
function renderingsOf(ms: number): string[] {
  const all = Object.values(FORMS).map((form) => form(new Date(ms)));
  const before = new Date(ms - 1000);
  if (before.getUTCSeconds() === 59) all.push(...Object.values(FORMS).map((form) => form(before).replace(/:59( |$)/, ':60$1')));
  return all;
}

/** Instants an HTTP-date can name: whole seconds in years 0000–9999. */
const instant = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
/** Instants whose RFC 850 two-digit year reads back as the same year at NOW (up to 50 years ahead, 49 back). */
const rfc850Instant = fc.date({ min: new Date('1976-01-01T00:00:00Z'), max: new Date('2075-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));

/** A valid rendering with one character replaced, inserted or removed. */
const mutatedDate = fc
  .tuple(instant, fc.constantFrom(...Object.values(FORMS)), fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...' ,-:0123456789GMTabcSunMonDecZ\t+.'.split('')))
  .map(([d, form, at, how, char]) => {
    const text = form(d);
    const i = at % (text.length + 1);
    if (how === 'delete') return text.slice(0, i) + text.slice(i + 1);
    if (how === 'insert') return text.slice(0, i) + char + text.slice(i);
    return text.slice(0, i) + char + text.slice(i + 1);
  });

const HOSTILE = ['-86400', '-3600', '-1', 'abc 2099', '1.5', '+5', '1e3', '0x10', 'Infinity', 'NaN', '', ' ', '٣', '5 s', 'soon', '2099-01-01T00:00:00Z', 'Wed, 01 Jan 2099 00:00:00 UTC', 'wed, 01 jan 2099 00:00:00 gmt', 'Wed, 1 Jan 2099 00:00:00 GMT', 'Wed,  01 Jan 2099 00:00:00 GMT', 'Wed, 01 Jan 2099 00:00:00 GMT', 'Tue, 30 Feb 2099 00:00:00 GMT', 'Thu, 01 Jan 2099 24:00:00 GMT', 'Thu, 01 Jan 2099 23:60:00 GMT', 'Thu, 00 Jan 2099 00:00:00 GMT', '9999999999999999999999 abc'];

describe('parseRetryAfter', () => {
  it('reads delta-seconds, capped at a day', () => {
    expect(parseRetryAfter('0', undefined, NOW)).toBe(0);
    expect(parseRetryAfter('3', undefined, NOW)).toBe(3000);
    expect(parseRetryAfter(' \t007 ', undefined, NOW)).toBe(7000);
    expect(parseRetryAfter('86400', undefined, NOW)).toBe(DAY_MS);
    expect(parseRetryAfter('99999999999999999999999', undefined, NOW)).toBe(DAY_MS);
  });

  it.each(HOSTILE)('ignores %j', (value) => {
    expect(parseRetryAfter(value, undefined, NOW)).toBeUndefined();
  });

  it('reads an HTTP-date against the response Date when there is one, else the local clock; a past date is 0', () => {
    const inTen = FORMS.imf(new Date(NOW + 10_000));
    expect(parseRetryAfter(inTen, undefined, NOW)).toBe(10_000);
    expect(parseRetryAfter(inTen, NOW - 5000, NOW)).toBe(15_000);
    expect(parseRetryAfter(FORMS.imf(new Date(NOW - 60_000)), undefined, NOW)).toBe(0);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', undefined, NOW)).toBe(DAY_MS);
  });

  it('is undefined for anything but delta-seconds or an HTTP-date, and a wait from 0 to a day otherwise', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^-?\d{1,25}$/), mutatedDate, fc.constantFrom(...HOSTILE)), fc.option(fc.integer({ min: NOW - DAY_MS, max: NOW + DAY_MS }), { nil: undefined }), (value, serverDate) => {
        const wait = parseRetryAfter(value, serverDate, NOW);
        const readable = /^\d+$/.test(value.replace(/^[ \t]+|[ \t]+$/g, '')) || parseHttpDate(value, NOW) !== undefined;
        expect(wait !== undefined).toBe(readable);
        if (wait !== undefined) expect(wait >= 0 && wait <= DAY_MS).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('delta-seconds round-trip', () => {
    fc.assert(
      fc.property(fc.nat({ max: 200_000 }), fc.nat({ max: 3 }), (seconds, zeros) => {
        expect(parseRetryAfter('0'.repeat(zeros) + String(seconds), undefined, NOW)).toBe(Math.min(seconds * 1000, DAY_MS));
      }),
    );
  });
});

describe('parseHttpDate', () => {
  it('reads the three forms of RFC 9110 (its own example in each)', () => {
    const example = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(example);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(example);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW)).toBe(example);
    expect(parseHttpDate('Sun Nov 06 08:49:37 1994', NOW)).toBe(example);
  });

  it('places an RFC 850 two-digit year at most 50 years ahead of the local clock', () => {
    expect(parseHttpDate('Wednesday, 01-Jan-70 00:00:00 GMT', NOW)).toBe(Date.UTC(2070, 0, 1));
    expect(parseHttpDate('Thursday, 01-Jan-76 00:00:00 GMT', NOW)).toBe(Date.UTC(1976, 0, 1));
  });

  it('reads years 0000–0099 as written, Feb 29 of leap years only, and a leap second as the next second', () => {
    const year5 = new Date(0);
    year5.setUTCFullYear(5, 0, 1);
    expect(parseHttpDate(FORMS.imf(year5), NOW)).toBe(year5.getTime());
    expect(parseHttpDate('Thu, 29 Feb 2024 00:00:00 GMT', NOW)).toBe(Date.UTC(2024, 1, 29));
    expect(parseHttpDate('Sat, 29 Feb 2025 00:00:00 GMT', NOW)).toBeUndefined();
    expect(parseHttpDate('Sat, 31 Dec 2016 23:59:60 GMT', NOW)).toBe(Date.UTC(2017, 0, 1));
  });

  it.each([...HOSTILE, '2099', '86400'])('ignores %j', (value) => {
    expect(parseHttpDate(value, NOW)).toBeUndefined();
  });

  it('accepts exactly the renderings of the instant it returns: anything else is undefined', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutatedDate, fc.constantFrom(...HOSTILE)), (value) => {
        const at = parseHttpDate(value, NOW);
        if (at !== undefined) expect(renderingsOf(at)).toContain(value.replace(/^[ \t]+|[ \t]+$/g, ''));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads back every IMF-fixdate and asctime rendering, and every RFC 850 one within its century window', () => {
    fc.assert(
      fc.property(instant, (d) => {
        expect([parseHttpDate(FORMS.imf(d), NOW), parseHttpDate(FORMS.asctime(d), NOW)]).toEqual([d.getTime(), d.getTime()]);
      }),
    );
    fc.assert(
      fc.property(rfc850Instant, (d) => {
        expect(parseHttpDate(FORMS.rfc850(d), NOW)).toBe(d.getTime());
      }),
    );
  });
});
