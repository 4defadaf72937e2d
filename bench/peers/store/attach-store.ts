/**
 * The client side of a store variant: from obs options whose `store` is
 * `{ redis: true, … }`, an ioredis client on the bench's Redis and
 * `createRedisStore` (from the built `dist/redis.js`) with the run's prefix
 * and the variant's other store options, in place of that marker.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as RedisEntry from '../../../src/redis/index.js';
import { without, type StoreSpec } from './store-spec.js';

/** Obs options ready for `attachObsPolicies`, and what to release with the client. */
export interface StoreAttachment {
  options: Record<string, unknown>;
  /** Disconnects the ioredis client (after the handle is detached). */
  close(): void;
}

/**
 * Replaces the `store` marker of `options` with a Redis store on `spec`.
 * @param distEntry the built package's `dist/index.js`; `dist/redis.js` sits beside it
 */
export async function attachStore(distEntry: string, options: Record<string, unknown>, spec: StoreSpec | undefined): Promise<StoreAttachment> {
  const marker = options.store;
  if (marker === undefined) return { options, close: () => undefined };
  if (spec === undefined) throw new Error('a store variant needs the bench Redis (none was started)');
  const rest = without(options, 'store');
  const storeOptions = without(marker as Record<string, unknown>, 'redis');
  const { Redis } = await import('ioredis');
  const entry = pathToFileURL(path.join(path.dirname(distEntry), 'redis.js')).href;
  const { createRedisStore } = (await import(entry)) as typeof RedisEntry;
  // The user's client: its errors while Redis is down are expected, and it keeps reconnecting.
  const client = new Redis(spec.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => undefined);
  const store = createRedisStore(client, { ...storeOptions, prefix: spec.prefix });
  return {
    options: { ...rest, store },
    close: () => {
      client.disconnect();
    },
  };
}
