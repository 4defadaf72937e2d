/**
 * A handle's learned state: `snapshot()` and `initialState`, on jest's fake
 * timers (no request is sent: the state is made through the handle's own
 * parts). A snapshot survives JSON and starts a new handle where the last one
 * was; the new handle's settings decide (caps, `allowHosts`, expired breakers,
 * no breakers or pacing at all); a hostile `initialState` is a TypeError at
 * attach or a harmless state, never a crash later.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import axios from 'axios';
import fc from 'fast-check';
import { attachObsPolicies } from '../../src/attach.js';
import { createHandleContext, type HandleContext } from '../../src/call/handle-context.js';
import type { ObsPolicyOptions } from '../../src/options/types.js';
import { takeState } from '../../src/state/handle-state.js';
import type { ObsPolicyState } from '../../src/state/state-snapshot.js';

const START = 1_700_000_000_000;
const PHOTOS = 'https://photos.obs.cn-north-4.myhuaweicloud.com';
const LOGS = 'https://logs.obs.cn-north-4.myhuaweicloud.com';
const ARCHIVE = 'https://archive.obs.cn-north-4.myhuaweicloud.com';
const ARCHIVE_SOUTH = 'https://archive.obs.cn-south-1.myhuaweicloud.com';
const PATH_STYLE = 'https://obs.cn-north-4.myhuaweicloud.com';

beforeEach(() => {
  jest.useFakeTimers({ now: START });
});
afterEach(() => {
  jest.useRealTimers();
});

async function openBreaker(ctx: HandleContext, endpoint: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const ticket = ctx.breakers?.gate(endpoint, 60_000);
    if (ticket !== undefined) await ctx.breakers?.record(ticket, 'failure');
  }
}

/** A handle context that has learned a bit of everything. */
async function learned(options: ObsPolicyOptions = {}): Promise<HandleContext> {
  const ctx = createHandleContext({ random: () => 0, ...options });
  await openBreaker(ctx, PHOTOS);
  ctx.breakers?.isolate(LOGS);
  ctx.throttle?.restore({ endpoint: PHOTOS, class: 'write', ratePerSec: 12.5 });
  ctx.throttle?.restore({ endpoint: PHOTOS, class: 'list', ratePerSec: 3 });
  ctx.redirects.remember(new URL(`${ARCHIVE}/a.txt`), new URL(`${ARCHIVE_SOUTH}/a.txt`));
  ctx.redirects.remember(new URL(`${PATH_STYLE}/old/a.txt`), new URL('https://obs.cn-south-1.myhuaweicloud.com/old/a.txt'));
  ctx.clockOffsetMs = 4321;
  return ctx;
}

function shutdown(ctx: HandleContext): void {
  ctx.breakers?.shutdown();
  ctx.throttle?.shutdown();
}

describe('snapshot and initialState', () => {
  it('a snapshot is plain JSON, and starts a new handle where the last one was', async () => {
    const before = await learned();
    const state = takeState(before, Date.now());
    shutdown(before);
    expect(state).toEqual({
      version: 1,
      takenAt: START,
      breakers: [
        { endpoint: PHOTOS, state: 'open', halfOpenAt: START + 1250, intervalMs: 1250 },
        { endpoint: LOGS, state: 'isolated' },
      ],
      paces: [
        { endpoint: PHOTOS, class: 'write', ratePerSec: 12.5 },
        { endpoint: PHOTOS, class: 'list', ratePerSec: 3 },
      ],
      redirects: [
        { from: ARCHIVE, to: ARCHIVE_SOUTH },
        { from: `${PATH_STYLE}/old`, to: 'https://obs.cn-south-1.myhuaweicloud.com' },
      ],
      clockOffsetMs: 4321,
    });
    const json = JSON.parse(JSON.stringify(state)) as ObsPolicyState;
    expect(json).toEqual(state);

    await jest.advanceTimersByTimeAsync(400);
    const after = createHandleContext({ random: () => 0, initialState: json });
    expect(takeState(after, Date.now())).toEqual({ ...state, takenAt: START + 400 });
    expect([after.breakers?.state(PHOTOS), after.breakers?.state(LOGS)]).toEqual(['open', 'open']);
    expect(after.throttle?.rate(PHOTOS, 'write')).toBe(12.5);
    expect(after.throttle?.rate(PHOTOS)).toBe(3);
    const moved = after.redirects.rewrite(new URL(`${ARCHIVE}/b.txt`), { allowHosts: after.settings.allowHosts, maxRedirects: 3 });
    expect(moved.href).toBe(`${ARCHIVE_SOUTH}/b.txt`);
    expect(after.clockOffsetMs).toBe(4321);
    // The restored breaker half-opens after what was left of its wait (1250 − 400 ms).
    await jest.advanceTimersByTimeAsync(849);
    expect(after.breakers?.state(PHOTOS)).toBe('open');
    await jest.advanceTimersByTimeAsync(1);
    expect(after.breakers?.state(PHOTOS)).toBe('halfOpen');
    shutdown(after);
  });

  it('an open breaker whose wait is over when the state is loaded starts closed', async () => {
    const before = await learned();
    const state = takeState(before, Date.now());
    shutdown(before);
    await jest.advanceTimersByTimeAsync(1250);
    const after = createHandleContext({ initialState: state });
    expect([after.breakers?.state(PHOTOS), after.breakers?.state(LOGS)]).toEqual([undefined, 'open']);
    shutdown(after);
  });

  it("remembered 301s the new handle's allowHosts refuses are dropped (a state never moves calls, or credentials, elsewhere)", async () => {
    const before = await learned();
    const state = takeState(before, Date.now());
    shutdown(before);
    state.redirects.push({ from: 'https://photos.obs.cn-north-4.myhuaweicloud.com', to: 'https://attacker.example' });
    state.redirects.push({ from: 'https://plain.example', to: 'http://plain.example:8080' });
    const after = createHandleContext({ initialState: state, redirect: { allowHosts: ['.cn-north-4.myhuaweicloud.com', 'plain.example'] } });
    // cn-south-1 is not allowed here, attacker.example nowhere, an https → http move never.
    expect(takeState(after, Date.now()).redirects).toEqual([]);
    const own = createHandleContext({ initialState: state });
    expect(takeState(own, Date.now()).redirects.map((r) => r.to)).toEqual([ARCHIVE_SOUTH, 'https://obs.cn-south-1.myhuaweicloud.com']);
    shutdown(after);
    shutdown(own);
  });

  it("keeps the most recent records up to the new handle's caps, and skips what it has no place for", async () => {
    const before = await learned();
    const state = takeState(before, Date.now());
    shutdown(before);
    const small = createHandleContext({ initialState: state, breaker: { maxEndpoints: 1 }, redirect: { cacheSize: 1 }, throttle: { maxEndpoints: 1 } });
    const taken = takeState(small, Date.now());
    expect(taken.breakers).toEqual([{ endpoint: LOGS, state: 'isolated' }]);
    expect(taken.redirects).toEqual([{ from: `${PATH_STYLE}/old`, to: 'https://obs.cn-south-1.myhuaweicloud.com' }]);
    expect(taken.paces).toHaveLength(2);
    shutdown(small);
    const none = createHandleContext({ initialState: state, breaker: false, throttle: false });
    expect(takeState(none, Date.now())).toMatchObject({ breakers: [], paces: [], clockOffsetMs: 4321 });
    shutdown(none);
  });

  it('a restored pace is at least the new handle\'s minRatePerSec', () => {
    const ctx = createHandleContext({ throttle: { minRatePerSec: 5 }, initialState: { version: 1, takenAt: START, breakers: [], paces: [{ endpoint: PHOTOS, class: 'read', ratePerSec: 0.001 }], redirects: [], clockOffsetMs: 0 } });
    expect(ctx.throttle?.rate(PHOTOS, 'read')).toBe(5);
    shutdown(ctx);
  });
});

describe('the handle: isolate, reset, snapshot', () => {
  it('isolate and reset read the endpoint as breakerState does, and answer false for what is not an endpoint, without throwing', () => {
    const handle = attachObsPolicies(axios.create(), { random: () => 0 });
    const seen: string[] = [];
    handle.on('circuitOpen', ({ endpoint }) => seen.push(`open ${endpoint}`));
    handle.on('circuitClose', ({ endpoint }) => seen.push(`close ${endpoint}`));
    expect(handle.isolate('HTTPS://Photos.obs.cn-north-4.myhuaweicloud.com:443/some/key?x=1')).toBe(true);
    expect(handle.breakerState(PHOTOS)).toBe('open');
    expect(handle.snapshot().breakers).toEqual([{ endpoint: PHOTOS, state: 'isolated' }]);
    for (const garbage of ['', 'not a url', '/relative', 42, null, undefined, { toString: () => PHOTOS }]) {
      expect(handle.isolate(garbage as string)).toBe(false);
      expect(handle.reset(garbage as string)).toBe(false);
    }
    expect(handle.reset(`${PHOTOS}/key`)).toBe(true);
    expect(handle.breakerState(PHOTOS)).toBe('closed');
    expect(seen).toEqual([`open ${PHOTOS}`, `close ${PHOTOS}`]);
    handle.detach();
    expect([handle.isolate(PHOTOS), handle.reset(PHOTOS)]).toEqual([false, false]);
    expect(handle.snapshot()).toMatchObject({ version: 1, breakers: [], paces: [], redirects: [] });
  });

  it('with breaker: false, isolate and reset answer false', () => {
    const handle = attachObsPolicies(axios.create(), { breaker: false });
    expect([handle.isolate(PHOTOS), handle.reset(PHOTOS)]).toEqual([false, false]);
    handle.detach();
  });

  it('a bad initialState throws at attach, leaves the instance without policies and no timer behind', () => {
    const instance = axios.create();
    expect(() => attachObsPolicies(instance, { initialState: { version: 2 } as unknown as ObsPolicyState })).toThrow(TypeError);
    expect(jest.getTimerCount()).toBe(0);
    const handle = attachObsPolicies(instance, {});
    handle.detach();
  });
});

/** Hostile states: near-valid records with extreme numbers, prototype keys and odd URLs. */
const hostileState = fc.record({
  version: fc.constantFrom<unknown>(1, 1, 1, 2, '1'),
  takenAt: fc.constantFrom<unknown>(0, START, 8.64e15, 1e300, -1, Number.NaN),
  breakers: fc.array(
    fc.oneof(
      fc.record({ endpoint: fc.constantFrom(PHOTOS, LOGS, 'http://127.0.0.1:1', 'https://a.example:443', '__proto__'), state: fc.constant('open'), halfOpenAt: fc.constantFrom(0, START - 1, START + 1, START + 2 ** 31, 8.64e15, 1e300), intervalMs: fc.constantFrom(1, 1000, 2 ** 31 - 1, 2 ** 31, 0.5, -1) }),
      fc.record({ endpoint: fc.constantFrom(PHOTOS, 'https://b.example'), state: fc.constantFrom('isolated', 'closed') }),
    ),
    { maxLength: 5 },
  ),
  paces: fc.array(fc.record({ endpoint: fc.constantFrom(PHOTOS, 'https://b.example'), class: fc.constantFrom('read', 'write', 'list', 'other', 'constructor'), ratePerSec: fc.constantFrom(1e-300, 0.5, 1, 1e9, 1e10, Number.MAX_VALUE) }), { maxLength: 5 }),
  redirects: fc.array(fc.record({ from: fc.constantFrom(ARCHIVE, `${PATH_STYLE}/b`, `${PATH_STYLE}/`, 'https://x.example'), to: fc.constantFrom(ARCHIVE_SOUTH, 'https://evil.example', 'http://archive.obs.cn-south-1.myhuaweicloud.com', 'https://u:p@evil.example') }), { maxLength: 5 }),
  clockOffsetMs: fc.constantFrom<unknown>(0, -5000, 8.64e15, -8.64e15, 1e300),
});

describe('initialState: hostile states', () => {
  it('a TypeError at attach, or a handle that runs its timers, snapshots and detaches without a throw', async () => {
    let handles = 0;
    await fc.assert(
      fc.asyncProperty(hostileState, async (state) => {
        let handle: ReturnType<typeof attachObsPolicies> | undefined;
        try {
          handle = attachObsPolicies(axios.create(), { initialState: state as unknown as ObsPolicyState });
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          expect(jest.getTimerCount()).toBe(0);
          return;
        }
        // Every restored wait fits a timer and ends within resetTimeoutMs.
        await jest.advanceTimersByTimeAsync(30_000);
        for (const record of handle.snapshot().breakers) expect(record.state).toBe('isolated');
        expect(JSON.parse(JSON.stringify(handle.snapshot()))).toEqual(handle.snapshot());
        for (const record of handle.snapshot().redirects) expect(record.to).toBe(ARCHIVE_SOUTH);
        handle.detach();
        expect(jest.getTimerCount()).toBe(0);
        handles++;
      }),
      {
        numRuns: 200,
        // A plainly valid state is always among the cases, whatever the seed draws.
        examples: [[{ version: 1, takenAt: START, breakers: [], paces: [{ endpoint: PHOTOS, class: 'read', ratePerSec: 1 }], redirects: [{ from: ARCHIVE, to: ARCHIVE_SOUTH }], clockOffsetMs: 0 }]],
      },
    );
    // The property saw both sides: states refused and states taken up.
    expect(handles).toBeGreaterThan(0);
  });
});
