/**
 * Keeps credentials out of every printed form of an error chain. axios errors
 * carry the signed request config (`Authorization`, security token, presigned
 * URL), the live request (its raw header block) and the response as fields.
 *
 * Each object of the chain is sealed in place: every own field that holds an
 * object (`config`, `request`, `response`, sockets, …) moves behind an accessor
 * on a prototype of its own, spliced in above the original one. The fields stay
 * readable and writable (`err.cause.config` is still the real config, and
 * `instanceof` still holds), but no walk of own properties reaches them, hidden
 * ones included. That prototype also gives the object a custom `util.inspect`
 * (its print copy) and a redacted `toJSON`. Own text (message, stack) has its
 * credentials redacted. An object that cannot be sealed (frozen, a proxy) is
 * replaced in the chain by its print copy.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { INSPECT_CUSTOM } from './inspect-custom.js';
import { isPrintCopy, LIVE_FIELDS, printableText, printCopy } from './print-copy.js';
import { redactConfigSnapshot } from './redact-config.js';
import { redactText } from './redact-text.js';
import { isSealed, recordSealed } from './sealed-registry.js';

/** Cause chains are short; the bound only guards against hostile depth. */
const MAX_DEPTH = 8;
/** Own fields replaced by the sealing prototype's own versions. */
const REPLACED: ReadonlySet<PropertyKey> = new Set(['toJSON', INSPECT_CUSTOM]);

function hide(target: object, key: PropertyKey, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

/** The custom `util.inspect` of a sealed object: its print copy (which Node then prints as it is). */
function inspectSealed(this: object): object {
  return isPrintCopy(this) ? this : printCopy(this);
}

/** The redacted JSON of a sealed error (axios's own `toJSON` serialises the config). */
function jsonOfSealed(this: Record<string, unknown>): Record<string, unknown> {
  const text = (value: unknown): unknown => (typeof value === 'string' ? printableText(value) : value);
  return {
    name: text(this.name),
    message: text(this.message),
    code: text(this.code),
    status: this.status,
    config: redactConfigSnapshot(this.config as InternalAxiosRequestConfig | undefined),
  };
}

/**
 * The prototype that keeps the moved fields of `target` behind accessors that
 * answer for `target` only, above `original`: `values` holds moved data fields,
 * `accessors` the own accessors `target` had.
 */
function sealingPrototype(target: object, original: object | null, values: Map<PropertyKey, unknown>, accessors: Map<PropertyKey, PropertyDescriptor>): object {
  const prototype = Object.create(original) as object;
  for (const key of values.keys()) {
    Object.defineProperty(prototype, key, {
      get(this: unknown): unknown {
        return this === target ? values.get(key) : undefined;
      },
      set(this: object, value: unknown): void {
        if (this === target) values.set(key, value);
        else hide(this, key, value, true);
      },
      enumerable: false,
      configurable: true,
    });
  }
  for (const [key, descriptor] of accessors) {
    Object.defineProperty(prototype, key, {
      get(this: unknown): unknown {
        return this === target ? descriptor.get?.call(target) : undefined;
      },
      set(this: unknown, value: unknown): void {
        if (this === target) descriptor.set?.call(target, value);
      },
      enumerable: false,
      configurable: true,
    });
  }
  hide(prototype, INSPECT_CUSTOM, inspectSealed, false);
  hide(prototype, 'toJSON', jsonOfSealed, false);
  return prototype;
}

/** True when every own field that must move or change can be (configurable, or a value that needs no change). */
function canSeal(target: object): boolean {
  if (!Object.isExtensible(target)) return false;
  for (const key of Reflect.ownKeys(target)) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor === undefined || descriptor.configurable === true) continue;
    const value: unknown = descriptor.value;
    if (!('value' in descriptor) || (value !== null && typeof value === 'object') || typeof value === 'function') return false;
    if (typeof value === 'string' && redactText(value) !== value) return false;
  }
  return true;
}

/** Seals `target` in place (see the module comment); false when it cannot be. */
function seal(target: object, seen: Set<object>, depth: number): boolean {
  if (isSealed(target)) return true;
  if (!canSeal(target)) return false;
  const values = new Map<PropertyKey, unknown>(LIVE_FIELDS.map((key) => [key, undefined]));
  const accessors = new Map<PropertyKey, PropertyDescriptor>();
  const original = Object.getPrototypeOf(target) as object | null;
  for (const key of Reflect.ownKeys(target)) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor === undefined) continue;
    const value: unknown = descriptor.value;
    if (REPLACED.has(key)) {
      Reflect.deleteProperty(target, key);
    } else if (key === 'cause') {
      const safe = safeLink(value, seen, depth + 1);
      if (safe !== value) hide(target, key, safe, descriptor.enumerable === true);
    } else if (key === 'errors' && Array.isArray(value)) {
      const safe = safeList(value, seen, depth + 1);
      if (safe !== value) hide(target, key, safe, descriptor.enumerable === true);
    } else if (!('value' in descriptor)) {
      // V8 may define `stack` as an own accessor: pin its redacted text when it quotes a credential.
      if (key === 'stack') {
        const stack: unknown = (target as { stack?: unknown }).stack;
        if (typeof stack === 'string' && redactText(stack) !== stack) hide(target, key, redactText(stack), false);
      } else {
        accessors.set(key, descriptor);
        Reflect.deleteProperty(target, key);
      }
    } else if (typeof value === 'string') {
      const redacted = redactText(value);
      if (redacted !== value) hide(target, key, redacted, descriptor.enumerable === true);
    } else if ((value !== null && typeof value === 'object') || typeof value === 'function') {
      values.set(key, value);
      Reflect.deleteProperty(target, key);
    }
  }
  Object.setPrototypeOf(target, sealingPrototype(target, original, values, accessors));
  recordSealed(target, original);
  return true;
}

function safeList(list: unknown[], seen: Set<object>, depth: number): unknown[] {
  const safe = list.map((item: unknown) => safeLink(item, seen, depth));
  return safe.every((item, index) => item === list[index]) ? list : safe;
}

/** A link of a cause chain made safe to print: the object itself, sealed, or its print copy. */
function safeLink(value: unknown, seen: Set<object>, depth: number): unknown {
  if (typeof value === 'string') return printableText(value);
  if (value === null || typeof value !== 'object' || isPrintCopy(value)) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (depth >= MAX_DEPTH) return printCopy(value);
  try {
    return seal(value, seen, depth) ? value : printCopy(value);
  } catch {
    return printCopy(value);
  }
}

/**
 * Makes `cause` and every error down its chain safe to print (see the module
 * comment) and returns what to expose as the `cause`: the same object when it
 * could be sealed (always, for axios's and Node's errors), else a print copy.
 * Never throws.
 */
export function hideSecretsInChain(cause: unknown): unknown {
  return safeLink(cause, new Set(), 0);
}
