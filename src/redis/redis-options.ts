/**
 * The options of the Redis fleet store, checked up front: a wrong name or
 * value fails at `createRedisStore` with a `TypeError` that names the option,
 * never later as an odd behaviour of the store.
 */
import { MAX_TIMER_DELAY_MS } from '../util/timer-limit.js';

/** How the Redis fleet store names its keys and how long it waits for Redis. */
export interface RedisStoreOptions {
  /**
   * Namespace of every key (all under the hash tag `{prefix}`, so each script's keys share one
   * Cluster slot) and of the news channel (`<prefix>:news`). Fleets that must not share state
   * use different prefixes. Must not contain `{` or `}`.
   * @default 'obs-axios-policies'
   */
  prefix?: string;
  /**
   * Every store operation rejects when Redis has not answered within this many ms (1 s at least while
   * the store's connection has not finished its first handshake). @default 100
   */
  timeoutMs?: number;
  /** While Redis is given up on, a PING this often checks whether it answers again, ms. @default 1000 */
  retryMs?: number;
}

/** The options with every default filled in. */
export type RedisStoreSettings = Readonly<Required<RedisStoreOptions>>;

/** The defaults of {@link RedisStoreOptions}. */
export const REDIS_STORE_DEFAULTS: RedisStoreSettings = Object.freeze({
  prefix: 'obs-axios-policies',
  timeoutMs: 100,
  retryMs: 1000,
});

/** The longest prefix accepted: keys stay short. */
const MAX_PREFIX_LENGTH = 256;

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return typeof value;
}

function fail(name: string, expected: string, value: unknown): never {
  throw new TypeError(`obs-axios-policies: redis store option "${name}" must be ${expected}; got ${shown(value)}.`);
}

function duration(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_DELAY_MS) {
    fail(name, `a duration in ms above 0 and at most ${String(MAX_TIMER_DELAY_MS)} (2³¹−1)`, value);
  }
  return value;
}

function prefix(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_PREFIX_LENGTH || /[{}]/.test(value)) {
    fail('prefix', `a non-empty string of at most ${String(MAX_PREFIX_LENGTH)} characters without "{" or "}"`, value);
  }
  return value;
}

/**
 * Checks `options` and fills in the defaults.
 * @throws TypeError naming the option when a name is unknown or a value is invalid
 */
export function resolveStoreOptions(options: unknown): RedisStoreSettings {
  if (options === undefined) return REDIS_STORE_DEFAULTS;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`obs-axios-policies: redis store options must be an object; got ${shown(options)}.`);
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(REDIS_STORE_DEFAULTS, key)) {
      throw new TypeError(`obs-axios-policies: unknown redis store option "${key}". Known options: ${Object.keys(REDIS_STORE_DEFAULTS).join(', ')}.`);
    }
  }
  return Object.freeze({
    prefix: given.prefix === undefined ? REDIS_STORE_DEFAULTS.prefix : prefix(given.prefix),
    timeoutMs: given.timeoutMs === undefined ? REDIS_STORE_DEFAULTS.timeoutMs : duration('timeoutMs', given.timeoutMs),
    retryMs: given.retryMs === undefined ? REDIS_STORE_DEFAULTS.retryMs : duration('retryMs', given.retryMs),
  });
}
