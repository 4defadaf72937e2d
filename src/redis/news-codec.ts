/**
 * Reading one message of the news channel. Anyone who can publish on the
 * Redis can put anything there, so a message is trusted for nothing: too long,
 * not JSON, an unknown kind, a field of the wrong type or range, or a
 * prototype-named field, and it is dropped (`undefined`), silently.
 */
import type { FleetNews } from '../fleet/fleet-store.js';
import { fieldsOf, holdOf, offsetOf, openBreakerOf, paceOf, redirectOf, textOf } from './fleet-items.js';

/** The longest message read, characters; the news the store publishes are far shorter. */
export const MAX_NEWS_LENGTH = 16 * 1024;

function parsed(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return undefined;
  }
}

/** The news in `message`, or `undefined` when it is not a valid one. Never throws. */
export function decodeNews(message: unknown): FleetNews | undefined {
  if (typeof message !== 'string' || message.length > MAX_NEWS_LENGTH) return undefined;
  const fields = fieldsOf(parsed(message));
  const origin = textOf(fields?.origin);
  if (fields === undefined || origin === undefined) return undefined;
  switch (fields.kind) {
    case 'open': {
      const breaker = openBreakerOf(fields);
      return breaker && { kind: 'open', origin, ...breaker };
    }
    case 'close': {
      const endpoint = textOf(fields.endpoint);
      return endpoint === undefined ? undefined : { kind: 'close', origin, endpoint };
    }
    case 'pace': {
      const pace = paceOf(fields);
      return pace && { kind: 'pace', origin, ...pace };
    }
    case 'hold': {
      const hold = holdOf(fields);
      return hold && { kind: 'hold', origin, ...hold };
    }
    case 'redirect': {
      const redirect = redirectOf(fields);
      return redirect && { kind: 'redirect', origin, ...redirect };
    }
    case 'clock': {
      const serverMinusStoreMs = offsetOf(fields.serverMinusStoreMs);
      return serverMinusStoreMs === undefined ? undefined : { kind: 'clock', origin, serverMinusStoreMs };
    }
    default:
      return undefined;
  }
}
