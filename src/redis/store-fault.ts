/**
 * What went wrong with Redis, told safely: an error of a store operation
 * becomes a fault (`timeout`, `closed` or `error`) and a detail built from a
 * fixed vocabulary plus, at most, a system error code (`ECONNREFUSED`) or the
 * first word of a Redis error reply (`WRONGTYPE`). Error messages are never
 * quoted: they may name hosts, URLs or arguments, and a detail is printed.
 */
import type { FleetStoreFault } from '../fleet/fleet-store.js';
import { UnexpectedAnswer } from './answer-codec.js';

/** A fault and its printable detail. */
export interface StoreFailure {
  readonly fault: FleetStoreFault;
  readonly detail: string;
}

/** Redis did not answer in time. */
export class StoreTimeout extends Error {
  override readonly name = 'StoreTimeout';

  /** @param limitMs how long the operation waited for its answer */
  constructor(readonly limitMs: number) {
    super('no answer in time');
  }
}

/** The rejection of a store operation: the store could not answer, for `fault`. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  /** Why. */
  readonly fault: FleetStoreFault;

  constructor(failure: StoreFailure) {
    super(`obs-axios-policies: the Redis fleet store is unavailable (${failure.fault}: ${failure.detail}).`);
    this.fault = failure.fault;
  }
}

/** Messages of ioredis that mean the connection is not there (the rest of such a message is not read). */
const CLOSED_MESSAGES: readonly string[] = ['Connection is closed', "Stream isn't writeable", 'enableOfflineQueue', 'Command cannot be queued'];

function textField(error: unknown, name: string): string {
  if (error === null || typeof error !== 'object') return '';
  try {
    const value: unknown = (error as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

/** A system error code such as `ECONNREFUSED`, or `undefined`. */
export function systemCodeOf(error: unknown): string | undefined {
  const code = textField(error, 'code');
  return /^E[A-Z]{2,20}$/.test(code) ? code : undefined;
}

/** The failure that `error`, from a store operation, means. */
export function failureOf(error: unknown): StoreFailure {
  if (error instanceof StoreUnavailable) return { fault: error.fault, detail: 'unavailable' };
  if (error instanceof StoreTimeout) return { fault: 'timeout', detail: `no answer within ${String(error.limitMs)} ms` };
  if (error instanceof UnexpectedAnswer) return { fault: 'error', detail: 'unexpected answer' };
  const name = textField(error, 'name');
  const message = textField(error, 'message');
  const code = systemCodeOf(error);
  if (code !== undefined) return { fault: 'closed', detail: `connection failed (${code})` };
  if (name === 'MaxRetriesPerRequestError' || CLOSED_MESSAGES.some((known) => message.includes(known))) {
    return { fault: 'closed', detail: 'connection closed' };
  }
  if (name === 'ReplyError') {
    const word = /^[A-Z]{2,20}\b/.exec(message)?.[0];
    return { fault: 'error', detail: word === undefined ? 'Redis replied an error' : `Redis replied ${word}` };
  }
  return { fault: 'error', detail: 'unexpected error' };
}
