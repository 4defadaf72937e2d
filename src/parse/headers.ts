/**
 * Case-insensitive header reads over the shapes axios and Node hand us:
 * `AxiosHeaders`, plain objects, `IncomingHttpHeaders` (arrays for repeats).
 */

/** Anything header-like: `AxiosHeaders`, a plain object, or nothing. */
export type HeaderSource = unknown;

interface GetHeaders {
  get(name: string): unknown;
}

function hasGet(value: object): value is GetHeaders {
  return typeof (value as Partial<GetHeaders>).get === 'function';
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return firstString(value[0]);
  return undefined;
}

/**
 * Reads one header value, case-insensitively; never throws.
 * @returns the first value as a string, or `undefined` when absent or unreadable.
 */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  try {
    if (hasGet(headers)) {
      const viaGet = firstString(headers.get(name));
      if (viaGet !== undefined) return viaGet;
    }
    const record = headers as Record<string, unknown>;
    const direct = firstString(Object.hasOwn(record, name) ? record[name] : undefined);
    if (direct !== undefined) return direct;
    const wanted = name.toLowerCase();
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === wanted) return firstString(record[key]);
    }
  } catch {
    // A hostile getter or proxy: treat as absent.
  }
  return undefined;
}

/** Reads the first present header among `names` (e.g. the `x-obs-*` name, then its `x-amz-*` twin). */
export function readFirstHeader(headers: HeaderSource, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = readHeader(headers, name);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
