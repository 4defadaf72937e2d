/**
 * OBS's StringToSign (API reference, "Authentication of Signature in a
 * Header", obs_04_0010):
 *
 *     HTTP-Verb \n Content-MD5 \n Content-Type \n Date \n CanonicalizedHeaders CanonicalizedResource
 *
 * where CanonicalizedHeaders is every `x-obs-*` header, name lower-cased,
 * value trimmed, repeated names joined with `,`, sorted by name, one
 * `name:value\n` line each; and Date is empty when `x-obs-date` is sent.
 */

/**
 * The parts of a request that OBS signs.
 * @example
 * ```ts
 * const parts: ObsStringToSignParts = { method: 'GET', date: 'Sat, 12 Oct 2015 08:12:38 GMT', headers: [], resource: '/bucket/object.txt' };
 * ```
 */
export interface ObsStringToSignParts {
  /** The HTTP method (upper-cased here). */
  method: string;
  /** The `Content-MD5` header, or `''`. */
  contentMd5?: string | undefined;
  /** The `Content-Type` header, or `''`. */
  contentType?: string | undefined;
  /** The `Date` header (or a presigned URL's `Expires`); left out when the headers carry `x-obs-date`. */
  date?: string | undefined;
  /** The request's headers (any case): the `x-obs-*` ones are signed, the others ignored. */
  headers: Iterable<readonly [string, string | readonly string[]]>;
  /** The CanonicalizedResource (see `obsCanonicalResource`). */
  resource: string;
}

/** The signed OBS header prefix. */
const OBS_PREFIX = 'x-obs-';

/**
 * The `x-obs-*` headers of `headers` as OBS canonicalizes them: names
 * lower-cased, values trimmed, repeats joined with `,`, sorted by name.
 * @example
 * ```ts
 * obsCanonicalHeaders([['X-Obs-Meta-B', ' 2 '], ['x-obs-acl', 'private'], ['Content-Type', 'text/plain']]);
 * // [['x-obs-acl', 'private'], ['x-obs-meta-b', '2']]
 * ```
 */
export function obsCanonicalHeaders(headers: Iterable<readonly [string, string | readonly string[]]>): [string, string][] {
  const merged = new Map<string, string[]>();
  for (const [rawName, rawValue] of headers) {
    const name = rawName.trim().toLowerCase();
    if (!name.startsWith(OBS_PREFIX)) continue;
    const values = typeof rawValue === 'string' ? [rawValue] : rawValue;
    const list = merged.get(name) ?? [];
    list.push(...values.map((value) => value.trim()));
    merged.set(name, list);
  }
  return [...merged.keys()].sort().map((name) => [name, (merged.get(name) ?? []).join(',')]);
}

/**
 * OBS's StringToSign for a request signed in its `Authorization` header (or,
 * with `Expires` as `date`, in its URL).
 * @example
 * ```ts
 * obsStringToSign({
 *   method: 'PUT',
 *   contentType: 'text/plain',
 *   date: 'Mon, 14 Oct 2015 12:08:34 GMT',
 *   headers: [['x-obs-acl', 'public-read']],
 *   resource: '/bucket/object.txt',
 * });
 * // "PUT\n\ntext/plain\nMon, 14 Oct 2015 12:08:34 GMT\nx-obs-acl:public-read\n/bucket/object.txt"
 * ```
 */
export function obsStringToSign(parts: ObsStringToSignParts): string {
  const canonical = obsCanonicalHeaders(parts.headers);
  const hasObsDate = canonical.some(([name]) => name === 'x-obs-date');
  const lines = [parts.method.toUpperCase(), parts.contentMd5 ?? '', parts.contentType ?? '', hasObsDate ? '' : (parts.date ?? '')];
  const headerLines = canonical.map(([name, value]) => `${name}:${value}\n`).join('');
  return `${lines.join('\n')}\n${headerLines}${parts.resource}`;
}
