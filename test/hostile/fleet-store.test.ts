/**
 * Properties of a hostile fleet store (`ObsFleetStore` is public: a user may
 * bring their own). Whatever its operations do — answer, reject, throw
 * instead of rejecting, answer without a promise, answer garbage, never
 * settle — and whatever news and health reports it sends (garbage,
 * prototype names, absurd numbers, flapping), every call settles once with
 * at most one closing event, nothing goes unhandled, and the handle detaches
 * cleanly. The Redis store's own faults are tested against a real
 * redis-server in test/fleet and test/redis.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { FleetStoreListener, ObsFleetStore } from '../../src/index.js';
import { createObsServer, type ObsServerStep } from '../../src/testing/index.js';
import { closingProblems, recordInto, settleWithin, type Recorded } from './call-outcome.js';
import { closeHostileClients, hostileClient } from './hostile-clients.js';
import { letRejectionsSurface } from './process-faults.js';
import { useHostileSuite } from './suite-lifecycle.js';

const SEED = 20_261_207;
const BOUND_MS = 10_000;

/** What one store operation does. */
type Behaviour = 'answer' | 'reject' | 'throw' | 'notPromise' | 'garbage' | 'never';
const behaviour = fc.constantFrom<Behaviour>('answer', 'reject', 'throw', 'notPromise', 'garbage', 'never');

/** Garbage a store might send as news or answers. */
const garbage = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.string(),
  fc.integer(),
  fc.constant({ kind: 'open', origin: 'x', endpoint: '__proto__', waitMs: -1, intervalMs: Number.NaN }),
  fc.constant({ kind: 'open', origin: 'x', endpoint: 'http://photos.obs.test', waitMs: 2 ** 40, intervalMs: 2 ** 40 }),
  fc.constant({ kind: 'pace', origin: 'x', endpoint: 'http://photos.obs.test', class: 'read', fleetRatePerSec: -5, live: 0 }),
  fc.constant({ kind: 'pace', origin: 'x', endpoint: 'http://photos.obs.test', class: 'constructor', fleetRatePerSec: 1e300, live: Number.NaN }),
  fc.constant({ kind: 'hold', origin: 'x', endpoint: 'http://photos.obs.test', class: 'read', pauseMs: 2 ** 45 }),
  fc.constant({ kind: 'redirect', origin: 'x', from: 'http://photos.obs.test', to: 'javascript:alert(1)' }),
  fc.constant({ kind: 'clock', origin: 'x', serverMinusStoreMs: Number.POSITIVE_INFINITY }),
  fc.constant({ kind: 'close', origin: 'x', endpoint: 'toString' }),
  fc.constant({ kind: 'hasOwnProperty' }),
);

const VALID: Record<string, unknown> = {
  load: { breakers: [], paces: [], holds: [], redirects: [], serverMinusStoreMs: undefined },
  storeMinusLocalMs: 0,
  reportStreak: { opened: undefined },
  claimProbe: true,
  reportPace: { pace: { endpoint: 'http://photos.obs.test', class: 'read', fleetRatePerSec: null, live: 1 }, judge: undefined },
};

/** A store whose every operation behaves as `plan` says, and which sends `news` (and flaps its health) as calls go. */
function hostileStore(plan: Behaviour, junk: unknown[]): { store: ObsFleetStore; pushJunk: () => void } {
  let listener: FleetStoreListener | undefined;
  const operation =
    (name: string) =>
    (): unknown => {
      switch (plan) {
        case 'answer':
          return Promise.resolve(VALID[name]);
        case 'reject':
          return Promise.reject(new Error('store down'));
        case 'throw':
          throw new Error('store threw');
        case 'notPromise':
          return VALID[name] ?? 42;
        case 'garbage':
          return Promise.resolve(junk[0] ?? { opened: 'yes', pace: 7, judge: { window: null } });
        case 'never':
          return new Promise(() => undefined);
      }
    };
  const names = ['load', 'storeMinusLocalMs', 'reportStreak', 'open', 'close', 'claimProbe', 'reportPace', 'setPace', 'leave', 'hold', 'redirect', 'clock'];
  const store = Object.fromEntries(names.map((name) => [name, operation(name)])) as unknown as ObsFleetStore;
  store.connect = (given) => {
    listener = given;
  };
  store.disconnect = () => {
    listener = undefined;
  };
  return {
    store,
    pushJunk: () => {
      for (const item of junk) listener?.news(item as never);
      listener?.health('error', 'flap');
      listener?.health(undefined, 'flap');
    },
  };
}

const step = fc.constantFrom<ObsServerStep>({ error: 'InternalError' }, { error: 'SlowDown', retryAfter: 1 }, { error: 'NoSuchKey' }, { redirect: 301, location: '/k.txt' });

const suite = useHostileSuite(createObsServer);

describe('a hostile fleet store', () => {
  it('says only one of the three faults, with a short escaped text, whatever the store reports', () => {
    let listener: FleetStoreListener | undefined;
    const { store } = hostileStore('answer', []);
    store.connect = (given) => {
      listener = given;
    };
    const { handle } = hostileClient('http', 'http://photos.obs.test', { store });
    const downs: unknown[] = [];
    handle.on('storeDown', (event) => downs.push(event));
    listener?.health('bogus' as never, `\u001b[31m${'x'.repeat(5000)}`);
    listener?.health(undefined, 'back');
    listener?.health('timeout', { toString: () => 'secret' } as never);
    expect(downs).toEqual([
      { fault: 'error', detail: `\\x1b[31m${'x'.repeat(195)}` },
      { fault: 'timeout', detail: '' },
    ]);
  });

  it('never keeps a call from settling once, never leaks a rejection, and detaches cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(behaviour, fc.array(garbage, { maxLength: 6 }), fc.array(fc.array(step, { maxLength: 3 }), { minLength: 1, maxLength: 6 }), async (plan, junk, scripts) => {
        const faultsBefore = suite.faults.seen.length;
        suite.server.reset(true);
        suite.server.createBucket('photos');
        suite.server.putObject('photos', 'k.txt', 'hello');
        const { store, pushJunk } = hostileStore(plan, junk);
        const { client, handle } = hostileClient('http', `http://photos.obs.test:${String(suite.server.port)}`, {
          retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 },
          breaker: { consecutiveFailures: 2, firstResetTimeoutMs: 10 },
          random: () => 0.5,
          store,
        });
        for (const script of scripts) {
          const events: Recorded[] = [];
          recordInto(handle, () => events);
          suite.server.enqueue(...script);
          pushJunk();
          const { outcome, settlements } = await settleWithin(client.get('/k.txt', { responseType: 'text', timeout: 5_000 }), BOUND_MS);
          expect(outcome.type).not.toBe('hung');
          expect(settlements()).toBe(1);
          expect(closingProblems(outcome, events)).toEqual([]);
        }
        handle.detach();
        await letRejectionsSurface();
        await closeHostileClients();
        expect(suite.faults.seen.slice(faultsBefore)).toEqual([]);
      }),
      { seed: SEED, numRuns: 30 },
    );
  }, 120_000);
});
