/**
 * BreakerRegistry (opossum underneath) on jest's fake timers: when a breaker
 * opens (a streak of failures, or the window's percentage), what the gate lets
 * through while open and half-open, how the single probe closes or re-opens
 * it (and what happens when it never answers), and that shutdown and LRU
 * eviction leave no timer behind.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { BreakerRegistry, type BreakerSettings, type BreakerTicket } from '../../src/breaker/breaker-registry.js';
import { PolicyEmitter } from '../../src/reporting/emitter.js';

const A = 'https://a.obs.cn-north-4.myhuaweicloud.com:443';
const B = 'https://b.obs.cn-north-4.myhuaweicloud.com:443';
const C = 'https://c.obs.cn-north-4.myhuaweicloud.com:443';

const SETTINGS: BreakerSettings = {
  consecutiveFailures: 5,
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  resetTimeoutMs: 1000,
  // A fixed interval here: the growing interval has its own tests (breaker-interval.test.ts).
  firstResetTimeoutMs: 1000,
  rollingWindowMs: 10_000,
  maxEndpoints: 10,
};
/** The probe's own bound, longer than anything else in these tests unless a test says otherwise. */
const PROBE_TIMEOUT = 60_000;

type CircuitEventName = 'circuitOpen' | 'circuitHalfOpen' | 'circuitClose';

function makeRegistry(settings: Partial<BreakerSettings> = {}): { registry: BreakerRegistry; events: [CircuitEventName, string][] } {
  const emitter = new PolicyEmitter();
  const events: [CircuitEventName, string][] = [];
  for (const name of ['circuitOpen', 'circuitHalfOpen', 'circuitClose'] as const) {
    emitter.on(name, ({ endpoint }) => events.push([name, endpoint]));
  }
  // random 0: no jitter, each spell waits its whole interval.
  return { registry: new BreakerRegistry({ ...SETTINGS, ...settings }, emitter, () => 0), events };
}

/** A pass through the gate that the test expects to be given. */
function pass(registry: BreakerRegistry, endpoint: string, probeTimeoutMs = PROBE_TIMEOUT): BreakerTicket {
  const ticket = registry.gate(endpoint, probeTimeoutMs);
  if (ticket === undefined) throw new Error(`the gate of ${endpoint} refused`);
  return ticket;
}

/** Lets opossum settle what it was given (it counts through promise callbacks), without moving the clock. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

async function successes(registry: BreakerRegistry, endpoint: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) expect(registry.record(pass(registry, endpoint), 'success')).toBeUndefined();
  await flush();
}

async function failures(registry: BreakerRegistry, endpoint: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await registry.record(pass(registry, endpoint), 'failure');
}

/** Opens a fresh endpoint's breaker with a streak of failures (too few for the percentage rule). */
async function openIt(registry: BreakerRegistry, endpoint: string): Promise<void> {
  await failures(registry, endpoint, SETTINGS.consecutiveFailures);
  expect(registry.state(endpoint)).toBe('open');
}

/** Opens a fresh endpoint's breaker and waits for it to half-open. */
async function halfOpenIt(registry: BreakerRegistry, endpoint: string): Promise<void> {
  await openIt(registry, endpoint);
  await jest.advanceTimersByTimeAsync(SETTINGS.resetTimeoutMs);
  expect(registry.state(endpoint)).toBe('halfOpen');
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('BreakerRegistry: opening', () => {
  it('starts closed: every gate passes, none as a probe', () => {
    const { registry, events } = makeRegistry();
    expect(registry.state(A)).toBeUndefined();
    expect(registry.gate(A, PROBE_TIMEOUT)).toEqual({ endpoint: A, probe: false });
    expect(registry.state(A)).toBe('closed');
    expect(registry.isOpen(A)).toBe(false);
    expect(events).toEqual([]);
    registry.shutdown();
  });

  it('after 100 successes, 5 failures in a row open it (4 do not), whatever the window says', async () => {
    const { registry, events } = makeRegistry();
    await successes(registry, A, 100);
    await failures(registry, A, 4);
    expect(registry.state(A)).toBe('closed');
    expect(events).toEqual([]);
    await failures(registry, A, 1);
    expect(registry.state(A)).toBe('open');
    expect(registry.isOpen(A)).toBe(true);
    expect(events).toEqual([['circuitOpen', A]]);
    registry.shutdown();
  });

  it('the failure that completes the streak opens it before record returns (the caller decides on the new state)', async () => {
    const { registry } = makeRegistry();
    await successes(registry, A, 100);
    await failures(registry, A, 4);
    void registry.record(pass(registry, A), 'failure');
    expect(registry.isOpen(A)).toBe(true);
    registry.shutdown();
  });

  it('after warm traffic (10,000 successes in the window), a failure is counted without sorting the successes', async () => {
    // opossum works out the error percentage on every failure; with its latency percentiles on, that
    // copies and sorts every success of the window (about 10 ms at 100,000), on the event loop, at
    // each failure of an outage that follows busy traffic. 10,000 successes show whether it sorts.
    const { registry } = makeRegistry();
    await successes(registry, A, 10_000);
    const sorted: number[] = [];
    const sort = Array.prototype.sort;
    const spy = jest.spyOn(Array.prototype, 'sort').mockImplementation(function (this: unknown[], compare?: (a: unknown, b: unknown) => number) {
      sorted.push(this.length);
      return sort.call(this, compare) as never;
    });
    try {
      await failures(registry, A, SETTINGS.consecutiveFailures);
    } finally {
      spy.mockRestore();
    }
    expect(registry.state(A)).toBe('open');
    expect(Math.max(0, ...sorted)).toBeLessThan(1000);
    registry.shutdown();
  });

  it('neither outcomes between failures do not break the streak', async () => {
    const { registry, events } = makeRegistry();
    await successes(registry, A, 100);
    for (let i = 0; i < 4; i++) {
      await failures(registry, A, 1);
      expect(registry.record(pass(registry, A), 'neither')).toBeUndefined();
    }
    expect(registry.state(A)).toBe('closed');
    await failures(registry, A, 1);
    expect(events).toEqual([['circuitOpen', A]]);
    registry.shutdown();
  });

  it('a success breaks the streak', async () => {
    const { registry, events } = makeRegistry();
    await successes(registry, A, 100);
    await failures(registry, A, 4);
    await successes(registry, A, 1);
    await failures(registry, A, 4);
    expect(registry.state(A)).toBe('closed');
    await failures(registry, A, 1);
    expect(registry.state(A)).toBe('open');
    expect(events).toEqual([['circuitOpen', A]]);
    registry.shutdown();
  });

  it('the percentage rule opens it too, once the window holds volumeThreshold outcomes', async () => {
    // A streak long enough never to matter here.
    const { registry, events } = makeRegistry({ consecutiveFailures: 100 });
    // 5 of 10 is 50 %: not past the threshold.
    for (let i = 0; i < 5; i++) {
      await successes(registry, A, 1);
      await failures(registry, A, 1);
    }
    expect(registry.state(A)).toBe('closed');
    // 6 of 11: past it.
    await failures(registry, A, 1);
    expect(registry.state(A)).toBe('open');
    // On another endpoint, 9 failures of 9 are under the volume threshold; the 10th opens it.
    await failures(registry, B, 9);
    expect(registry.state(B)).toBe('closed');
    await failures(registry, B, 1);
    expect(registry.state(B)).toBe('open');
    expect(events).toEqual([
      ['circuitOpen', A],
      ['circuitOpen', B],
    ]);
    registry.shutdown();
  });

  it('neither outcomes do not dilute the percentage', async () => {
    const { registry } = makeRegistry({ consecutiveFailures: 100 });
    for (let i = 0; i < 100; i++) expect(registry.record(pass(registry, A), 'neither')).toBeUndefined();
    await failures(registry, A, 9);
    expect(registry.state(A)).toBe('closed');
    await failures(registry, A, 1);
    expect(registry.state(A)).toBe('open');
    registry.shutdown();
  });

  it('breakers are per endpoint', async () => {
    const { registry } = makeRegistry();
    await openIt(registry, A);
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    expect(registry.gate(B, PROBE_TIMEOUT)).toEqual({ endpoint: B, probe: false });
    expect(registry.size).toBe(2);
    registry.shutdown();
  });
});

describe('BreakerRegistry: open and half-open', () => {
  it('open, the gate refuses until resetTimeoutMs has passed; then it lets exactly one probe through', async () => {
    const { registry, events } = makeRegistry();
    await openIt(registry, A);
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(SETTINGS.resetTimeoutMs - 1);
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(events).toEqual([
      ['circuitOpen', A],
      ['circuitHalfOpen', A],
    ]);
    expect(registry.state(A)).toBe('halfOpen');
    // Half-open is not open: a retry there is not cut short.
    expect(registry.isOpen(A)).toBe(false);
    expect(registry.gate(A, PROBE_TIMEOUT)).toEqual({ endpoint: A, probe: true });
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    registry.shutdown();
  });

  it("the probe's success closes it: circuitClose, and the gate passes everyone again", async () => {
    // The outage's failures are still in the rolling window here (resetTimeoutMs < rollingWindowMs):
    // a volume threshold out of reach keeps the percentage rule out of what this test checks.
    const { registry, events } = makeRegistry({ volumeThreshold: 1000 });
    await halfOpenIt(registry, A);
    const probe = pass(registry, A);
    expect(registry.record(probe, 'success')).toBeUndefined();
    await flush();
    expect(registry.state(A)).toBe('closed');
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitClose']);
    expect([registry.gate(A, PROBE_TIMEOUT), registry.gate(A, PROBE_TIMEOUT)]).toEqual([
      { endpoint: A, probe: false },
      { endpoint: A, probe: false },
    ]);
    // The streak starts again from zero.
    await failures(registry, A, 4);
    expect(registry.state(A)).toBe('closed');
    // The probe's time bound was cancelled with it: nothing re-opens it later.
    await jest.advanceTimersByTimeAsync(PROBE_TIMEOUT * 2);
    expect(registry.state(A)).toBe('closed');
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitClose']);
    registry.shutdown();
  });

  it("the probe's failure re-opens it, for another resetTimeoutMs", async () => {
    const { registry, events } = makeRegistry();
    await halfOpenIt(registry, A);
    await registry.record(pass(registry, A), 'failure');
    expect(registry.state(A)).toBe('open');
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(SETTINGS.resetTimeoutMs);
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitOpen', 'circuitHalfOpen']);
    expect(registry.gate(A, PROBE_TIMEOUT)).toEqual({ endpoint: A, probe: true });
    registry.shutdown();
  });

  it('a probe that ends with neither frees the slot for the next probe', async () => {
    const { registry, events } = makeRegistry();
    await halfOpenIt(registry, A);
    const probe = pass(registry, A);
    expect(registry.record(probe, 'neither')).toBeUndefined();
    expect(registry.state(A)).toBe('halfOpen');
    expect(registry.gate(A, PROBE_TIMEOUT)).toEqual({ endpoint: A, probe: true });
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitHalfOpen']);
    registry.shutdown();
  });

  it('a probe that does not answer within probeTimeoutMs re-opens it, and its late answer is ignored', async () => {
    const { registry, events } = makeRegistry();
    await halfOpenIt(registry, A);
    const probe = pass(registry, A, 500);
    await jest.advanceTimersByTimeAsync(499);
    expect(registry.state(A)).toBe('halfOpen');
    expect(registry.gate(A, PROBE_TIMEOUT)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(registry.state(A)).toBe('open');
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitOpen']);
    // Its answer, late, while open: ignored.
    expect(registry.record(probe, 'success')).toBeUndefined();
    await flush();
    expect(registry.state(A)).toBe('open');
    // And still ignored once the breaker is half-open again with the slot free.
    await jest.advanceTimersByTimeAsync(SETTINGS.resetTimeoutMs);
    expect(registry.state(A)).toBe('halfOpen');
    expect(registry.record(probe, 'success')).toBeUndefined();
    await registry.record(probe, 'failure');
    await flush();
    expect(registry.state(A)).toBe('halfOpen');
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitOpen', 'circuitHalfOpen']);
    expect(registry.gate(A, PROBE_TIMEOUT)).toEqual({ endpoint: A, probe: true });
    registry.shutdown();
  });

  it('while half-open, answers to requests let through before it opened are ignored', async () => {
    const { registry, events } = makeRegistry();
    const early = [pass(registry, A), pass(registry, A), pass(registry, A)];
    await halfOpenIt(registry, A);
    const [first, second, third] = early as [BreakerTicket, BreakerTicket, BreakerTicket];
    expect(registry.record(first, 'success')).toBeUndefined();
    await registry.record(second, 'failure');
    expect(registry.record(third, 'neither')).toBeUndefined();
    await flush();
    expect(registry.state(A)).toBe('halfOpen');
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitHalfOpen']);
    // The probe slot is still free.
    const probe = pass(registry, A);
    expect(probe.probe).toBe(true);
    // Nor do they take the probe's place once it is out.
    expect(registry.record(first, 'success')).toBeUndefined();
    await flush();
    expect(registry.state(A)).toBe('halfOpen');
    expect(registry.record(probe, 'success')).toBeUndefined();
    await flush();
    expect(registry.state(A)).toBe('closed');
    registry.shutdown();
  });

  it('while open, answers to requests let through before it opened are ignored', async () => {
    const { registry, events } = makeRegistry();
    const early = pass(registry, A);
    await openIt(registry, A);
    expect(registry.record(early, 'success')).toBeUndefined();
    await registry.record(early, 'failure');
    await flush();
    expect(registry.state(A)).toBe('open');
    expect(events).toEqual([['circuitOpen', A]]);
    registry.shutdown();
  });
});

describe('BreakerRegistry: timers and bounds', () => {
  it('shutdown clears every timer (windows, reset timers, probe bounds), forgets every breaker and emits nothing more', async () => {
    const { registry, events } = makeRegistry();
    await halfOpenIt(registry, B);
    pass(registry, B, 5000);
    await openIt(registry, A);
    pass(registry, C);
    expect(jest.getTimerCount()).toBeGreaterThan(0);
    const before = events.length;
    registry.shutdown();
    expect(jest.getTimerCount()).toBe(0);
    expect(registry.size).toBe(0);
    expect([registry.state(A), registry.state(B), registry.state(C)]).toEqual([undefined, undefined, undefined]);
    await jest.advanceTimersByTimeAsync(PROBE_TIMEOUT);
    expect(events.length).toBe(before);
  });

  it('starts from a clean window after closing: one failure does not re-open it (resetTimeoutMs shorter than the window)', async () => {
    const { registry, events } = makeRegistry({ volumeThreshold: 5, consecutiveFailures: 100, resetTimeoutMs: 100, rollingWindowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      const ticket = registry.gate(A, PROBE_TIMEOUT);
      if (ticket !== undefined) await registry.record(ticket, 'failure');
    }
    expect(registry.state(A)).toBe('open');
    await jest.advanceTimersByTimeAsync(100);
    const probe = registry.gate(A, PROBE_TIMEOUT);
    if (probe !== undefined) await registry.record(probe, 'success');
    await jest.advanceTimersByTimeAsync(0);
    expect(registry.state(A)).toBe('closed');
    const next = registry.gate(A, PROBE_TIMEOUT);
    if (next !== undefined) await registry.record(next, 'failure');
    expect(registry.state(A)).toBe('closed');
    expect(events.map(([name]) => name)).toEqual(['circuitOpen', 'circuitHalfOpen', 'circuitClose']);
  });

  it('keeps at most maxEndpoints breakers; the least recently used is shut down (its timers cleared, no more events)', async () => {
    // Closed breakers run no timer: their windows are counted from timestamps.
    const probeRegistry = makeRegistry().registry;
    probeRegistry.gate(A, PROBE_TIMEOUT);
    probeRegistry.gate(B, PROBE_TIMEOUT);
    expect(jest.getTimerCount()).toBe(0);
    probeRegistry.shutdown();
    expect(jest.getTimerCount()).toBe(0);

    const { registry, events } = makeRegistry({ maxEndpoints: 2 });
    await openIt(registry, A);
    const early = pass(registry, B);
    pass(registry, C);
    expect(registry.size).toBe(2);
    expect([registry.state(A), registry.state(B), registry.state(C)]).toEqual([undefined, 'closed', 'closed']);
    // A's reset timer went with it; closed breakers run none.
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(SETTINGS.resetTimeoutMs * 2);
    expect(events).toEqual([['circuitOpen', A]]);
    // The gate is a use: B is now the most recent, so a fresh A evicts C.
    pass(registry, B);
    expect(registry.gate(A, PROBE_TIMEOUT)).toEqual({ endpoint: A, probe: false });
    expect([registry.state(A), registry.state(B), registry.state(C)]).toEqual(['closed', 'closed', undefined]);
    // A record for an evicted breaker is dropped.
    registry.shutdown();
    expect(registry.record(early, 'failure')).toBeUndefined();
  });
});

describe('BreakerRegistry: what it tells a fleet store', () => {
  it("tells the fleet a failed probe's longer spell, and no run of failures for it to sum", async () => {
    const { registry } = makeRegistry({ firstResetTimeoutMs: 1000, resetTimeoutMs: 8000 });
    const told: string[] = [];
    registry.fleet = {
      opened: (_endpoint, waitMs, intervalMs) => told.push(`opened ${String(waitMs)} ${String(intervalMs)}`),
      closed: () => told.push('closed'),
      halfOpened: (endpoint) => {
        told.push('halfOpened');
        registry.allowProbe(endpoint);
      },
      streak: (_endpoint, failuresInARow) => told.push(`streak ${String(failuresInARow)}`),
    };
    await openIt(registry, A);
    expect(told).toEqual(['streak 1', 'streak 2', 'streak 3', 'streak 4', 'streak 5', 'opened 1000 1000']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(registry.state(A)).toBe('halfOpen');
    told.length = 0;
    await registry.record(pass(registry, A), 'failure');
    await flush();
    // A sixth failure in a row, but the fleet hears only of the spell twice as long: summed, the run
    // opened every breaker again for the first interval.
    expect(told).toEqual(['opened 2000 2000']);
    expect(registry.state(A)).toBe('open');
    registry.shutdown();
  });
});
