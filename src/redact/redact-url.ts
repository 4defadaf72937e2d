/**
 * URL redaction for everything the package emits or prints: no userinfo, no
 * signature or token query values. Never throws.
 */

/** Query parameters whose values are credentials (compared case-insensitively). */
const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set([
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

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // Malformed escapes: compare the raw name.
      }
      return SECRET_QUERY_PARAMS.has(name.toLowerCase()) ? `${rawName}=${REDACTED}` : pair;
    })
    .join('&');
}

/**
 * Returns `url` with userinfo removed and secret query values replaced.
 * Relative URLs are handled too; anything unparseable has its query dropped.
 */
export function redactUrl(url: string | undefined): string {
  if (url === undefined || url === '') return '';
  let text = url;
  // userinfo: scheme://user:pw@host → scheme://host
  text = text.replace(/^([a-z][a-z0-9+.-]*:\/\/|\/\/)[^/?#@]*@/i, '$1');
  const hashAt = text.indexOf('#');
  if (hashAt >= 0) text = text.slice(0, hashAt);
  const queryAt = text.indexOf('?');
  if (queryAt < 0) return text;
  return `${text.slice(0, queryAt)}?${redactQuery(text.slice(queryAt + 1))}`;
}

/** Header names whose values never leave the package (compared case-insensitively). */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-obs-security-token',
  'x-amz-security-token',
]);
