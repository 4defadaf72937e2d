/**
 * callSignal: the call's AbortSignal, or its axios CancelToken seen through
 * the same surface, or nothing; linkAbort: a real AbortSignal that follows it.
 */
import { describe, expect, it, jest } from '@jest/globals';
import axios, { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { callSignal, linkAbort } from '../../src/retry/call-signal.js';
import { EndpointPacer, PaceRefusal } from '../../src/throttle/endpoint-pacer.js';

function config(fields: Partial<InternalAxiosRequestConfig> = {}): InternalAxiosRequestConfig {
  return { headers: new AxiosHeaders(), url: 'https://b.obs.cn-north-4.myhuaweicloud.com/k', method: 'get', ...fields };
}

/** Lets the promise callbacks queued so far run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('callSignal', () => {
  it('returns config.signal itself, even when a cancel token is there too', () => {
    const controller = new AbortController();
    const source = axios.CancelToken.source();
    const signal = callSignal(config({ signal: controller.signal, cancelToken: source.token }));
    expect(signal).toBe(controller.signal);
    // The token is not watched: cancelling it does not show through.
    source.cancel('not this one');
    expect(signal?.aborted).toBe(false);
    controller.abort();
    expect(signal?.aborted).toBe(true);
  });

  it('sees a CancelToken as aborted once cancelled, and fires its listener once', async () => {
    const source = axios.CancelToken.source();
    const signal = callSignal(config({ cancelToken: source.token }));
    if (signal === undefined) throw new Error('expected a signal for the cancel token');
    expect(signal.aborted).toBe(false);
    const listener = jest.fn();
    signal.addEventListener('abort', listener, { once: true });
    source.cancel('stop');
    // aborted at once; axios calls the token's listeners from a promise callback.
    expect(signal.aborted).toBe(true);
    await flush();
    expect(listener).toHaveBeenCalledTimes(1);
    // axios ignores a second cancel: the listener is not called again.
    source.cancel('again');
    await flush();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('a removed listener is not called when the token is cancelled', async () => {
    const source = axios.CancelToken.source();
    const signal = callSignal(config({ cancelToken: source.token }));
    const removed = jest.fn();
    const kept = jest.fn();
    signal?.addEventListener('abort', removed);
    signal?.addEventListener('abort', kept);
    signal?.removeEventListener('abort', removed);
    source.cancel('stop');
    await flush();
    expect(removed).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(1);
  });

  it('sees a token cancelled before the call as already aborted', () => {
    const source = axios.CancelToken.source();
    source.cancel('before');
    expect(callSignal(config({ cancelToken: source.token }))?.aborted).toBe(true);
  });

  it('falls back to the cancel token when config.signal is not a usable signal', () => {
    const source = axios.CancelToken.source();
    const signal = callSignal(config({ signal: {} as AbortSignal, cancelToken: source.token }));
    expect(signal).toBeDefined();
    source.cancel('stop');
    expect(signal?.aborted).toBe(true);
  });

  it('returns undefined when the call has neither (or a cancelToken that is not one)', () => {
    expect(callSignal(config())).toBeUndefined();
    expect(callSignal(config({ cancelToken: {} as never }))).toBeUndefined();
    expect(callSignal(config({ cancelToken: null as never }))).toBeUndefined();
  });

  it('a cancel token ends a wait for the pace like an abort signal does', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const pacer = new EndpointPacer({ minRatePerSec: 1, windowMs: 1000, minSamples: 8 }, () => undefined, () => Date.now());
      // A Retry-After: nobody goes for a minute.
      pacer.record(true, 60_000, Date.now());
      const source = axios.CancelToken.source();
      const slot = pacer.acquire(callSignal(config({ cancelToken: source.token })), Infinity);
      expect(pacer.waiting).toBe(1);
      source.cancel('stop');
      await expect(slot).rejects.toEqual(new PaceRefusal('aborted'));
      expect(pacer.waiting).toBe(0);
      pacer.releaseAll();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('linkAbort', () => {
  const reason = new Error('the call was cancelled');

  it('aborts with the reason when the call signal aborts, and not after unlink', () => {
    const controller = new AbortController();
    const linked = linkAbort(controller.signal, () => reason);
    expect(linked.signal.aborted).toBe(false);
    controller.abort();
    expect([linked.signal.aborted, linked.signal.reason]).toEqual([true, reason]);
    const other = new AbortController();
    const unlinked = linkAbort(other.signal, () => reason);
    unlinked.unlink();
    other.abort();
    expect(unlinked.signal.aborted).toBe(false);
  });

  it('is aborted at once when the call signal already is, and follows a cancel token', async () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(linkAbort(aborted.signal, () => reason).signal.reason).toBe(reason);
    const source = axios.CancelToken.source();
    const linked = linkAbort(callSignal(config({ cancelToken: source.token })), () => reason);
    source.cancel('stop');
    await flush();
    expect(linked.signal.reason).toBe(reason);
  });

  it('never aborts without a call signal', () => {
    const linked = linkAbort(undefined, () => reason);
    linked.unlink();
    expect(linked.signal.aborted).toBe(false);
  });
});
