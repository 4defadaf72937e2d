/**
 * `obs-axios-policies/redis`: the fleet store on Redis, through the user's
 * ioredis client (an optional peer dependency: this entry imports no value
 * from it).
 */
export { createRedisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-options.js';
