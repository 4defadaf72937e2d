/**
 * Print copies: what `util.inspect` (and so `console.log`, `%o`, `%O`) shows
 * instead of an ObsError or an error of its cause chain. A copy is a fresh
 * error named like the original's class, holding only printable data: the original's own
 * fields with credentials redacted and control characters escaped, redacted
 * snapshots in place of the live `config`, `request` and `response`, and
 * copies down the `cause` chain. Being plain data, a copy prints the same
 * whatever the inspect options (`showHidden`, `getters`, any depth).
 */
import { escapeControls } from './escape-controls.js';
import { REDACTED } from './redacted.js';
import { redactText } from './redact-text.js';
import { isSecretHeader } from './secret-headers.js';
import { isSecretQueryName } from './secret-query.js';
import { redactConfigSnapshot } from './redact-config.js';
import { redactRequest, redactResponse } from './redact-exchange.js';
import { unsealedPrototypeOf } from './sealed-registry.js';
import type { InternalAxiosRequestConfig } from 'axios';

/** The fields of axios errors that hold the live request, response and signed config. */
export const LIVE_FIELDS = ['config', 'request', 'response'] as const;

/** Cause chains are short; the bound only guards against hostile depth. */
const MAX_CHAIN_DEPTH = 8;
/** Nesting kept of other object fields (undici's socket details and the like). */
const MAX_VALUE_DEPTH = 3;

const copies = new WeakSet();
/** Placeholder for a field left out of a copy. */
const SKIP = Symbol('skip');

/** True when `value` is a print copy (its own custom inspect then lets Node print it as it is). */
export function isPrintCopy(value: unknown): boolean {
  return value !== null && typeof value === 'object' && copies.has(value);
}

/** Text from an error, safe to print: credentials redacted, control characters other than line feeds escaped. */
export function printableText(text: string): string {
  return escapeControls(redactText(text), true);
}

function read(source: object, key: PropertyKey): unknown {
  try {
    return (source as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

function isErrorLike(value: object): boolean {
  return value instanceof Error || typeof read(value, 'stack') === 'string';
}

function typeName(value: object): string {
  const constructor = read(value, 'constructor');
  const name = typeof constructor === 'function' ? (constructor as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null || Array.isArray(value);
}

function isSecretName(name: string): boolean {
  return isSecretHeader(name) || isSecretQueryName(name);
}

/** A plain-data copy of a non-error field: secret names redacted, text made printable, class instances named only. */
function plainCopy(value: unknown, depth: number, seen: Map<object, object>): unknown {
  if (typeof value === 'string') return printableText(value);
  if (typeof value === 'function') return SKIP;
  if (value === null || typeof value !== 'object') return value;
  if (isErrorLike(value)) return printCopy(value, seen, depth);
  if (value instanceof Date) return value;
  if (!isPlain(value)) return `[${typeName(value)}]`;
  if (depth >= MAX_VALUE_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (Array.isArray(value)) return value.map((item: unknown) => plainCopy(item, depth + 1, seen)).filter((item) => item !== SKIP);
  const copy: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const printable = isSecretName(name) ? REDACTED : plainCopy(item, depth + 1, seen);
    if (printable !== SKIP) Object.defineProperty(copy, name, { value: printable, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** The printable form of the live field `key` of an axios error. */
function liveSnapshot(key: (typeof LIVE_FIELDS)[number], value: unknown): unknown {
  if (key === 'config') return value !== null && typeof value === 'object' ? redactConfigSnapshot(value as InternalAxiosRequestConfig) : undefined;
  if (key === 'request') return redactRequest(value);
  return redactResponse(value);
}

function isLiveField(key: PropertyKey): key is (typeof LIVE_FIELDS)[number] {
  return (LIVE_FIELDS as readonly PropertyKey[]).includes(key);
}

const printPrototypes = new WeakMap<object, object>();

/**
 * The prototype of the copies of errors whose prototype is `original`: an
 * `Error` prototype whose constructor bears the original class's name, so Node
 * prints `ObsError: …` / `AxiosError: …`, and which inherits nothing else of the
 * class: no accessor of the live fields, no custom inspect.
 */
function printPrototypeFor(original: object | null): object {
  const key = original ?? Error.prototype;
  const cached = printPrototypes.get(key);
  if (cached !== undefined) return cached;
  const name = original === null ? 'Error' : typeName(original);
  // Only its name and prototype matter: Node reads them to title the printed error.
  const constructor = function printedError(): void {
    /* never called */
  };
  Object.defineProperty(constructor, 'name', { value: name });
  const prototype = Object.create(Error.prototype, { constructor: { value: constructor, writable: true, configurable: true } }) as object;
  constructor.prototype = prototype;
  printPrototypes.set(key, prototype);
  return prototype;
}

/** An error named like `original`'s class, with no own field yet (not even a stack). */
function emptyErrorLike(original: object): Error {
  const shell = new Error();
  Reflect.deleteProperty(shell, 'stack');
  Object.setPrototypeOf(shell, printPrototypeFor(unsealedPrototypeOf(original)));
  return shell;
}

function own(target: object, key: PropertyKey, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

/** The printable form of one own field of an error (`SKIP` for functions). */
function fieldCopy(key: PropertyKey, value: unknown, seen: Map<object, object>, depth: number): unknown {
  if (key === 'cause') return chainCopy(value, seen, depth + 1);
  if (key === 'errors' && Array.isArray(value)) return value.map((item: unknown) => chainCopy(item, seen, depth + 1));
  return plainCopy(value, 0, seen);
}

/** The printable form of a link of a cause chain: errors become print copies, other values plain copies. */
function chainCopy(value: unknown, seen: Map<object, object>, depth: number): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? `[Function]` : plainCopy(value, 0, seen);
  if (!isErrorLike(value)) return plainCopy(value, 0, seen);
  return printCopy(value, seen, depth);
}

/**
 * Returns the print copy of an error: the same class, its own fields (in their
 * order, enumerable or not as they are) with credentials redacted and control
 * characters escaped, functions left out; the live `config`, `request` and
 * `response`, own or behind accessors, as non-enumerable redacted snapshots;
 * and `cause` (own or inherited) as a print copy too. Never throws.
 */
export function printCopy(error: object, seen = new Map<object, object>(), depth = 0): object {
  const existing = seen.get(error);
  if (existing !== undefined) return existing;
  if (copies.has(error)) return error;
  try {
    const copy = emptyErrorLike(error);
    copies.add(copy);
    seen.set(error, copy);
    if (depth >= MAX_CHAIN_DEPTH) {
      own(copy, 'message', '[cause chain cut here]', false);
      return copy;
    }
    for (const key of Reflect.ownKeys(error)) {
      if (isLiveField(key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(error, key);
      if (descriptor === undefined) continue;
      // An own getter is only read for `stack` (V8 may define it so); others could compute anything.
      const value: unknown = 'value' in descriptor ? descriptor.value : key === 'stack' ? read(error, key) : SKIP;
      const printable = value === SKIP ? SKIP : fieldCopy(key, value, seen, depth);
      if (printable !== SKIP) own(copy, key, printable, descriptor.enumerable === true);
    }
    for (const key of LIVE_FIELDS) {
      const live = read(error, key);
      if (live !== undefined) own(copy, key, liveSnapshot(key, live), false);
    }
    if (!Object.hasOwn(copy, 'cause')) {
      const cause = read(error, 'cause');
      if (cause !== undefined) own(copy, 'cause', chainCopy(cause, seen, depth + 1), false);
    }
    return copy;
  } catch {
    const fallback = new Error(REDACTED);
    copies.add(fallback);
    return fallback;
  }
}
