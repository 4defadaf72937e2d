/**
 * attachObsPolicies on a real axios instance whose adapter is a scripted fake:
 * the interceptor it installs (once per instance, ejected by detach), the calls
 * it leaves alone (`obs: false`, after detach), the adapter settings it wraps
 * (the instance's, a per-request one, a re-dispatched config's, never nested),
 * and what the handle reads and delegates. Waits are 0 ms (`random: () => 0`).
 */
import { describe, expect, it } from '@jest/globals';
import axios, { type AxiosAdapter, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { attachObsPolicies, isObsError, type ObsPolicyHandle, type ObsPolicyOptions } from '../src/index.js';
import { scriptedAdapter, START_URL, type Step } from './call/fake-adapter.js';
import { rejectionOf } from './support/harness.js';

/** The origin of {@link START_URL}. */
const ORIGIN = new URL(START_URL).origin;

/** Options that keep a test free of timers: no breaker, no pacing, 0 ms waits. */
const QUIET: ObsPolicyOptions = { breaker: false, throttle: false, random: () => 0 };

/** An axios instance on a scripted fake adapter, with the policies attached. */
function attached(steps: Step[], options: ObsPolicyOptions = QUIET): {
  client: AxiosInstance;
  handle: ObsPolicyHandle;
  requests: InternalAxiosRequestConfig[];
  base: AxiosAdapter;
} {
  const { base, requests } = scriptedAdapter(steps);
  const client = axios.create({ adapter: base });
  return { client, handle: attachObsPolicies(client, options), requests, base };
}


/** `n` SlowDown answers. */
function slowDowns(n: number): Step[] {
  return Array.from({ length: n }, () => ({ status: 503, code: 'SlowDown' }));
}

describe('attachObsPolicies: the interceptor', () => {
  it('refuses a second attach on the same instance, and allows one after detach', () => {
    const { client, handle } = attached([]);
    expect(() => attachObsPolicies(client, QUIET)).toThrow(/already has policies attached/);
    handle.detach();
    const again = attachObsPolicies(client, QUIET);
    expect(again.detached).toBe(false);
    again.detach();
  });

  it('retries through the fake adapter while attached', async () => {
    const { client, handle, requests } = attached([{ status: 503, code: 'SlowDown' }, { status: 200 }]);
    expect((await client.get(START_URL)).status).toBe(200);
    expect(requests).toHaveLength(2);
    handle.detach();
  });

  it('detach() ejects the interceptor: a later call goes to the fake adapter untouched and a 503 is not retried', async () => {
    const { client, handle, requests, base } = attached(slowDowns(3));
    expect(handle.detached).toBe(false);
    handle.detach();
    expect(handle.detached).toBe(true);
    // The fake adapter resolves every status (a real one applies validateStatus): the bare 503 comes back as it is.
    expect((await client.get(START_URL)).status).toBe(503);
    expect(requests).toHaveLength(1);
    // The adapter got the instance's own setting and axios's own validateStatus: nothing of the policies.
    expect(requests[0]?.adapter).toBe(base);
    expect(typeof requests[0]?.validateStatus).toBe('function');
    expect(requests[0]?.maxRedirects).toBeUndefined();
  });

  it('detach twice is a no-op', () => {
    const { handle } = attached([]);
    handle.detach();
    expect(() => {
      handle.detach();
    }).not.toThrow();
    expect(handle.detached).toBe(true);
  });

  it('obs: false bypasses the policies for one call, and the next call has them again', async () => {
    const { client, handle, requests, base } = attached([...slowDowns(1), ...slowDowns(1), { status: 200 }]);
    // The fake adapter resolves every status (a real one applies validateStatus): the bare 503 comes back as it is.
    expect((await client.get(START_URL, { obs: false })).status).toBe(503);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.adapter).toBe(base);
    expect((await client.get(START_URL)).status).toBe(200);
    expect(requests).toHaveLength(3);
    handle.detach();
  });

  it.each([
    ['a negative retry count', { retry: { retries: -2 } }, /obs\.retry\.retries/],
    ['an unknown option', { retires: 3 }, /obs\.retires/],
    ['not an object', 'fast', /obs/],
  ])('rejects a call whose obs value is invalid (%s) with a TypeError and never calls the adapter', async (_name, obs, message) => {
    const { client, handle, requests } = attached([]);
    const error = await rejectionOf(client.get(START_URL, { obs: obs as never }));
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(message);
    expect(requests).toHaveLength(0);
    handle.detach();
  });
});

describe('attachObsPolicies: the adapters it wraps', () => {
  it('wraps a per-request adapter setting too: the policies apply to it, the instance’s adapter is not called', async () => {
    const { client, handle, requests } = attached([]);
    const own = scriptedAdapter([{ status: 503, code: 'SlowDown' }, { status: 200 }]);
    expect((await client.get(START_URL, { adapter: own.base })).status).toBe(200);
    expect(own.requests).toHaveLength(2);
    expect(requests).toHaveLength(0);
    handle.detach();
  });

  it('does not nest the wrapper when a user interceptor re-dispatches a failed call’s config through the instance', async () => {
    const { client, handle, requests } = attached(slowDowns(10), { ...QUIET, retry: { retries: 1 } });
    let redispatched = 0;
    client.interceptors.response.use(undefined, (error: unknown) => {
      const config = (error as { config?: InternalAxiosRequestConfig }).config;
      if (redispatched > 0 || config === undefined) throw error;
      redispatched++;
      return client.request(config);
    });
    const error = await rejectionOf(client.get(START_URL));
    expect(redispatched).toBe(1);
    expect(isObsError(error)).toBe(true);
    // Two requests per call (one retry each); a nested wrapper would retry each inner call: 2 + 4.
    expect(requests).toHaveLength(4);
    handle.detach();
  });

  it('does not nest the wrapper when a failed call’s config is sent again through the instance', async () => {
    const { client, handle, requests } = attached(slowDowns(10), { ...QUIET, retry: { retries: 1 } });
    const first = await rejectionOf(client.get(START_URL));
    const config = (first as { config: InternalAxiosRequestConfig }).config;
    const again = await rejectionOf(client.request(config));
    expect([isObsError(first), isObsError(again)]).toEqual([true, true]);
    expect(requests).toHaveLength(4);
    handle.detach();
  });
});

describe('attachObsPolicies: what the handle reads', () => {
  it('reads breakerState, paceOf and clockOffsetMs from the state it was given', () => {
    const { handle } = attached([], {
      random: () => 0,
      initialState: {
        version: 1,
        takenAt: Date.now(),
        breakers: [{ endpoint: ORIGIN, state: 'isolated' }],
        paces: [
          { endpoint: ORIGIN, class: 'read', ratePerSec: 8 },
          { endpoint: ORIGIN, class: 'write', ratePerSec: 3 },
        ],
        redirects: [],
        clockOffsetMs: 1234,
      },
    });
    try {
      expect(handle.breakerState(START_URL)).toBe('open');
      expect(handle.breakerState(ORIGIN.toUpperCase())).toBe('open');
      expect(handle.breakerState('https://other.obs.cn-north-4.myhuaweicloud.com')).toBeUndefined();
      expect(handle.paceOf(START_URL)).toBe(3);
      expect(handle.paceOf(ORIGIN, 'read')).toBe(8);
      expect(handle.paceOf(ORIGIN, 'list')).toBeNull();
      expect(handle.paceOf('https://other.obs.cn-north-4.myhuaweicloud.com')).toBeNull();
      expect(handle.clockOffsetMs).toBe(1234);
    } finally {
      handle.detach();
    }
  });

  it.each(['', 'not a url', '/photos/a', 'http://', 'http://[::1', undefined, null, 42, {}])('answers undefined / null for a garbage endpoint (%p), never throwing', (garbage) => {
    const { handle } = attached([], { random: () => 0 });
    try {
      expect(handle.breakerState(garbage as string)).toBeUndefined();
      expect(handle.paceOf(garbage as string)).toBeNull();
      expect(handle.paceOf(garbage as string, 'read')).toBeNull();
    } finally {
      handle.detach();
    }
  });

  it('reads a breaker opened by a call, and none with breaker: false', async () => {
    const { client, handle } = attached([{ status: 500, code: 'InternalError' }], {
      random: () => 0,
      throttle: false,
      retry: { retries: 0 },
      breaker: { consecutiveFailures: 1, resetTimeoutMs: 60_000 },
    });
    try {
      expect(handle.breakerState(START_URL)).toBeUndefined();
      await rejectionOf(client.get(START_URL));
      expect(handle.breakerState(START_URL)).toBe('open');
    } finally {
      handle.detach();
    }
    const quiet = attached([{ status: 500, code: 'InternalError' }], { ...QUIET, retry: { retries: 0 } });
    await rejectionOf(quiet.client.get(START_URL));
    expect(quiet.handle.breakerState(START_URL)).toBeUndefined();
    quiet.handle.detach();
  });

  it('reads the retry budget: full at first, a retry’s cost less after a failed call that retried, Infinity when off', async () => {
    const { client, handle } = attached([{ status: 500, code: 'InternalError' }, { status: 500, code: 'InternalError' }], {
      ...QUIET,
      retry: { retries: 1 },
      retryBudget: { capacity: 50, retryCost: 7 },
    });
    expect(handle.retryBudgetTokens).toBe(50);
    await rejectionOf(client.get(START_URL));
    expect(handle.retryBudgetTokens).toBe(43);
    handle.detach();
    const off = attached([], { ...QUIET, retryBudget: false });
    expect(off.handle.retryBudgetTokens).toBe(Number.POSITIVE_INFINITY);
    off.handle.detach();
  });

  it('reads the clock offset learned from a RequestTimeTooSkewed answer (0 before)', async () => {
    const serverNow = Date.now() + 3_600_000;
    const requests: InternalAxiosRequestConfig[] = [];
    const base: AxiosAdapter = (config) => {
      requests.push(config);
      if (requests.length === 1) {
        const headers = new axios.AxiosHeaders({ 'content-type': 'application/xml', date: new Date(serverNow).toUTCString() });
        const data = '<Error><Code>RequestTimeTooSkewed</Code><Message>skewed</Message></Error>';
        return Promise.resolve({ status: 403, statusText: '', headers, data, config, request: {} });
      }
      return Promise.resolve({ status: 200, statusText: '', headers: new axios.AxiosHeaders(), data: 'ok', config, request: {} });
    };
    const client = axios.create({ adapter: base });
    const handle = attachObsPolicies(client, { ...QUIET, sign: (config) => config });
    try {
      expect(handle.clockOffsetMs).toBe(0);
      expect((await client.get(START_URL)).status).toBe(200);
      expect(requests).toHaveLength(2);
      // The server's Date has a one-second resolution; the offset is learned against the local clock of the answer.
      expect(Math.abs(handle.clockOffsetMs - 3_600_000)).toBeLessThan(60_000);
    } finally {
      handle.detach();
    }
  });
});

describe('attachObsPolicies: events', () => {
  it('on, once and off delegate to the handle’s emitter: a once listener fires once', async () => {
    const { client, handle } = attached(slowDowns(2), { ...QUIET, retry: { retries: 2 } });
    const onAttempts: number[] = [];
    const onceAttempts: number[] = [];
    const removed: number[] = [];
    const unsubscribe = handle.on('retry', (event) => onAttempts.push(event.attempt));
    handle.once('retry', (event) => onceAttempts.push(event.attempt));
    const listener = (event: { attempt: number }): void => {
      removed.push(event.attempt);
    };
    handle.on('retry', listener);
    handle.off('retry', listener);
    expect((await client.get(START_URL)).status).toBe(200);
    expect(onAttempts).toEqual([1, 2]);
    expect(onceAttempts).toEqual([1]);
    expect(removed).toEqual([]);
    unsubscribe();
    handle.detach();
  });

  it('the unsubscribe function of on() stops the listener', async () => {
    const { client, handle } = attached([...slowDowns(1), { status: 200 }, ...slowDowns(1)], QUIET);
    const seen: number[] = [];
    const unsubscribe = handle.on('retry', (event) => seen.push(event.attempt));
    await client.get(START_URL);
    unsubscribe();
    await client.get(START_URL);
    expect(seen).toEqual([1]);
    handle.detach();
  });
});
