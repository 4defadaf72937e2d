/**
 * Which objects of a cause chain are sealed, and the prototype each had before:
 * a sealed object keeps its credential-bearing fields behind accessors on a
 * prototype of its own, spliced in above its original one (see hide-secrets).
 */

const originalPrototypes = new WeakMap<object, object | null>();

/** Records that `target` is sealed and that `original` was its prototype. */
export function recordSealed(target: object, original: object | null): void {
  originalPrototypes.set(target, original);
}

/** True when `value` is sealed. */
export function isSealed(value: object): boolean {
  return originalPrototypes.has(value);
}

/** The prototype `value` had before it was sealed, or its prototype when it is not sealed. */
export function unsealedPrototypeOf(value: object): object | null {
  return originalPrototypes.has(value) ? (originalPrototypes.get(value) ?? null) : (Object.getPrototypeOf(value) as object | null);
}
