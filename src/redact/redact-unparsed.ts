/**
 * The last resort for text the WHATWG URL parser rejects (`https://ho st/k`,
 * a bad port, a broken IPv6 literal). Nothing here is trusted to be a URL, so
 * the rules only remove: userinfo, fragment, and the whole query.
 */
import { REDACTED } from './redacted.js';

/** An optional scheme and the slashes after it; `\` counts, as the URL parser reads it for http(s). */
const PREFIX = /^([a-z][a-z\d+.-]*:)?([/\\]*)/i;
/** C0 controls and DEL: they split log lines and carry nothing worth printing. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f]/g;

/** Index of the first of `chars` in `text`, or `text.length`. */
function firstOf(text: string, chars: string): number {
  for (let index = 0; index < text.length; index++) {
    if (chars.includes(text.charAt(index))) return index;
  }
  return text.length;
}

/**
 * Redacts text that is not a parseable URL. Userinfo is cut up to the last `@`
 * before the first `/`, `?` or `#` (so a raw `@` in the password is cut with
 * it), the fragment is dropped, and a non-empty query becomes `?[REDACTED]`:
 * when the parser gave up there is no telling what a server would read as
 * parameter names. Never throws.
 */
export function redactUnparsed(input: string): string {
  const text = input.replace(CONTROLS, '');
  const prefix = PREFIX.exec(text);
  let scheme = prefix?.[1] ?? '';
  const slashes = prefix?.[2] ?? '';
  let rest = text.slice(scheme.length + slashes.length);
  const at = rest.slice(0, firstOf(rest, '/?#')).lastIndexOf('@');
  if (at >= 0) {
    rest = rest.slice(at + 1);
    // Without slashes the "scheme" may be the user name itself (`AK:SK@host/k`).
    if (slashes === '') scheme = '';
  }
  rest = rest.slice(0, firstOf(rest, '#'));
  const queryAt = rest.indexOf('?');
  if (queryAt >= 0) rest = `${rest.slice(0, queryAt)}${queryAt < rest.length - 1 ? `?${REDACTED}` : ''}`;
  return `${scheme}${slashes}${rest}`;
}
