/**
 * nextMacrotask: settles without a timer where the runtime has a faster way,
 * yet a loop of awaited calls never starves a timer; and each scheduler of
 * macrotaskScheduler (setImmediate, one shared MessageChannel, setTimeout) runs
 * every task, in order, in a later macrotask.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { MessageChannel as NodeMessageChannel } from 'node:worker_threads';
import { macrotaskScheduler, nextMacrotask, type MacrotaskRuntime } from '../../src/util/macrotask.js';

afterEach(() => {
  jest.useRealTimers();
});

/** A timer due in `ms`, and whether it fired. */
function timerIn(ms: number): { fired: boolean; cancel: () => void } {
  const flag = {
    fired: false,
    cancel: () => {
      clearTimeout(timer);
    },
  };
  const timer = setTimeout(() => {
    flag.fired = true;
  }, ms);
  return flag;
}

/** Awaits `nextMacrotask()` until `done()` holds; fails past `maxTurns` (a starved timer never ends the loop). */
async function loopUntil(done: () => boolean, maxTurns = 1_000_000): Promise<number> {
  let turns = 0;
  while (!done()) {
    if (++turns > maxTurns) throw new Error(`still not done after ${String(maxTurns)} turns`);
    await nextMacrotask();
  }
  return turns;
}

describe('nextMacrotask', () => {
  it('settles without a timer: it resolves while every timer is frozen, and adds none', async () => {
    // setTimeout and friends are fake (nothing fires until the test advances them); setImmediate is real.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask'] });
    const settled = nextMacrotask();
    expect(jest.getTimerCount()).toBe(0);
    await expect(settled).resolves.toBeUndefined();
  });

  it('does not settle inside the microtask queue: a microtask chain queued first finishes before it', async () => {
    const order: string[] = [];
    const settled = nextMacrotask().then(() => order.push('macrotask'));
    let chain = Promise.resolve();
    for (let i = 0; i < 100; i++) chain = chain.then(() => undefined);
    void chain.then(() => order.push('microtasks'));
    await settled;
    expect(order).toEqual(['microtasks', 'macrotask']);
  });

  it('a loop of awaited calls lets a timer fire (a retry loop cannot starve a half-open timer)', async () => {
    const timer = timerIn(5);
    try {
      await loopUntil(() => timer.fired);
    } finally {
      timer.cancel();
    }
    expect(timer.fired).toBe(true);
  });

  it('on fake timers, each turn of such a loop lets a due timer run', async () => {
    jest.useFakeTimers();
    const timer = timerIn(5);
    let turns = 0;
    while (!timer.fired && turns < 1000) {
      const settled = nextMacrotask();
      // One fake millisecond per turn: the timer is due after five.
      await jest.advanceTimersByTimeAsync(1);
      await settled;
      turns++;
    }
    expect([timer.fired, turns]).toEqual([true, 5]);
  });
});

/** A runtime stand-in: which globals it has, and which were used. */
function runtimeWith(parts: Partial<MacrotaskRuntime>): { runtime: MacrotaskRuntime; channels: () => number; timeouts: () => number } {
  let channels = 0;
  let timeouts = 0;
  const runtime: MacrotaskRuntime = {
    setTimeout: (callback, ms) => {
      timeouts++;
      return setTimeout(callback, ms);
    },
    ...parts,
  };
  if (parts.MessageChannel !== undefined) {
    const Base = parts.MessageChannel;
    runtime.MessageChannel = class extends Base {
      constructor() {
        super();
        channels++;
      }
    };
  }
  return { runtime, channels: () => channels, timeouts: () => timeouts };
}

/** Runs `count` tasks on `schedule`; resolves with the order they ran in. */
function runTasks(schedule: (task: () => void) => void, count: number): Promise<number[]> {
  const ran: number[] = [];
  return new Promise((resolve) => {
    for (let i = 0; i < count; i++) {
      schedule(() => {
        ran.push(i);
        if (ran.length === count) resolve(ran);
      });
    }
  });
}

describe('macrotaskScheduler', () => {
  it('uses setImmediate where the runtime has it', async () => {
    const { runtime, timeouts } = runtimeWith({ setImmediate, MessageChannel: NodeMessageChannel as unknown as new () => MessageChannel });
    const schedule = macrotaskScheduler(runtime);
    expect(await runTasks(schedule, 3)).toEqual([0, 1, 2]);
    expect(timeouts()).toBe(0);
  });

  it('without setImmediate, one shared MessageChannel runs every task in order, none synchronously', async () => {
    const { runtime, channels, timeouts } = runtimeWith({ MessageChannel: NodeMessageChannel as unknown as new () => MessageChannel });
    const schedule = macrotaskScheduler(runtime);
    let ran = false;
    schedule(() => {
      ran = true;
    });
    await Promise.resolve();
    expect(ran).toBe(false);
    expect(await runTasks(schedule, 50)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(await runTasks(schedule, 5)).toEqual([0, 1, 2, 3, 4]);
    expect([ran, channels(), timeouts()]).toEqual([true, 1, 0]);
  });

  it('the MessageChannel scheduler lets timers run between turns of a loop', async () => {
    const { runtime } = runtimeWith({ MessageChannel: NodeMessageChannel as unknown as new () => MessageChannel });
    const schedule = macrotaskScheduler(runtime);
    const timer = timerIn(5);
    let turns = 0;
    try {
      while (!timer.fired) {
        if (++turns > 1_000_000) throw new Error('the timer never fired');
        await new Promise<void>((resolve) => {
          schedule(resolve);
        });
      }
    } finally {
      timer.cancel();
    }
    expect(timer.fired).toBe(true);
  });

  it('falls back to setTimeout(0) with neither', async () => {
    const { runtime, timeouts } = runtimeWith({});
    expect(await runTasks(macrotaskScheduler(runtime), 2)).toEqual([0, 1]);
    expect(timeouts()).toBe(2);
  });
});
