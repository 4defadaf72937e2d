/**
 * One call's outcome and events, and the invariants every call keeps whatever
 * the server, the options or the listeners do: it settles (resolve XOR reject)
 * within a bound, and a failing call closes with exactly one of failFast,
 * giveUp, circuitReject, whose `error` is the rejection itself.
 */
import { CircuitOpenError, isObsError, type ObsPolicyEventName, type ObsPolicyHandle } from '../../src/index.js';
import { EVENT_NAMES } from '../support/event-names.js';

/** How a call ended. */
export type Outcome =
  | { type: 'resolved'; value: unknown }
  | { type: 'rejected'; error: unknown }
  /** Still pending when the watchdog fired. */
  | { type: 'hung' };

/** The events that close a failing call: one per failing call, none otherwise. */
export const CLOSING_EVENTS: readonly ObsPolicyEventName[] = ['failFast', 'giveUp', 'circuitReject'];

/** An event as recorded: its name and payload. */
export type Recorded = readonly [ObsPolicyEventName, unknown];

/**
 * Records every event of `handle` into whatever array `sink()` returns at the
 * time (the suite runs one call at a time per handle, so each call gets its own).
 */
export function recordInto(handle: ObsPolicyHandle, sink: () => Recorded[]): void {
  for (const name of EVENT_NAMES) {
    handle.on(name, (payload: unknown) => {
      sink().push([name, payload]);
    });
  }
}

/**
 * Waits for `call` to settle, for at most `boundMs`. Counts the settlements
 * seen through `then` (a promise settles once; a second one is a bug in the
 * promise-like the call returned). The watchdog timer is unref'd and cleared.
 */
export async function settleWithin(call: Promise<unknown>, boundMs: number): Promise<{ outcome: Outcome; settlements: () => number }> {
  let settlements = 0;
  let timer: NodeJS.Timeout | undefined;
  const watched = call.then(
    (value): Outcome => {
      settlements++;
      return { type: 'resolved', value };
    },
    (error: unknown): Outcome => {
      settlements++;
      return { type: 'rejected', error };
    },
  );
  const watchdog = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      resolve({ type: 'hung' });
    }, boundMs);
    timer.unref();
  });
  const outcome = await Promise.race([watched, watchdog]);
  clearTimeout(timer);
  return { outcome, settlements: () => settlements };
}

/** What is wrong with the closing events of one call (empty when nothing is). */
export function closingProblems(outcome: Outcome, events: readonly Recorded[]): string[] {
  const closing = events.filter(([name]) => CLOSING_EVENTS.includes(name));
  const names = closing.map(([name]) => name).join(', ');
  if (outcome.type === 'hung') return ['the call never settled'];
  if (outcome.type === 'resolved') return closing.length === 0 ? [] : [`a call that resolved emitted ${names}`];
  if (!isObsError(outcome.error)) {
    return closing.length === 0 ? [] : [`a call that rejected with ${describeError(outcome.error)} (not an ObsError) emitted ${names}`];
  }
  if (closing.length !== 1) return [`a failing call emitted ${String(closing.length)} closing events (${names || 'none'}) for ${describeError(outcome.error)}`];
  const [name, payload] = closing[0] ?? ['', undefined];
  const problems: string[] = [];
  if ((payload as { error?: unknown }).error !== outcome.error) problems.push(`the ${name} event carries another error than the rejection`);
  if ((name === 'circuitReject') !== outcome.error instanceof CircuitOpenError) problems.push(`${describeError(outcome.error)} closed with ${name}`);
  return problems;
}

/** A short description of a rejection, for messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}(${String((error as { code?: unknown }).code)}): ${error.message.slice(0, 200)}`;
  return `${typeof error} ${String(error)}`;
}
