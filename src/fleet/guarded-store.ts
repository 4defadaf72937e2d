/**
 * A fleet store as the handle uses it: every operation bounded, whatever the
 * store does. A store is the user's choice (`ObsFleetStore` is public), so one
 * that throws instead of rejecting, answers without a promise or never
 * settles must not throw into a breaker's event or keep a half-open breaker
 * waiting for a probe claim forever.
 */
import type { ObsFleetStore } from './fleet-store.js';

/** The longest the handle waits for any store operation before it counts as failed, ms (a store's own timeout is usually far shorter). */
const GUARD_MS = 5000;

/** `operation()`, rejecting when it throws, returns something that is not a promise, or does not settle within `GUARD_MS`. */
function bounded<T>(operation: () => Promise<T>): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = operation();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error('the fleet store threw'));
  }
  if (typeof (pending as Partial<Promise<T>> | null | undefined)?.then !== 'function') return Promise.reject(new Error('the fleet store answered without a promise'));
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('the fleet store did not answer'));
    }, GUARD_MS);
    (timer as { unref?: () => void }).unref?.();
    Promise.resolve(pending).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error('the fleet store failed'));
      },
    );
  });
}

/** A store as the handle uses it: every operation there (`leave` does nothing on a store without it). */
export type GuardedFleetStore = Required<ObsFleetStore>;

/** `store` with every operation `bounded`; `connect` and `disconnect` never throw out of it. */
export function guarded(store: ObsFleetStore): GuardedFleetStore {
  return {
    connect: (listener) => {
      try {
        store.connect(listener);
      } catch {
        listener.health('error', 'the fleet store could not connect');
      }
    },
    disconnect: () => {
      try {
        store.disconnect();
      } catch {
        // Detaching goes on whatever the store does.
      }
    },
    load: () => bounded(() => store.load()),
    storeMinusLocalMs: () => bounded(() => store.storeMinusLocalMs()),
    reportStreak: (...args) => bounded(() => store.reportStreak(...args)),
    open: (...args) => bounded(() => store.open(...args)),
    close: (...args) => bounded(() => store.close(...args)),
    claimProbe: (...args) => bounded(() => store.claimProbe(...args)),
    reportPace: (report) => bounded(() => store.reportPace(report)),
    setPace: (...args) => bounded(() => store.setPace(...args)),
    leave: (...args) => bounded(() => (store.leave === undefined ? Promise.resolve() : store.leave(...args))),
    hold: (...args) => bounded(() => store.hold(...args)),
    redirect: (...args) => bounded(() => store.redirect(...args)),
    clock: (...args) => bounded(() => store.clock(...args)),
  };
}

