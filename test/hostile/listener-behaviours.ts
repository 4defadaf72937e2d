/**
 * What a hostile or careless listener does when it is called: returns, throws
 * (an Error or not), returns a rejecting promise, returns a thenable whose
 * `then` throws, unsubscribes itself, or detaches the whole handle.
 */
import fc from 'fast-check';
import type { ObsPolicyEventName, ObsPolicyHandle } from '../../src/index.js';
import { EVENT_NAMES } from '../support/event-names.js';

/** Every behaviour but `detach`: none of them may change a call's outcome. */
export const HARMLESS_BEHAVIOURS = ['return', 'throw', 'throw a non-Error', 'reject', 'hostile thenable', 'unsubscribe itself', 'once and throw'] as const;

/** What a listener does. */
export type Behaviour = (typeof HARMLESS_BEHAVIOURS)[number] | 'detach';

/** Per event, the behaviours of the listeners on it (up to two each). */
export const harmlessListeners: fc.Arbitrary<[ObsPolicyEventName, Behaviour[]][]> = fc.uniqueArray(
  fc.tuple(fc.constantFrom(...EVENT_NAMES), fc.array(fc.constantFrom(...HARMLESS_BEHAVIOURS), { minLength: 1, maxLength: 2 })),
  { selector: ([name]) => name, minLength: 1 },
);

/** Subscribes listeners with `behaviours` to `event` of `handle`. */
export function subscribe(handle: ObsPolicyHandle, event: ObsPolicyEventName, behaviours: readonly Behaviour[]): void {
  for (const behaviour of behaviours) {
    // Listeners are typed as returning void; hostile ones return anything, as plain JavaScript callers can.
    const listener = ((): unknown => {
      switch (behaviour) {
        case 'return':
          return undefined;
        case 'throw':
        case 'once and throw':
          throw new Error(`listener of ${event} throws`);
        case 'throw a non-Error':
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- a careless listener throws anything
          throw `listener of ${event} throws a string`;
        case 'reject':
          return Promise.reject(new Error(`listener of ${event} rejects`));
        case 'hostile thenable':
          return {
            then() {
              throw new Error(`then of ${event} throws`);
            },
          };
        case 'unsubscribe itself':
          handle.off(event, listener);
          return undefined;
        case 'detach':
          handle.detach();
          return undefined;
      }
    }) as () => void;
    if (behaviour === 'once and throw') handle.once(event, listener);
    else handle.on(event, listener);
  }
}
