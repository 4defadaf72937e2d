/**
 * Log-safe copies of name → value records (request headers, query params):
 * every value becomes a string, and the value of every secret name, at any
 * depth, becomes `[REDACTED]`.
 */
import { REDACTED } from './redacted.js';

/** Nesting bound: configs are shallow; this only guards against hostile or cyclic input. */
const MAX_DEPTH = 4;

function entriesOf(source: unknown): [string, unknown][] {
  if (source === null || typeof source !== 'object') return [];
  if (source instanceof URLSearchParams) return [...source.entries()];
  if (source instanceof Map) return [...(source as Map<unknown, unknown>).entries()].map(([name, value]) => [String(name), value]);
  return Object.entries(source);
}

/** defineProperty: a `__proto__` name stays plain data instead of swapping the prototype. */
function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `value` with the values of secret names replaced, for JSON.stringify. */
function redactDeep(value: unknown, isSecret: (name: string) => boolean, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, isSecret, depth + 1));
  if (value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [name, item] of entriesOf(value)) setOwn(copy, name, isSecret(name) ? REDACTED : redactDeep(item, isSecret, depth + 1));
  return copy;
}

function asString(value: unknown, isSecret: (name: string) => boolean): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    // Objects (axios header groups such as `common`, nested params) are printed
    // as JSON, with their own secret names redacted.
    // JSON.stringify returns undefined for functions and symbols, whatever its types say.
    const json: unknown = JSON.stringify(redactDeep(value, isSecret, 1));
    return typeof json === 'string' ? json : '';
  } catch {
    return REDACTED;
  }
}

/**
 * Returns the entries of `source` (a plain object, `URLSearchParams` or `Map`)
 * as strings, with the value of every name `isSecret` accepts replaced by
 * `[REDACTED]`. `undefined` and `null` values are left out, as axios leaves
 * them out of the request. Never throws on odd values.
 */
export function redactRecord(source: unknown, isSecret: (name: string) => boolean): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of entriesOf(source)) {
    if (value === undefined || value === null) continue;
    setOwn(result, name, isSecret(name) ? REDACTED : asString(value, isSecret));
  }
  return result;
}
