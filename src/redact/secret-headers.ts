/**
 * Request and response headers whose values are credentials. Snapshots and
 * logs print `[REDACTED]` in their place.
 */

/** Header names whose values never leave the package (lower case; compare with `isSecretHeader`). */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-obs-security-token',
  'x-amz-security-token',
  // Huawei Cloud IAM token, sent by callers that use token rather than AK/SK auth.
  'x-auth-token',
  // SSE-C: the raw AES-256 key itself travels in these headers (the -MD5 ones are only digests).
  'x-obs-server-side-encryption-customer-key',
  'x-amz-server-side-encryption-customer-key',
  'x-obs-copy-source-server-side-encryption-customer-key',
  'x-amz-copy-source-server-side-encryption-customer-key',
]);

/**
 * A header whose name contains one of these (any case) is a credential too:
 * `X-Subject-Token`, `x-api-secret`, `Proxy-Authorization`, `Set-Cookie2`, …
 */
const SECRET_HEADER_NAME_PARTS: readonly string[] = ['authorization', 'cookie', 'token', 'secret', 'password', 'credential', 'signature'];

/** True when the value of header `name` is a credential; case- and surrounding-space-insensitive. */
export function isSecretHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return SECRET_HEADERS.has(lower) || SECRET_HEADER_NAME_PARTS.some((part) => lower.includes(part));
}
