/**
 * Hostile `Retry-After` values against the local OBS server: a day
 * (`86400`), a far-future HTTP date, and values that are no Retry-After at all
 * (`-86400`, `-3600`, `abc 2099`, which `Date.parse` reads as far-future dates).
 * None may freeze the endpoint: the call's own wait and the endpoint's pause
 * are both capped at `maxDelayMs`, a call with `maxElapsedMs` is sent once the
 * capped pause is over instead of being refused unsent, and calls after the
 * pause go at once. Invalid values are ignored: the plain backoff applies and
 * nothing pauses.
 *
 * jest's fake clock drives every wait of the policies (`setTimeout`, `Date`), so
 * a day-long wait would show as a call that never goes; sockets, `setImmediate`
 * and `performance` stay real, so requests travel as usual.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { AxiosResponse } from 'axios';
import type { ObsPolicyOptions, RetryEvent } from '../../src/index.js';
import type { ObsTestServer } from '../../src/testing/index.js';
import { namesOf, policyClient, recordEvents, startServer } from '../support/harness.js';
import { fakeClock, ioUntil } from '../support/fake-clock-io.js';

/** The cap of one wait in these tests. */
const MAX_DELAY_MS = 1000;
/** The first retry's plain backoff: minDelayMs 1 × throttleMultiplier 4, jitter pinned to the middle. */
const PLAIN_BACKOFF_MS = 2;
/** Real-time bound of waiting for the sockets (a hang guard, not a speed assertion). */
const IO_BOUND_MS = 5000;

const FAR_FUTURE = 'Fri, 31 Dec 9999 23:59:59 GMT';

afterEach(() => {
  jest.useRealTimers();
});

/** A call whose outcome the test reads once it settled. */
interface Tracked {
  settled: boolean;
  response: AxiosResponse | undefined;
  error: unknown;
}

function track(promise: Promise<AxiosResponse>): Tracked {
  const tracked: Tracked = { settled: false, response: undefined, error: undefined };
  promise.then(
    (response) => {
      Object.assign(tracked, { settled: true, response });
    },
    (error: unknown) => {
      Object.assign(tracked, { settled: true, error });
    },
  );
  return tracked;
}

/** The status of a settled call, or its error's code. */
function outcomeOf(call: Tracked): number | string {
  if (call.response !== undefined) return call.response.status;
  return String((call.error as { obsCode?: unknown }).obsCode ?? call.error);
}

function options(maxElapsedMs: number | undefined): ObsPolicyOptions {
  return { retry: { minDelayMs: 1, maxDelayMs: MAX_DELAY_MS, retries: 2, ...(maxElapsedMs === undefined ? {} : { maxElapsedMs }) }, random: () => 0.5 };
}

/**
 * A server whose first answer is SlowDown with `retryAfter`, a client on the fake clock, and a
 * first call made and run to its `retry` event.
 */
async function firstRetry(retryAfter: string, maxElapsedMs: number | undefined) {
  const server: ObsTestServer = await startServer();
  server.putObject('photos', 'a', 'A');
  server.enqueue({ error: 'SlowDown', retryAfter });
  fakeClock();
  const { client, handle } = policyClient(server.url, options(maxElapsedMs));
  const events = recordEvents(handle);
  const first = track(client.get('/photos/a'));
  await ioUntil(() => events.length === 1, 'the retry after SlowDown', IO_BOUND_MS);
  return { server, client, events, first, delayMs: (events[0]?.[1] as RetryEvent).delayMs };
}

const HONOURED = [
  ['86400 (a day)', '86400'],
  ['a far-future HTTP date', FAR_FUTURE],
] as const;
const IGNORED = ['-86400', '-3600', 'abc 2099'] as const;
const BUDGETS = [
  ['with maxElapsedMs', 5000],
  ['without maxElapsedMs', undefined],
] as const;

describe.each(BUDGETS)('Retry-After %s', (_, maxElapsedMs) => {
  it.each(HONOURED)('%s: the call waits maxDelayMs, the pause ends with it, and later calls go at once', async (_name, retryAfter) => {
    const { server, client, events, first, delayMs } = await firstRetry(retryAfter, maxElapsedMs);
    expect(delayMs).toBe(MAX_DELAY_MS);
    // A call made during the pause waits for it (capped), never refused unsent.
    const during = track(client.get('/photos/a'));
    await jest.advanceTimersByTimeAsync(MAX_DELAY_MS);
    await ioUntil(() => first.settled && during.settled, 'the calls after the capped pause', IO_BOUND_MS);
    expect([outcomeOf(first), outcomeOf(during)]).toEqual([200, 200]);
    // After the pause, calls go without any wait: the clock stands still and they are answered.
    const later = [track(client.get('/photos/a')), track(client.get('/photos/a'))];
    await ioUntil(() => later.every((call) => call.settled), 'the calls after the pause', IO_BOUND_MS);
    expect(later.map(outcomeOf)).toEqual([200, 200]);
    expect(server.requests).toHaveLength(5);
    expect(namesOf(events)).toEqual(['retry']);
  });

  it.each(IGNORED)('%j is ignored: the plain backoff, no pause, later calls go at once', async (retryAfter) => {
    const { server, client, events, first, delayMs } = await firstRetry(retryAfter, maxElapsedMs);
    expect(delayMs).toBe(PLAIN_BACKOFF_MS);
    // Nothing pauses the endpoint: a call made now is answered while the clock stands still.
    const during = track(client.get('/photos/a'));
    await ioUntil(() => during.settled, 'a call during the retry wait', IO_BOUND_MS);
    await jest.advanceTimersByTimeAsync(PLAIN_BACKOFF_MS);
    await ioUntil(() => first.settled, 'the retried call', IO_BOUND_MS);
    expect([outcomeOf(first), outcomeOf(during)]).toEqual([200, 200]);
    expect(server.requests).toHaveLength(3);
    expect(namesOf(events)).toEqual(['retry']);
  });
});
