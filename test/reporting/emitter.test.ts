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


/** Lets every pending promise job and one macrotask run: a rejection nobody handles is reported by then. */
function flush(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(resolve);
  });
}

/*
 * Jest fails a test in which a promise rejection goes unhandled (it reports the
 * rejection as the test's error), so each test below would fail on an
 * uncontained rejection; the child-process check in
 * test/e2e/listener-safety.test.ts proves the same with an explicit
 * `unhandledRejection` collector, outside jest.
 */
describe('PolicyEmitter: listeners that return a rejecting thenable', () => {
  it('contains an async listener that rejects, on `on` and on `once`, and still delivers to the others', async () => {
    const emitter = new PolicyEmitter();
    const after = jest.fn();
     
    emitter.on('circuitOpen', () => Promise.reject(new Error('async listener bug')));
    // eslint-disable-next-line @typescript-eslint/require-await -- the async listener that throws is the case under test
    emitter.once('circuitOpen', async () => {
      throw new Error('async once listener bug');
    });
    emitter.on('circuitOpen', after);
    expect(() => {
      emitter.emit('circuitOpen', { endpoint: 'a' });
    }).not.toThrow();
    await flush();
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('reads `then` once and calls it once, with a rejection handler', async () => {
    const emitter = new PolicyEmitter();
    let reads = 0;
    const calls: unknown[][] = [];
    const thenable = {
      get then() {
        reads++;
        return (...args: unknown[]) => {
          calls.push(args);
          // Settles through both callbacks, twice: the handler must not mind.
          (args[1] as (reason: unknown) => void)(new Error('rejected'));
          (args[1] as (reason: unknown) => void)(new Error('rejected again'));
        };
      },
    };
    emitter.on('circuitClose', () => thenable as unknown as undefined);
    emitter.emit('circuitClose', { endpoint: 'a' });
    await flush();
    expect(reads).toBe(1);
    expect(calls).toHaveLength(1);
    expect(typeof calls[0]?.[1]).toBe('function');
  });

  it('contains hostile thenables: a `then` getter that throws, a `then` that throws or returns a rejecting promise, a `then` that is no function', async () => {
    const emitter = new PolicyEmitter();
    const after = jest.fn();
    const hostile: unknown[] = [
      Object.defineProperty({}, 'then', {
        get() {
          throw new Error('getter bug');
        },
      }),
      {
        then() {
          throw new Error('then bug');
        },
      },
      { then: 'not a function' },
      Object.assign(() => undefined, {
        then() {
          throw new Error('callable thenable bug');
        },
      }),
      {
        then() {
          return Promise.reject(new Error('then hands back a rejecting promise'));
        },
      },
      42,
      null,
    ];
    for (const value of hostile) emitter.on('circuitHalfOpen', () => value as undefined);
    emitter.on('circuitHalfOpen', after);
    expect(() => {
      emitter.emit('circuitHalfOpen', { endpoint: 'a' });
    }).not.toThrow();
    await flush();
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('never rejects for a listener whose promise fulfils', async () => {
    const emitter = new PolicyEmitter();
    const seen: string[] = [];
     
    emitter.on('circuitOpen', async (e) => {
      await Promise.resolve();
      seen.push(e.endpoint);
    });
    emitter.emit('circuitOpen', { endpoint: 'a' });
    await flush();
    expect(seen).toEqual(['a']);
  });
});
