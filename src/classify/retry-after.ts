/**
 * `Retry-After` and `Date`, read strictly. `Retry-After` is either
 * delta-seconds (`^\d+$`) or an HTTP-date; an HTTP-date is one of the three
 * forms of RFC 9110 §5.6.7 (IMF-fixdate, the obsolete RFC 850 form, asctime),
 * checked against its grammar and the calendar before a date is built. Anything
 * else — negative numbers, fractions, free text that `Date.parse` would guess at —
 * is unreadable and ignored. A date is read against the response's own `Date`
 * header when present, so a skewed local clock does not turn "in 5 s" into
 * "in 5 min" or "already past".
 */

/**
 * Longest Retry-After we represent (a day); the policies cap it by `maxDelayMs`, for the call's wait and
 * the endpoint's pause alike. Below 2³¹−1 ms, the longest a timer can hold.
 */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const LONG_DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const DAY = `(${DAY_NAMES.join('|')})`;
const LONG_DAY = `(${LONG_DAY_NAMES.join('|')})`;
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** `Sun, 06 Nov 1994 08:49:37 GMT` (names, `GMT` and the single spaces are case- and byte-exact, as the grammar says). */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete: a two-digit year). */
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** `Sun Nov  6 08:49:37 1994` (ANSI C's asctime: the day is two digits, or a space and one digit). */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} (\\d{2}| \\d) ${TIME} (\\d{4})$`);

/** The fields of an HTTP-date, as written. */
interface DateFields {
  /** 0 = Sunday. */
  weekday: number;
  day: number;
  /** 0 = January. */
  month: number;
  year: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * A two-digit RFC 850 year: the year with those last two digits nearest below
 * `now + 50` (RFC 9110: a date that would be more than 50 years in the future
 * is the most recent past year with the same two digits).
 */
function fullYearOf(twoDigits: number, nowMs: number): number {
  const nowYear = new Date(nowMs).getUTCFullYear();
  const year = nowYear - (nowYear % 100) + twoDigits;
  return year > nowYear + 50 ? year - 100 : year;
}

/** The position of `name` in `names` (-1 when absent). */
function indexIn(names: readonly string[], name: string | undefined): number {
  return name === undefined ? -1 : names.indexOf(name);
}

/** The fields of `text` in one of the three forms, or `undefined` when it matches none. */
function dateFields(text: string, nowMs: number): DateFields | undefined {
  const imf = IMF_FIXDATE.exec(text);
  if (imf !== null) {
    const [, weekday, day, month, year, hour, minute, second] = imf;
    return { weekday: indexIn(DAY_NAMES, weekday), day: Number(day), month: indexIn(MONTHS, month), year: Number(year), hour: Number(hour), minute: Number(minute), second: Number(second) };
  }
  const rfc850 = RFC850_DATE.exec(text);
  if (rfc850 !== null) {
    const [, weekday, day, month, year, hour, minute, second] = rfc850;
    const fullYear = fullYearOf(Number(year), nowMs);
    return { weekday: indexIn(LONG_DAY_NAMES, weekday), day: Number(day), month: indexIn(MONTHS, month), year: fullYear, hour: Number(hour), minute: Number(minute), second: Number(second) };
  }
  const asctime = ASCTIME_DATE.exec(text);
  if (asctime !== null) {
    // Number(' 6') is 6: the padding space of a one-digit day needs no trimming.
    const [, weekday, month, day, hour, minute, second, year] = asctime;
    return { weekday: indexIn(DAY_NAMES, weekday), day: Number(day), month: indexIn(MONTHS, month), year: Number(year), hour: Number(hour), minute: Number(minute), second: Number(second) };
  }
  return undefined;
}

/**
 * Epoch ms of valid fields: the day exists in that month, the time is within
 * 00:00:00–23:59:60 (60: a leap second, read as the next second), and the day
 * name is that date's.
 */
function epochOf(date: DateFields): number | undefined {
  const { year, month, day, hour, minute, second } = date;
  if (hour > 23 || minute > 59 || second > 60 || day < 1) return undefined;
  const at = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  at.setUTCFullYear(year, month, day);
  if (at.getUTCMonth() !== month || at.getUTCDate() !== day) return undefined;
  if (at.getUTCDay() !== date.weekday) return undefined;
  return at.getTime() + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** Strips HTTP's optional whitespace (spaces and tabs only) around a field value. */
function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, RFC 850 or asctime) into
 * epoch ms; anything else is `undefined`.
 * @param value the header's value (a `Date` header, or an HTTP-date `Retry-After`)
 * @param nowMs the local clock, used only to place an RFC 850 date's two-digit year
 */
export function parseHttpDate(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const date = dateFields(trimOws(value), nowMs);
  return date === undefined ? undefined : epochOf(date);
}

/**
 * Parses a `Retry-After` value into a wait.
 * @param value the `Retry-After` header
 * @param serverDateMs the response's `Date` header in epoch ms, if any
 * @param nowMs the local clock, used when the response has no `Date`
 * @returns the wait in ms (0 to one day), or `undefined` when absent or not
 *   delta-seconds nor an HTTP-date
 */
export function parseRetryAfter(value: string | undefined, serverDateMs: number | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = trimOws(value);
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  const at = parseHttpDate(text, nowMs);
  if (at === undefined) return undefined;
  const reference = serverDateMs ?? nowMs;
  return Math.min(Math.max(0, at - reference), MAX_RETRY_AFTER_MS);
}
