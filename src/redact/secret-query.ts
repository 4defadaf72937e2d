/**
 * Query parameters that carry credentials, and the redaction of their values
 * in a query string. Names are matched the way a server could read them:
 * percent-decoded, `+` as space, in any case.
 */
import { REDACTED } from './redacted.js';

/** Query parameters whose values are credentials (lower case; compare with `isSecretQueryName`). */
export const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-obs-security-token',
  'accesskeyid',
  'awsaccesskeyid',
  'x-obs-credential',
  'policy',
  'token',
]);

/**
 * Extra decoding rounds: a name encoded twice (`%2553ignature`) is still caught
 * in case a proxy decodes once more; the bound keeps hostile input cheap.
 */
const MAX_DECODE_ROUNDS = 3;

/** One form-urlencoded decoding of a name; malformed escapes stay as they are, never throws. */
function formDecode(name: string): string {
  // URLSearchParams is the WHATWG form decoder: lenient where decodeURIComponent throws.
  return [...new URLSearchParams(`${name}=`).keys()][0] ?? name;
}

function isListed(name: string): boolean {
  const trimmed = name.trim();
  // Upper-then-lower also folds look-alikes that case-insensitive servers equate (`ſ` → `s`).
  return SECRET_QUERY_PARAMS.has(trimmed.toLowerCase()) || SECRET_QUERY_PARAMS.has(trimmed.toUpperCase().toLowerCase());
}

/**
 * True when a raw (still encoded) query parameter name is a secret one, e.g.
 * `Signature`, `%53ignature`, `X-Amz-Signature`, `x-obs-security-token`.
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
