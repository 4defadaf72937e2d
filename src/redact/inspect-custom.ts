/**
 * Node's `util.inspect.custom` symbol, taken from the global symbol registry so
 * the main entry imports nothing from `node:` and still bundles for browsers.
 */

/** The key of a custom `util.inspect` method (also read by `console.log`, `%o`, `%O`). */
export const INSPECT_CUSTOM: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;
