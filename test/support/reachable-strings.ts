/**
 * The strictest printed form of a value: every string reachable from it through
 * own properties (non-enumerable and symbol-keyed too, own getters read), the
 * bytes of typed arrays, and `cause` / `errors` even when inherited (loggers
 * follow them). A secret found here is reachable by some serialiser.
 */

/** How many objects the walk visits at most: a leaking value reaches sockets and agents. */
const MAX_OBJECTS = 20_000;

function childrenOf(current: object): unknown[] {
  const children: unknown[] = [];
  for (const key of Reflect.ownKeys(current)) {
    const descriptor = Object.getOwnPropertyDescriptor(current, key);
    if (descriptor === undefined) continue;
    try {
      children.push('value' in descriptor ? descriptor.value : descriptor.get?.call(current));
    } catch {
      // A getter that throws shows nothing.
    }
  }
  for (const key of ['cause', 'errors']) {
    try {
      children.push((current as Record<string, unknown>)[key]);
    } catch {
      // Nothing to follow.
    }
  }
  return children;
}

/** Every string reachable from `root` (see the module comment), in no particular order. */
export function reachableStrings(root: unknown): string[] {
  const strings: string[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [root];
  while (queue.length > 0 && seen.size < MAX_OBJECTS) {
    const current = queue.shift();
    if (typeof current === 'string') {
      strings.push(current);
      continue;
    }
    if ((typeof current !== 'object' || current === null) && typeof current !== 'function') continue;
    if (seen.has(current)) continue;
    seen.add(current);
    if (ArrayBuffer.isView(current)) {
      strings.push(Buffer.from(current.buffer, current.byteOffset, current.byteLength).toString('latin1'));
      continue;
    }
    queue.push(...childrenOf(current));
  }
  return strings;
}
