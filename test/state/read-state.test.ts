/**
 * readState: the strict reading of an `initialState`. A snapshot as
 * `snapshot()` writes it (and as JSON gives it back) is read as it is; every
 * departure from the format is a TypeError naming its path, never another
 * error, never a crash later; strings from the state are never echoed.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_STATE_RECORDS, readState } from '../../src/state/read-state.js';
import type { ObsPolicyState } from '../../src/state/state-snapshot.js';

const PATH = 'options.initialState';

const VALID: ObsPolicyState = {
  version: 1,
  takenAt: 1_700_000_000_000,
  breakers: [
    { endpoint: 'https://photos.obs.cn-north-4.myhuaweicloud.com', state: 'open', halfOpenAt: 1_700_000_004_000, intervalMs: 4000 },
    { endpoint: 'http://127.0.0.1:9000', state: 'isolated' },
  ],
  paces: [{ endpoint: 'https://photos.obs.cn-north-4.myhuaweicloud.com', class: 'write', ratePerSec: 12.5 }],
  redirects: [
    { from: 'https://archive.obs.cn-north-4.myhuaweicloud.com', to: 'https://archive.obs.cn-south-1.myhuaweicloud.com' },
    { from: 'https://obs.cn-north-4.myhuaweicloud.com/logs', to: 'https://obs.cn-south-1.myhuaweicloud.com' },
  ],
  clockOffsetMs: -1234,
};

/** The message of the TypeError `readState` throws for `value`. */
function refusal(value: unknown): string {
  try {
    readState(value, PATH);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as TypeError).message;
  }
  throw new Error('readState accepted it');
}

/** Record `index` of list `list` of a copied state, to change in place. */
function recordOf(state: Record<string, unknown>, list: 'breakers' | 'paces' | 'redirects', index: number): Record<string, unknown> {
  const record = (state[list] as Record<string, unknown>[])[index];
  if (record === undefined) throw new Error(`no ${list}[${String(index)}]`);
  return record;
}

/** VALID with `patch` applied at a path. */
function withChange(change: (state: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(VALID)) as Record<string, unknown>;
  change(copy);
  return copy;
}

describe('readState: what it accepts', () => {
  it('reads a snapshot as it is, and as JSON gives it back', () => {
    expect(readState(VALID, PATH)).toEqual(VALID);
    expect(readState(JSON.parse(JSON.stringify(VALID)), PATH)).toEqual(VALID);
  });

  it('takes a state with only its version (empty lists, no offset), and objects without a prototype', () => {
    expect(readState({ version: 1 }, PATH)).toEqual({ version: 1, takenAt: 0, breakers: [], paces: [], redirects: [], clockOffsetMs: 0 });
    expect(readState(Object.assign(Object.create(null) as object, { version: 1 }), PATH).version).toBe(1);
  });
});

describe('readState: what it refuses, by path', () => {
  it.each([
    ['not an object', 'a snapshot', `"${PATH}" must be an object`],
    ['an array', [], `"${PATH}" must be an object`],
    ['a class instance', new Date(), `"${PATH}" must be a plain object`],
    ['no version', {}, `"${PATH}.version" must be present`],
    ['an unknown version', { version: 2 }, `"${PATH}.version" must be 1`],
    ['a version as a string', { version: '1' }, `"${PATH}.version" must be 1`],
    ['an unknown key', { version: 1, extra: true }, `unknown key "${PATH}.extra"`],
    ['a __proto__ key (JSON.parse makes it an own key)', JSON.parse('{"version":1,"__proto__":{"polluted":true}}') as unknown, `unknown key "${PATH}.__proto__"`],
    ['a constructor key', { version: 1, constructor: {} }, `unknown key "${PATH}.constructor"`],
    ['takenAt past what a Date holds', { version: 1, takenAt: 1e16 }, `"${PATH}.takenAt" must be an epoch time`],
    ['a clock offset that is not finite', { version: 1, clockOffsetMs: Number.POSITIVE_INFINITY }, `"${PATH}.clockOffsetMs" must be a finite number`],
    ['a list that is not an array', { version: 1, breakers: {} }, `"${PATH}.breakers" must be an array`],
    ['a list longer than the limit (sparse, so it costs nothing to build)', { version: 1, paces: new Array(MAX_STATE_RECORDS + 1) }, `"${PATH}.paces" must be an array of at most 1000000 records`],
  ])('%s', (_name, value, message) => {
    expect(refusal(value)).toContain(message);
  });

  it.each([
    ['an endpoint with a path', (s: Record<string, unknown>) => (recordOf(s, 'breakers', 0).endpoint = 'https://a.example/x'), `"${PATH}.breakers[0].endpoint" must be an http(s) origin`],
    ['an endpoint with a default port written out', (s: Record<string, unknown>) => (recordOf(s, 'breakers', 0).endpoint = 'https://a.example:443'), `"${PATH}.breakers[0].endpoint"`],
    ['an endpoint in upper case', (s: Record<string, unknown>) => (recordOf(s, 'breakers', 0).endpoint = 'https://A.example'), `"${PATH}.breakers[0].endpoint"`],
    ['an endpoint of another scheme', (s: Record<string, unknown>) => (recordOf(s, 'breakers', 1).endpoint = 'file:///etc'), `"${PATH}.breakers[1].endpoint"`],
    ['an unknown breaker state', (s: Record<string, unknown>) => (recordOf(s, 'breakers', 0).state = 'halfOpen'), `"${PATH}.breakers[0].state" must be 'open' or 'isolated'`],
    ['an interval past 2³¹−1 ms', (s: Record<string, unknown>) => (recordOf(s, 'breakers', 0).intervalMs = 2 ** 31), `"${PATH}.breakers[0].intervalMs" must be a duration`],
    ['an interval of 0', (s: Record<string, unknown>) => (recordOf(s, 'breakers', 0).intervalMs = 0), `"${PATH}.breakers[0].intervalMs"`],
    ['an open breaker without halfOpenAt', (s: Record<string, unknown>) => delete recordOf(s, 'breakers', 0).halfOpenAt, `"${PATH}.breakers[0].halfOpenAt" must be an epoch time`],
    ['an isolated breaker with a halfOpenAt', (s: Record<string, unknown>) => (recordOf(s, 'breakers', 1).halfOpenAt = 5), `"${PATH}.breakers[1].halfOpenAt" must be absent`],
    ['an unknown operation class', (s: Record<string, unknown>) => (recordOf(s, 'paces', 0).class = 'delete'), `"${PATH}.paces[0].class" must be 'read', 'write', 'list', 'other'`],
    ['a rate of NaN', (s: Record<string, unknown>) => (recordOf(s, 'paces', 0).ratePerSec = Number.NaN), `"${PATH}.paces[0].ratePerSec"`],
    ['a negative rate', (s: Record<string, unknown>) => (recordOf(s, 'paces', 0).ratePerSec = -1), `"${PATH}.paces[0].ratePerSec"`],
    ['a redirect scope with a path on a virtual-hosted bucket', (s: Record<string, unknown>) => (recordOf(s, 'redirects', 0).from = 'https://archive.obs.cn-north-4.myhuaweicloud.com/x'), `"${PATH}.redirects[0].from" must be a redirect scope`],
    ['a redirect scope deeper than the bucket on a path-style endpoint', (s: Record<string, unknown>) => (recordOf(s, 'redirects', 1).from = 'https://obs.cn-north-4.myhuaweicloud.com/logs/2024'), `"${PATH}.redirects[1].from"`],
    ['a redirect target with a path', (s: Record<string, unknown>) => (recordOf(s, 'redirects', 0).to = 'https://evil.example/steal'), `"${PATH}.redirects[0].to" must be an http(s) origin`],
    ['a redirect to its own origin', (s: Record<string, unknown>) => (recordOf(s, 'redirects', 0).to = 'https://archive.obs.cn-north-4.myhuaweicloud.com'), `"${PATH}.redirects[0].to" must be another origin`],
    ['a record that is null', (s: Record<string, unknown>) => ((s.paces as unknown[])[0] = null), `"${PATH}.paces[0]" must be an object`],
    ['a hole in a list', (s: Record<string, unknown>) => ((s.paces as unknown[]).length = 3), `"${PATH}.paces[1]" must be an object`],
  ])('%s', (_name, change, message) => {
    expect(refusal(withChange(change))).toContain(message);
  });

  it('never echoes a string from the state (a URL may carry credentials)', () => {
    const secret = 'https://user:hunter2@a.example';
    const message = refusal(withChange((s) => (recordOf(s, 'breakers', 0).endpoint = secret)));
    expect(message).not.toContain('hunter2');
    expect(message).toContain('a string of 30 characters');
    expect(refusal(withChange((s) => (recordOf(s, 'redirects', 0).to = secret)))).not.toContain('hunter2');
  });

  it('getters and proxies that throw become a TypeError naming the path', () => {
    const getter = { version: 1 } as Record<string, unknown>;
    Object.defineProperty(getter, 'paces', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(refusal(getter)).toContain(`"${PATH}" could not be read (boom)`);
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    expect(refusal(proxy)).toContain(`"${PATH}" could not be read (trap)`);
    const list = new Proxy([], { get: (target, key) => { if (key === 'length') throw new Error('no length'); return Reflect.get(target, key) as unknown; } });
    expect(refusal({ version: 1, breakers: list })).toContain(`"${PATH}.breakers" could not be read (no length)`);
  });
});

/** JSON-like values, with the keys and numbers a hostile state would try. */
const hostileValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(1, 0, -1, 2 ** 31, 2 ** 53, 1e308, Number.NaN, Number.POSITIVE_INFINITY, -0, null, true, '', '__proto__', 'open', 'isolated', 'read',
      'https://a.example', 'https://obs.cn-north-4.myhuaweicloud.com/b', 'https://user:pw@a.example', 'javascript:alert(1)'),
    fc.double(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('version', 'takenAt', 'breakers', 'paces', 'redirects', 'clockOffsetMs', 'endpoint', 'state', 'halfOpenAt', 'intervalMs', 'class', 'ratePerSec', 'from', 'to', '__proto__', 'constructor', 'prototype'), tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('readState: hostile input', () => {
  it('anything at all: a state, or a TypeError from obs-axios-policies (never another error); Object.prototype untouched', () => {
    fc.assert(
      fc.property(hostileValue, fc.boolean(), (value, versioned) => {
        const input = versioned && value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value, version: 1 } : value;
        try {
          const state = readState(input, PATH);
          expect(state.version).toBe(1);
          expect(JSON.parse(JSON.stringify(state))).toEqual(state);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          expect((error as TypeError).message).toMatch(/^obs-axios-policies: /);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
