/**
 * Reading one message of the news channel. Anyone who can publish on the
 * Redis can put anything there, so a message is trusted for nothing: too long,
 * not JSON, an unknown kind, a field of the wrong type or range, or a
 * prototype-named field, and it is dropped (`undefined`), silently.
 */
import type { FleetNews } from '../fleet/fleet-store.js';
import { newsOf } from '../fleet/fleet-items.js';

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
  return newsOf(parsed(message));
}
