/**
 * The store as the handle uses it (`guarded`): `leave` is optional in the
 * `ObsFleetStore` contract, so a store without it gets one that does nothing,
 * and a store's own `leave` is bounded like every other operation.
 */
import { describe, expect, it } from '@jest/globals';
import type { ObsFleetStore } from '../../src/fleet/fleet-store.js';
import { guarded } from '../../src/fleet/guarded-store.js';

/** A store whose every operation resolves with nothing, with `leave` as given (or none). */
function storeWith(leave?: ObsFleetStore['leave']): ObsFleetStore {
  const resolved = (): Promise<never> => Promise.resolve(undefined as never);
  const store: ObsFleetStore = {
    connect: () => undefined,
    disconnect: () => undefined,
    load: resolved,
    storeMinusLocalMs: resolved,
    reportStreak: resolved,
    open: resolved,
    close: resolved,
    claimProbe: resolved,
    reportPace: resolved,
    setPace: resolved,
    hold: resolved,
    redirect: resolved,
    clock: resolved,
  };
  if (leave !== undefined) store.leave = leave;
  return store;
}

describe('guarded: leave', () => {
  it('resolves without doing anything on a store that has no leave', async () => {
    await expect(guarded(storeWith()).leave('http://127.0.0.1:1', 'read', 'p')).resolves.toBeUndefined();
  });

  it("passes a store's own leave its arguments", async () => {
    const calls: unknown[][] = [];
    const store = guarded(
      storeWith((...args) => {
        calls.push(args);
        return Promise.resolve();
      }),
    );
    await store.leave('http://127.0.0.1:1', 'list', 'p1');
    expect(calls).toEqual([['http://127.0.0.1:1', 'list', 'p1']]);
  });

  it('turns a leave that throws into a rejection', async () => {
    const store = guarded(
      storeWith(() => {
        throw new Error('boom');
      }),
    );
    await expect(store.leave('http://127.0.0.1:1', 'read', 'p')).rejects.toThrow('boom');
  });
});
