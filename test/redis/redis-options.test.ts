/**
 * The options of createRedisStore are checked up front, each wrong value a
 * TypeError naming the option; the defaults fill what is left out. No Redis
 * is touched: the client is never connected (`lazyConnect`).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createRedisStore } from '../../src/redis/index.js';
import { REDIS_STORE_DEFAULTS, resolveStoreOptions } from '../../src/redis/redis-options.js';

const client = new Redis({ lazyConnect: true });

afterAll(() => {
  client.disconnect();
});

describe('createRedisStore options', () => {
  it('fills in the defaults', () => {
    expect(resolveStoreOptions(undefined)).toEqual({ prefix: 'obs-axios-policies', timeoutMs: 100, retryMs: 1000 });
    expect(resolveStoreOptions({ timeoutMs: 50 })).toEqual({ ...REDIS_STORE_DEFAULTS, timeoutMs: 50 });
  });

  it.each([
    [{ timeoutMs: -1 }, /"timeoutMs"/],
    [{ timeoutMs: 0 }, /"timeoutMs"/],
    [{ timeoutMs: Number.NaN }, /"timeoutMs"/],
    [{ timeoutMs: 2 ** 31 }, /"timeoutMs"/],
    [{ retryMs: Infinity }, /"retryMs"/],
    [{ retryMs: '5' }, /"retryMs"/],
    [{ prefix: 42 }, /"prefix"/],
    [{ prefix: '' }, /"prefix"/],
    [{ prefix: 'a{b}' }, /"prefix"/],
    [{ prefix: 'p'.repeat(300) }, /"prefix"/],
    [{ timeout: 5 }, /unknown redis store option "timeout"/],
    [null, /must be an object/],
    ['fast', /must be an object/],
  ])('refuses %j', (options, message) => {
    expect(() => createRedisStore(client, options as never)).toThrow(TypeError);
    expect(() => createRedisStore(client, options as never)).toThrow(message);
  });

  it('refuses something that is not an ioredis client', () => {
    expect(() => createRedisStore({} as never)).toThrow(/needs an ioredis client/);
  });

  it('leaves a store that was never connected rejecting, not throwing', async () => {
    const store = createRedisStore(client);
    await expect(store.load()).rejects.toThrow(/not connected/);
    expect(() => {
      store.disconnect();
    }).not.toThrow();
    expect(client.status).toBe('wait');
  });
});
