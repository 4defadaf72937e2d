/**
 * The headers of a request as a signer signs them: one text value per name.
 * A header given as a list is rewritten to the one comma-joined value that is
 * signed, so the wire carries exactly that value (a server would otherwise
 * join the repeated lines with `, ` and see a different string).
 */
import type { AxiosHeaders } from 'axios';

/**
 * The text of every header axios will send (`undefined`, `null` and `false`
 * are not sent; neither is anything else that is not text, a number or a list), as `[name, value]` with the name as given. Lists become one
 * value, items trimmed and joined with `,`, written back into `headers`.
 * @example
 * ```ts
 * const headers = new AxiosHeaders({ 'x-obs-meta-tags': ['a', ' b'], 'Content-Type': 'text/plain' });
 * headerEntries(headers); // [['x-obs-meta-tags', 'a,b'], ['Content-Type', 'text/plain']]
 * ```
 */
export function headerEntries(headers: AxiosHeaders): [string, string][] {
  const entries: [string, string][] = [];
  for (const [name, raw] of headers) {
    // Typed loosely on purpose: interceptors put all sorts of values into headers.
    const value: unknown = raw;
    if (typeof value === 'string' || typeof value === 'number' || value === true) {
      entries.push([name, String(value)]);
    } else if (Array.isArray(value)) {
      const joined = value.map((item: unknown) => (typeof item === 'string' ? item : String(item)).trim()).join(',');
      headers.set(name, joined);
      entries.push([name, joined]);
    }
  }
  return entries;
}

/**
 * The trimmed text of one header (any case), or `''` when it is not sent.
 * @example
 * ```ts
 * headerText(new AxiosHeaders({ 'content-md5': ' I5pU0r4+sgO9Emgl1KMQUg== ' }), 'Content-MD5'); // "I5pU0r4+sgO9Emgl1KMQUg=="
 * ```
 */
export function headerText(headers: AxiosHeaders, name: string): string {
  const value: unknown = headers.get(name);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || value === true) return String(value);
  return '';
}
