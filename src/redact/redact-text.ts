/**
 * Redaction of free text that may quote a request: error messages and stacks
 * of the errors underneath an ObsError (axios, Node, undici), which nothing
 * here writes. URLs lose userinfo, fragment and secret query values,
 * `name=value` pairs with a secret name lose the value, and header-like
 * `Name: value` with a secret name lose the rest of the line.
 */
import { REDACTED } from './redacted.js';
import { redactUrl } from './redact-url.js';
import { isSecretHeader } from './secret-headers.js';
import { isSecretQueryName } from './secret-query.js';

/** An absolute URL up to white space or a quote. */
const URL_IN_TEXT = /\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>`]+/gi;
/** `name=value` after a start, white space, `?`, `&`, `;` or `,`; the value runs to the next separator. */
const PAIR = /(^|[\s?&;,])([^\s=?&;,#"'<>]+)=([^\s&;,#"'<>]*)/g;
/** `Name:` or `Name=` (or `"name":`), the header-line and JSON forms; the value follows to the end of the line or the quote. */
const HEADER_NAME = /(?<![\w-])(["']?)([A-Za-z][\w-]*)\1[ \t]*[:=][ \t]*/g;

function redactUrlInText(url: string): string {
  // Only URLs that can hold a secret are rewritten: stack frames (`file:///…:10:5`) stay as written.
  return /[@?#]/.test(url) ? redactUrl(url) : url;
}

function redactPair(match: string, before: string, name: string, value: string): string {
  return value !== '' && value !== REDACTED && isSecretQueryName(name) ? `${before}${name}=${REDACTED}` : match;
}

/** Where the value that starts at `start` ends: its closing quote when quoted, else the end of the line. */
function valueEnd(text: string, start: number): number {
  const quote = text.charAt(start);
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, start + 1);
    const line = text.slice(start + 1, close < 0 ? undefined : close);
    if (close >= 0 && !/[\r\n]/.test(line)) return close + 1;
  }
  const newline = text.slice(start).search(/[\r\n]/);
  return newline < 0 ? text.length : start + newline;
}

function redactHeadersIn(text: string): string {
  let out = '';
  let copied = 0;
  for (const match of text.matchAll(HEADER_NAME)) {
    const start = match.index + match[0].length;
    if (match.index < copied || !isSecretHeader(match[2] ?? '')) continue;
    const end = valueEnd(text, start);
    const value = text.slice(start, end);
    if (value.trim() === '' || value.includes(REDACTED)) continue;
    const quote = /^["']/.test(value) ? value.charAt(0) : '';
    out += `${text.slice(copied, start)}${quote}${REDACTED}${quote}`;
    copied = end;
  }
  return copied === 0 ? text : `${out}${text.slice(copied)}`;
}

/**
 * Returns `text` with every credential it quotes replaced by `[REDACTED]`:
 * userinfo and secret query values of URLs (through `redactUrl`), secret
 * `name=value` pairs (`Signature=…`, `X-Amz-Credential=…`) and secret
 * header-like pairs (`Authorization: …`, `"x-obs-security-token":"…"`).
 * Never throws.
 */
export function redactText(text: string): string {
  try {
    const withoutPairs = text.replace(URL_IN_TEXT, redactUrlInText).replace(PAIR, redactPair);
    return redactHeadersIn(withoutPairs);
  } catch {
    return REDACTED;
  }
}
