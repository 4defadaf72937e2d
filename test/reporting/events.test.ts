import { describe, expect, it, jest } from '@jest/globals';
import { PolicyEmitter } from '../../src/reporting/events.js';
import { RetryBudget } from '../../src/retry/retry-budget.js';
import { LruMap } from '../../src/util/lru.js';

describe('PolicyEmitter', () => {
  it('delivers to on/once listeners, and on returns an unsubscribe', () => {
    const emitter = new PolicyEmitter();
    const seen: string[] = [];
    const off = emitter.on('circuitOpen', (e) => seen.push(`on ${e.endpoint}`));
    emitter.once('circuitOpen', (e) => seen.push(`once ${e.endpoint}`));
    emitter.emit('circuitOpen', { endpoint: 'a' });
    off();
    emitter.emit('circuitOpen', { endpoint: 'b' });
    expect(seen).toEqual(['on a', 'once a']);
    expect(emitter.has('circuitOpen')).toBe(false);
  });

  it('keys once-wrappers by (event, listener): off(a, l) leaves the wait on b', () => {
    const emitter = new PolicyEmitter();
    const seen: string[] = [];
    const listener = (e: { endpoint: string }): void => {
      seen.push(e.endpoint);
    };
    emitter.once('circuitOpen', listener);
    emitter.once('circuitClose', listener);
    emitter.off('circuitOpen', listener);
    emitter.emit('circuitOpen', { endpoint: 'open' });
    emitter.emit('circuitClose', { endpoint: 'close' });
    emitter.emit('circuitClose', { endpoint: 'again' });
    expect(seen).toEqual(['close']);
    expect(emitter.has('circuitOpen')).toBe(false);
    expect(emitter.has('circuitClose')).toBe(false);
  });

  it('isolates a throwing listener', () => {
    const emitter = new PolicyEmitter();
    const after = jest.fn();
    emitter.on('circuitClose', () => {
      throw new Error('listener bug');
    });
    emitter.on('circuitClose', after);
    expect(() => {
      emitter.emit('circuitClose', { endpoint: 'a' });
    }).not.toThrow();
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('off removes a once listener before it fires', () => {
    const emitter = new PolicyEmitter();
    const listener = jest.fn();
    emitter.once('circuitHalfOpen', listener);
    emitter.off('circuitHalfOpen', listener);
    emitter.emit('circuitHalfOpen', { endpoint: 'a' });
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('RetryBudget', () => {
  it('spends tokens on retries, refunds on success, and refuses when empty', () => {
    const budget = new RetryBudget({ capacity: 12, retryCost: 5, timeoutRetryCost: 10, successRefund: 1 });
    expect(budget.tryAcquire(budget.costOf(false))).toBe(true);
    expect(budget.tryAcquire(budget.costOf(true))).toBe(false);
    expect(budget.available).toBe(7);
    budget.recordSuccess(5);
    expect(budget.available).toBe(12);
    budget.recordSuccess(undefined);
    expect(budget.available).toBe(12);
  });
});

describe('LruMap', () => {
  it('evicts the least recently used entry and reports it', () => {
    const evicted: string[] = [];
    const lru = new LruMap<string, number>(2, (key) => evicted.push(key));
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect(evicted).toEqual(['b']);
    expect([...lru.values()]).toEqual([1, 3]);
  });
});
