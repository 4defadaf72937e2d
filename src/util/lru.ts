/**
 * A small LRU map: the bound on every per-handle cache (breakers, 301
 * rewrites), so thousands of bucket hosts cannot grow memory without limit.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  /** The most recently used key: a hit on it needs no reordering (the common case: one endpoint). */
  private newest: K | undefined;

  /**
   * @param capacity entries kept at most
   * @param onEvict called with each entry dropped for room (e.g. to shut a breaker down)
   */
  constructor(
    private readonly capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  /** Number of entries. */
  get size(): number {
    return this.map.size;
  }

  /** Reads and marks as recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined && key !== this.newest) {
      this.map.delete(key);
      this.map.set(key, value);
      this.newest = key;
    }
    return value;
  }

  /** Reads without touching recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Inserts or replaces, evicting the least recently used entry beyond capacity. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    this.newest = key;
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done === true) break;
      const evicted = this.map.get(oldest.value);
      this.map.delete(oldest.value);
      if (evicted !== undefined) this.onEvict?.(oldest.value, evicted);
    }
  }

  /** All values, least recently used first. */
  values(): IterableIterator<V> {
    return this.map.values();
  }

  /** Empties the map without calling `onEvict`. */
  clear(): void {
    this.map.clear();
    this.newest = undefined;
  }
}
