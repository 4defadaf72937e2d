/**
 * A call whose sign hook has not settled still ends at once when its signal
 * aborts (AbortController or CancelToken) or its axios `timeout` passes, and
 * nothing is sent for it afterwards: the config the hook hands back late is
 * dropped. The breaker's probe slot is freed, and a hook timeout teaches the
 * breaker nothing (the endpoint never saw the request).
 *
 * No assertion here reads a clock: "at once" is checked as "before the hook
 * is released" (the hook cannot settle before the test releases it), and the
 * fallback bound of {@link settledWithin} only keeps a broken build from
 * hanging the test: the rejection it waits for is a chain of promise jobs,
 * which all run before any timer.
 */
import { describe, expect, it } from '@jest/globals';
import axios, { AxiosError, CanceledError } from 'axios';
import type { SignHook } from '../../src/index.js';
import { deferred, FAST, nextEvent, obsRejection, policyClient, rejectionOf, sleep, startServer, type Deferred } from '../support/harness.js';

/** What a call came to by the time a bound passed: its rejection, or `pending`. */
async function settledWithin(call: Promise<unknown>, boundMs = 5000): Promise<{ error: unknown } | 'pending'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => {
      resolve('pending');
    }, boundMs);
  });
  try {
    return await Promise.race([rejectionOf(call).then((error) => ({ error })), bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** A sign hook that, for `path`, announces it runs and then waits for the test's release. */
function heldHook(path: string): { sign: SignHook; reached: Deferred<void>; release: Deferred<void>; finished: Deferred<void> } {
  const reached = deferred();
  const release = deferred();
  const finished = deferred();
  const sign: SignHook = async (config) => {
    if (new URL(String(config.url)).pathname !== path) return config;
    reached.resolve();
    await release.promise;
    config.headers.set('x-signed', 'late');
    finished.resolve();
    return config;
  };
  return { sign, reached, release, finished };
}

describe('aborting a call while its sign hook runs', () => {
  it('rejects at once with a CanceledError, and the DELETE the hook signs late is never sent', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const hook = heldHook('/photos/a.txt');
    const { client } = policyClient(server.url, { ...FAST, sign: hook.sign });
    const controller = new AbortController();
    const call = client.delete('/photos/a.txt', { signal: controller.signal });
    await hook.reached.promise;
    controller.abort();
    const outcome = await settledWithin(call);
    // Rejected while the hook was still waiting for its release.
    expect(outcome).not.toBe('pending');
    const { error } = outcome as { error: unknown };
    expect(error).toBeInstanceOf(CanceledError);
    expect(axios.isCancel(error)).toBe(true);
    hook.release.resolve();
    await hook.finished.promise;
    // Anything the late config would send goes out before a later call on the same client answers.
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
    expect(server.countRequests({ method: 'DELETE' })).toBe(0);
    expect(server.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('does the same for an axios CancelToken', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const hook = heldHook('/photos/a.txt');
    const { client } = policyClient(server.url, { ...FAST, sign: hook.sign });
    const source = axios.CancelToken.source();
    const call = client.delete('/photos/a.txt', { cancelToken: source.token });
    await hook.reached.promise;
    source.cancel('stop');
    const outcome = await settledWithin(call);
    expect(outcome).not.toBe('pending');
    expect(axios.isCancel((outcome as { error: unknown }).error)).toBe(true);
    hook.release.resolve();
    await hook.finished.promise;
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
    expect(server.countRequests({ method: 'DELETE' })).toBe(0);
  });

  it('sends nothing when the call is aborted by the time the hook hands its config back', async () => {
    const server = await startServer();
    const controller = new AbortController();
    // The hook itself aborts the call, then hands back its config: synchronously and through a promise.
    const { client } = policyClient(server.url, {
      ...FAST,
      sign: (config) => {
        controller.abort();
        return config.method === 'delete' ? config : Promise.resolve(config);
      },
    });
    expect(await rejectionOf(client.delete('/photos/a.txt', { signal: controller.signal }))).toBeInstanceOf(CanceledError);
    const again = new AbortController();
    const late = policyClient(server.url, {
      ...FAST,
      sign: (config) => {
        again.abort();
        return Promise.resolve(config);
      },
    });
    expect(await rejectionOf(late.client.put('/photos/a.txt', 'A', { signal: again.signal }))).toBeInstanceOf(CanceledError);
    expect(server.requests).toHaveLength(0);
  });

  it('frees the half-open probe slot: the next call is let through as the probe', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const hook = heldHook('/photos/probe');
    const { client, handle } = policyClient(server.url, { ...FAST, sign: hook.sign, breaker: { consecutiveFailures: 1, resetTimeoutMs: 50 } });
    const origin = new URL(server.url).origin;
    server.enqueue({ error: 'InternalError' });
    await expect(client.get('/photos/a.txt', { obs: { retry: { retries: 0 } } })).rejects.toMatchObject({ obsCode: 'InternalError' });
    expect(handle.breakerState(origin)).toBe('open');
    await nextEvent(handle, 'circuitHalfOpen');
    const controller = new AbortController();
    // The probe: past the breaker's gate, held in its hook, then aborted.
    const probe = client.get('/photos/probe', { signal: controller.signal });
    await hook.reached.promise;
    controller.abort();
    expect(await settledWithin(probe)).toEqual({ error: expect.any(CanceledError) as unknown });
    // With the slot freed, this call is the new probe (a held slot would refuse it with CircuitOpen).
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
    expect(handle.breakerState(origin)).toBe('closed');
    hook.release.resolve();
    await hook.finished.promise;
    await sleep(0);
    expect(server.countRequests({ path: '/photos/probe' })).toBe(0);
  });
});

describe("a sign hook that outlasts the call's timeout", () => {
  it('ends the attempt with an axios ECONNABORTED timeout, retried as a Timeout, and sends nothing', async () => {
    const server = await startServer();
    let signs = 0;
    const { client, handle } = policyClient(server.url, {
      ...FAST,
      breaker: { consecutiveFailures: 1 },
      // Never settles.
      sign: () => {
        signs++;
        return new Promise(() => undefined);
      },
    });
    const retries: unknown[] = [];
    handle.on('retry', (event) => retries.push(event.error.obsCode));
    const error = await obsRejection(client.delete('/photos/a.txt', { timeout: 50, obs: { retry: { retries: 1 } } }));
    expect(error).toMatchObject({ obsCode: 'Timeout', kind: 'timeout', code: 'ECONNABORTED', attempts: 0, reason: 'retries exhausted (1)' });
    expect(error.message).toContain('timeout of 50ms exceeded');
    const cause = (error as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(AxiosError);
    expect(cause).toMatchObject({ code: 'ECONNABORTED', message: 'timeout of 50ms exceeded' });
    // Signed twice (the first attempt and its one retry), and nothing reached the server.
    expect(signs).toBe(2);
    expect(retries).toEqual(['Timeout']);
    expect(server.requests).toHaveLength(0);
    // The endpoint never saw a request: its breaker learned nothing.
    expect(handle.breakerState(new URL(server.url).origin)).not.toBe('open');
  });

  it("uses the call's timeoutErrorMessage and clarifyTimeoutError like axios does", async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, sign: () => new Promise(() => undefined) });
    const error = await obsRejection(
      client.get('/photos/a.txt', { timeout: 20, timeoutErrorMessage: 'signing took too long', transitional: { clarifyTimeoutError: true }, obs: { retry: { retries: 0 } } }),
    );
    expect(error).toMatchObject({ obsCode: 'Timeout', code: 'ETIMEDOUT', attempts: 0 });
    expect((error as { cause?: unknown }).cause).toMatchObject({ code: 'ETIMEDOUT', message: 'signing took too long' });
    expect(server.requests).toHaveLength(0);
    // A custom message alone still makes a Timeout.
    const plain = await obsRejection(client.get('/photos/a.txt', { timeout: 20, timeoutErrorMessage: 'signing took too long', obs: { retry: { retries: 0 } } }));
    expect(plain).toMatchObject({ obsCode: 'Timeout', kind: 'timeout', code: 'ECONNABORTED', attempts: 0 });
  });

  it('a hook that settles within the timeout sends as usual', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client } = policyClient(server.url, { ...FAST, sign: (config) => Promise.resolve(config) });
    expect((await client.get<string>('/photos/a.txt', { timeout: 5000 })).data).toBe('A');
    expect(server.requests).toHaveLength(1);
  });
});
