import { describe, expect, it, jest } from '@jest/globals';
import { PolicyEmitter } from '../../src/reporting/emitter.js';

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

