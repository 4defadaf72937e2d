/**
 * Query parameters that carry credentials, and the redaction of their values
 * in a query string. A name is secret when, read the way a server could read
 * it (percent-decoded, `+` as space, any case), it contains one of
 * {@link SECRET_QUERY_NAME_PARTS}, or is `policy` (the signed policy of a presigned POST or CDN URL).
 */
import { REDACTED } from './redacted.js';

/**
 * A query parameter whose name contains one of these (decoded, any case, with
 * separators such as `-`, `_` and `.` ignored) is a credential: `Signature`,
 * `X-Obs-Signature`, `X-Amz-Credential`, `x-obs-security-token`, `sessionToken`,
 * `AccessKeyId`, `AWSAccessKeyId`, `client_secret`, `password`, …
 */
export const SECRET_QUERY_NAME_PARTS: readonly string[] = ['signature', 'credential', 'token', 'secret', 'password', 'accesskey'];

/** Whole names (lower case) that are credentials without matching a part: the signed `Policy` of a presigned POST or CDN URL. */
const SECRET_QUERY_NAMES: ReadonlySet<string> = new Set(['policy']);

/**
 * Extra decoding rounds: a name encoded twice (`%2553ignature`) is still caught
 * in case a proxy decodes once more; the bound keeps hostile input cheap.
 */
const MAX_DECODE_ROUNDS = 3;

/** Everything but letters and digits: `x-amz-credential`, `access_key` and `Access.Key` read alike. */
const SEPARATORS = /[^a-z\d]/g;

/** One form-urlencoded decoding of a name; malformed escapes stay as they are, never throws. */
function formDecode(name: string): string {
  // URLSearchParams is the WHATWG form decoder: lenient where decodeURIComponent throws.
  return [...new URLSearchParams(`${name}=`).keys()][0] ?? name;
}

function matches(lower: string): boolean {
  const trimmed = lower.trim();
  if (SECRET_QUERY_NAMES.has(trimmed)) return true;
  const compact = trimmed.replace(SEPARATORS, '');
  return SECRET_QUERY_NAME_PARTS.some((part) => compact.includes(part));
}

function isListed(name: string): boolean {
  // Upper-then-lower also folds look-alikes that case-insensitive servers equate (`ſ` → `s`, `K` → `k`).
  return matches(name.toLowerCase()) || matches(name.toUpperCase().toLowerCase());
}

/**
 * True when a raw (still encoded) query parameter name is a secret one, e.g.
 * `Signature`, `%53ignature`, `X%2DObs%2DSignature`, `x-obs-security-token`,
 * `sessionToken`, `AWSAccessKeyId`, `password`.
 */
export function isSecretQueryName(rawName: string): boolean {
  let name = rawName;
  for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
    if (isListed(name)) return true;
    const decoded = formDecode(name);
    if (decoded === name) return false;
    name = decoded;
  }
  return isListed(name);
}

function redactPair(pair: string): string {
  const eq = pair.indexOf('=');
  // A bare name (`?policy`, `?acl`: OBS sub-resources) or an empty value has nothing to hide,
  // and "the signature was empty" is worth seeing in a log.
  if (eq < 0 || eq === pair.length - 1) return pair;
  const name = pair.slice(0, eq);
  return isSecretQueryName(name) ? `${name}=${REDACTED}` : pair;
}

/**
 * Replaces the value of every secret parameter of `query` (the text after `?`,
 * without it) with `[REDACTED]`; everything else is kept byte for byte.
 * Repeated parameters are each redacted. `;` counts as a separator too, as it
 * does for some servers and proxies (HTML 4 form decoding).
 */
export function redactQuery(query: string): string {
  return query
    .split(/([&;])/)
    .map((part, index) => (index % 2 === 1 ? part : redactPair(part)))
    .join('');
}
