/**
 * The growing open interval of BreakerRegistry, isolation and reset by hand,
 * and the records a snapshot keeps, on jest's fake timers: when each probe
 * is let through while probes fail, that a close (or a reset) starts the
 * interval again, that an isolated endpoint never probes, and that restored
 * breakers half-open after what was left of their wait.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { BreakerRegistry, type BreakerSettings, type BreakerTicket } from '../../src/breaker/breaker-registry.js';
import { DEFAULTS } from '../../src/options/defaults.js';
import { PolicyEmitter } from '../../src/reporting/emitter.js';

const A = 'https://a.obs.cn-north-4.myhuaweicloud.com';
const B = 'https://b.obs.cn-north-4.myhuaweicloud.com';
const START = 1_000_000;
const PROBE_TIMEOUT = 600_000;

/** The package's defaults: first wait 1.25 s, cap 30 s, 5 failures in a row. */
const SETTINGS: BreakerSettings = { ...DEFAULTS.breaker };
/** The first wait. */
const FIRST = SETTINGS.firstResetTimeoutMs;

type CircuitEventName = 'circuitOpen' | 'circuitHalfOpen' | 'circuitClose';

function makeRegistry(settings: Partial<BreakerSettings> = {}, random: () => number = () => 0): { registry: BreakerRegistry; events: [CircuitEventName, string, number][] } {
  const emitter = new PolicyEmitter();
  const events: [CircuitEventName, string, number][] = [];
  for (const name of ['circuitOpen', 'circuitHalfOpen', 'circuitClose'] as const) {
    emitter.on(name, ({ endpoint }) => events.push([name, endpoint, Date.now() - START]));
  }
  return { registry: new BreakerRegistry({ ...SETTINGS, ...settings }, emitter, random), events };
}

function pass(registry: BreakerRegistry, endpoint: string): BreakerTicket {
  const ticket = registry.gate(endpoint, PROBE_TIMEOUT);
  if (ticket === undefined) throw new Error(`the gate of ${endpoint} refused`);
  return ticket;
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

async function openIt(registry: BreakerRegistry, endpoint: string): Promise<void> {
  for (let i = 0; i < SETTINGS.consecutiveFailures; i++) await registry.record(pass(registry, endpoint), 'failure');
  expect(registry.state(endpoint)).toBe('open');
}

/** Waits (fake time) until the endpoint half-opens; returns how long it took, in ms. */
async function untilHalfOpen(registry: BreakerRegistry, endpoint: string, stepMs = 10): Promise<number> {
  const from = Date.now();
  while (registry.state(endpoint) !== 'halfOpen') {
    if (Date.now() - from > 10 * SETTINGS.resetTimeoutMs) throw new Error('never half-opened');
    await jest.advanceTimersByTimeAsync(stepMs);
  }
  return Date.now() - from;
}

/** Waits for each of `count` probes in turn and fails it: the breaker reopens `count` times. */
async function failProbes(registry: BreakerRegistry, endpoint: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await untilHalfOpen(registry, endpoint);
    await registry.record(pass(registry, endpoint), 'failure');
  }
}

beforeEach(() => {
  jest.useFakeTimers({ now: START });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('the open interval', () => {
  it('doubles while probes fail, from firstResetTimeoutMs up to resetTimeoutMs: probes at 1.25, 3.75, 8.75, 18.75, 38.75, 68.75, 98.75 s', async () => {
    const { registry, events } = makeRegistry();
    await openIt(registry, A);
    const probeTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      await untilHalfOpen(registry, A);
      probeTimes.push(Date.now() - START);
      await registry.record(pass(registry, A), 'failure');
      expect(registry.state(A)).toBe('open');
    }
    expect(FIRST).toBe(1250);
    expect(probeTimes).toEqual([1250, 3750, 8750, 18_750, 38_750, 68_750, 98_750]);
    expect(events.filter(([name]) => name === 'circuitOpen')).toHaveLength(8);
    registry.shutdown();
  });

  it('a probe that times out counts as a failed probe: the next wait doubles', async () => {
    const { registry } = makeRegistry();
    await openIt(registry, A);
    await untilHalfOpen(registry, A);
    registry.gate(A, 500);
    await jest.advanceTimersByTimeAsync(500);
    expect(registry.state(A)).toBe('open');
    expect(await untilHalfOpen(registry, A)).toBe(2 * FIRST);
    registry.shutdown();
  });

  it('a probe that closes it starts the interval again: the next outage is probed after firstResetTimeoutMs', async () => {
    const { registry, events } = makeRegistry();
    await openIt(registry, A);
    await failProbes(registry, A, 3);
    // The fourth spell waits 8 × FIRST; its probe succeeds.
    expect(await untilHalfOpen(registry, A)).toBe(8 * FIRST);
    expect(registry.record(pass(registry, A), 'success')).toBeUndefined();
    await flush();
    expect(registry.state(A)).toBe('closed');
    await openIt(registry, A);
    expect(await untilHalfOpen(registry, A)).toBe(FIRST);
    expect(events.map(([name]) => name).slice(-4)).toEqual(['circuitHalfOpen', 'circuitClose', 'circuitOpen', 'circuitHalfOpen']);
    registry.shutdown();
  });

  it('each wait is shortened by the jitter the random source draws (0.5: a tenth), never lengthened', async () => {
    const { registry } = makeRegistry({}, () => 0.5);
    await openIt(registry, A);
    expect(await untilHalfOpen(registry, A, 1)).toBe(0.9 * FIRST);
    await registry.record(pass(registry, A), 'failure');
    expect(await untilHalfOpen(registry, A, 1)).toBe(1.8 * FIRST);
    registry.shutdown();
  });

  it('a 2 s outage: whatever the jitter draws, the first probe after the heal comes within 2.5 s of it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: 0, max: 0.999_999, noNaN: true }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 500 }), async (draws, openedAfterMs) => {
        let next = 0;
        const { registry } = makeRegistry({}, () => draws[next++ % draws.length] ?? 0);
        const outageStart = Date.now();
        const healAt = outageStart + 2000;
        // The breaker opens some time into the outage (after the failures that open it).
        await jest.advanceTimersByTimeAsync(openedAfterMs);
        await openIt(registry, A);
        let firstSuccessAt: number | undefined;
        while (firstSuccessAt === undefined) {
          await untilHalfOpen(registry, A, 5);
          const probe = pass(registry, A);
          if (Date.now() >= healAt) {
            firstSuccessAt = Date.now();
            expect(registry.record(probe, 'success')).toBeUndefined();
          } else {
            await registry.record(probe, 'failure');
          }
        }
        registry.shutdown();
        expect(firstSuccessAt - healAt).toBeLessThanOrEqual(2500);
      }),
      { numRuns: 30 },
    );
  });

  // No jitter: probes at 1.25, 3.75, 8.75, 18.75, 38.75 s fail, the one at 68.75 s succeeds. The most
  // jitter (every wait four fifths): 1, 3, 7, 15, 31, 55 s fail, 79 s succeeds.
  it.each([
    ['no jitter', 0, 6],
    ['the most jitter', 0.999_999, 7],
  ])('a 60 s outage, %s: at most 12 probes in all (the one after the heal included)', async (_name, draw, expected) => {
    const { registry } = makeRegistry({}, () => draw);
    const healAt = Date.now() + 60_000;
    await openIt(registry, A);
    let probes = 0;
    for (;;) {
      await untilHalfOpen(registry, A, 50);
      probes++;
      const probe = pass(registry, A);
      if (Date.now() >= healAt) {
        expect(registry.record(probe, 'success')).toBeUndefined();
        break;
      }
      await registry.record(probe, 'failure');
    }
    await flush();
    expect(registry.state(A)).toBe('closed');
    expect(probes).toBeLessThanOrEqual(12);
    expect(probes).toBe(expected);
    registry.shutdown();
  });
});

describe('isolate and reset', () => {
  it('isolate: every gate refuses, no probe ever, state open, one circuitOpen; reset closes it with a clean window', async () => {
    const { registry, events } = makeRegistry();
    pass(registry, A);
    expect(registry.isolate(A)).toBe(true);
    expect(registry.state(A)).toBe('open');
    expect(registry.isOpen(A)).toBe(true);
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(10 * SETTINGS.resetTimeoutMs);
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    expect(registry.isolate(A)).toBe(true);
    expect(events).toEqual([['circuitOpen', A, 0]]);
    // Other endpoints are not touched.
    expect(registry.gate(B, PROBE_TIMEOUT)).toEqual({ endpoint: B, probe: false });
    registry.reset(A);
    expect(registry.state(A)).toBe('closed');
    expect(pass(registry, A)).toEqual({ endpoint: A, probe: false });
    // A clean window and streak: 4 failures do not open it.
    for (let i = 0; i < SETTINGS.consecutiveFailures - 1; i++) await registry.record(pass(registry, A), 'failure');
    expect(registry.state(A)).toBe('closed');
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitClose']);
    registry.shutdown();
  });

  it('isolating an open breaker emits nothing more; its spell does not half-open while isolated; answers in flight change nothing', async () => {
    const { registry, events } = makeRegistry();
    const early = pass(registry, A);
    await openIt(registry, A);
    registry.isolate(A);
    await registry.record(early, 'failure');
    await jest.advanceTimersByTimeAsync(5 * SETTINGS.resetTimeoutMs);
    expect(registry.state(A)).toBe('open');
    expect(events.map(([name]) => name)).toEqual(['circuitOpen']);
    registry.reset(A);
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitClose']);
    registry.shutdown();
  });

  it('reset of an open breaker deep into an outage: closed now, and the next outage waits firstResetTimeoutMs again', async () => {
    const { registry, events } = makeRegistry();
    await openIt(registry, A);
    await failProbes(registry, A, 4);
    registry.reset(A);
    expect(registry.state(A)).toBe('closed');
    expect(events.at(-1)?.[0]).toBe('circuitClose');
    await openIt(registry, A);
    expect(await untilHalfOpen(registry, A)).toBe(FIRST);
    registry.shutdown();
  });

  it('reset of an endpoint that is closed or unknown changes nothing and emits nothing', () => {
    const { registry, events } = makeRegistry();
    pass(registry, A);
    registry.reset(A);
    registry.reset(B);
    expect([registry.state(A), registry.state(B)]).toEqual(['closed', undefined]);
    expect(events).toEqual([]);
    registry.shutdown();
  });

  it('at most maxEndpoints endpoints are isolated; isolation outlives the LRU eviction of the breaker', () => {
    const { registry } = makeRegistry({ maxEndpoints: 2 });
    expect(registry.isolate(A)).toBe(true);
    expect(registry.isolate(B)).toBe(true);
    expect(registry.isolate('https://c.example')).toBe(false);
    expect(registry.state('https://c.example')).toBeUndefined();
    for (const other of ['https://d.example', 'https://e.example', 'https://f.example']) pass(registry, other);
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    expect(registry.state(A)).toBe('open');
    registry.shutdown();
    expect(registry.state(A)).toBeUndefined();
  });
});

describe('records and restore', () => {
  it('records open and isolated breakers (not closed or half-open ones); a new registry restores them open for what was left', async () => {
    const { registry } = makeRegistry();
    await openIt(registry, A);
    await untilHalfOpen(registry, A);
    await registry.record(pass(registry, A), 'failure');
    // Open until 3 × FIRST, interval 2 × FIRST.
    await jest.advanceTimersByTimeAsync(500);
    registry.isolate(B);
    pass(registry, 'https://closed.example');
    const records = registry.records();
    expect(records).toEqual([
      { endpoint: A, state: 'open', halfOpenAt: START + 3 * FIRST, intervalMs: 2 * FIRST },
      { endpoint: B, state: 'isolated' },
    ]);
    registry.shutdown();

    const { registry: restored, events } = makeRegistry();
    restored.restore(records);
    expect([restored.state(A), restored.state(B)]).toEqual(['open', 'open']);
    expect(restored.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    expect(await untilHalfOpen(restored, A, 1)).toBe(3 * FIRST - FIRST - 500);
    // The restored interval goes on growing: 2 × FIRST → 4 × FIRST.
    await restored.record(pass(restored, A), 'failure');
    expect(await untilHalfOpen(restored, A)).toBe(4 * FIRST);
    expect(restored.gate(B, PROBE_TIMEOUT)).toBeUndefined();
    // Restoring emits nothing; what follows emits as usual.
    expect(events.map(([name]) => name)).toEqual(['circuitHalfOpen', 'circuitOpen', 'circuitHalfOpen']);
    restored.shutdown();
  });

  it('an open record whose wait is over is left closed; a wait longer than resetTimeoutMs is cut to it', async () => {
    const { registry } = makeRegistry();
    registry.restore([
      { endpoint: A, state: 'open', halfOpenAt: START - 1, intervalMs: 4000 },
      { endpoint: B, state: 'open', halfOpenAt: 8e15, intervalMs: 2 ** 31 - 1 },
    ]);
    expect(registry.state(A)).toBeUndefined();
    expect(registry.state(B)).toBe('open');
    expect(await untilHalfOpen(registry, B, 100)).toBe(SETTINGS.resetTimeoutMs);
    expect(registry.records()).toEqual([]);
    registry.shutdown();
  });
});
