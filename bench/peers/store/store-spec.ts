/**
 * How a variant asks for the Redis fleet store: its obs options carry
 * `store: { redis: true, …RedisStoreOptions but prefix }`. The parent turns
 * that into a {@link StoreSpec} (the bench's Redis and a prefix of the run),
 * and the client process into an ioredis client and `createRedisStore`.
 */
import type { JsonObject } from '../ipc/protocol.js';

/** Where a client's store lives: the Redis URL and the key prefix its fleet shares. */
export interface StoreSpec {
  url: string;
  prefix: string;
}

/** True when obs `options` ask for the Redis fleet store. */
export function wantsRedisStore(options: JsonObject | undefined): boolean {
  const store = options?.store;
  return typeof store === 'object' && store !== null && !Array.isArray(store) && store.redis === true;
}

let prefixes = 0;

/** A key prefix no other run of this benchmark uses. */
export function freshStorePrefix(): string {
  prefixes += 1;
  return `bench-${String(process.pid)}-${String(prefixes)}`;
}

/** `options` without the key `name`. */
export function without<T extends object>(options: T, name: string): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => key !== name)) as Partial<T>;
}
