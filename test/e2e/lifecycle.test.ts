/**
 * The life of a handle around its calls: `detach()` before, during and
 * between the requests of a call. The moments are set by the local server
 * (a scenario that detaches while the request is at the server) and by events
 * (the `retry` event comes just before the backoff wait), never by timing.
 */
import { describe, expect, it } from '@jest/globals';
import axios from 'axios';
import { attachObsPolicies, isObsError, type GiveUpEvent } from '../../src/index.js';
import { custom } from '../../src/testing/index.js';
import { bareClient, FAST, namesOf, nextEvent, obsRejection, policyClient, reasonsOf, recordEvents, rejectionOf, startServer } from '../support/harness.js';

describe('detach', () => {
  it('removes everything: the instance behaves as before and keeps no breaker or timer', async () => {
    const server = await startServer();
    const client = bareClient(server.url);
    const liveInterceptors = (): number =>
      (client.interceptors.request as unknown as { handlers: unknown[] }).handlers.filter((h) => h !== null).length;
    const interceptorsBefore = liveInterceptors();
    const handle = attachObsPolicies(client, { ...FAST, breaker: { resetTimeoutMs: 60_000, volumeThreshold: 1 } });
    server.enqueue({ error: 'InternalError' });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'InternalError', attempts: 1, reason: expect.stringMatching(/^circuit open/) });
    expect(handle.breakerState(new URL(server.url).origin)).toBe('open');
    handle.detach();
    expect(handle.detached).toBe(true);
    expect(liveInterceptors()).toBe(interceptorsBefore);
    expect(handle.breakerState(new URL(server.url).origin)).toBeUndefined();
    // A call after detach is plain axios: no ObsError, no retry of the SlowDown.
    server.enqueue({ error: 'SlowDown' });
    const error = await rejectionOf(client.get('/photos/a'));
    expect(isObsError(error)).toBe(false);
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error).toMatchObject({ status: 503, response: { status: 503 } });
    expect(server.requests).toHaveLength(2);
    // Attaching again after detach is allowed.
    const again = attachObsPolicies(client, FAST);
    again.detach();
  });

  describe('while a request is in flight (the server delays its answer past the detach)', () => {
    it('lets the request complete once and the call resolve with its answer; the breakers are gone', async () => {
      const server = await startServer();
      server.putObject('photos', 'a', 'A');
      const origin = new URL(server.url).origin;
      const { client, handle } = policyClient(server.url);
      let breakerAtServer: string | undefined;
      server.scenario(
        custom(() => {
          // The request passed the endpoint's breaker on its way here.
          breakerAtServer = handle.breakerState(origin);
          handle.detach();
          return { ok: true, delayMs: 20 };
        }),
      );
      const response = await client.get<string>('/photos/a');
      expect([response.status, response.data]).toEqual([200, 'A']);
      expect(breakerAtServer).toBe('closed');
      expect(server.requests).toHaveLength(1);
      expect(handle.detached).toBe(true);
      // Shut down at detach, and the late verdict of the request did not bring one back.
      expect(handle.breakerState(origin)).toBeUndefined();
    });

    it('ends a call whose answer fails fast with that real error', async () => {
      const server = await startServer();
      const { client, handle } = policyClient(server.url);
      server.scenario(
        custom(() => {
          handle.detach();
          return { error: 'NoSuchKey', delayMs: 20 };
        }),
      );
      await expect(client.get('/photos/a')).rejects.toMatchObject({ isObsError: true, obsCode: 'NoSuchKey', status: 404, action: 'fail', attempts: 1, reason: 'policy: fail' });
      expect(server.requests).toHaveLength(1);
    });
  });

  it('before the decision: a request that fails after the detach is not retried (reason detached, no retry token spent)', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retryBudget: { capacity: 10, retryCost: 5 } });
    const tokens = handle.retryBudgetTokens;
    server.scenario(
      custom(() => {
        handle.detach();
        return { error: 'InternalError', delayMs: 20 };
      }),
    );
    await expect(client.get('/photos/a')).rejects.toMatchObject({ isObsError: true, obsCode: 'InternalError', status: 500, action: 'circuit', attempts: 1, reason: 'detached' });
    expect(server.requests).toHaveLength(1);
    // decide() gave up: no retry was started (and then cut short), so the budget was not asked.
    expect(handle.retryBudgetTokens).toBe(tokens);
  });

  it('during a backoff wait: ends the wait at once, the call rejects with its last error (reason detached) and a giveUp says so', async () => {
    const server = await startServer();
    // A 10 s wait: had detach not ended it, the retry would reach the store and the call end on its NoSuchKey.
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 10_000, maxDelayMs: 10_000 }, random: () => 0.9 });
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' });
    const retrying = nextEvent(handle, 'retry');
    const call = obsRejection(client.get('/photos/a'));
    // The retry event comes just before the wait starts; once it has been delivered, the call is waiting.
    await retrying;
    handle.detach();
    const error = await call;
    expect([error.obsCode, error.status, error.action, error.attempts, error.reason]).toEqual(['SlowDown', 503, 'retry', 1, 'detached']);
    expect(server.requests).toHaveLength(1);
    expect(namesOf(events)).toEqual(['retry', 'giveUp']);
    expect(reasonsOf(events, 'giveUp')).toEqual(['detached']);
    expect((events[1]?.[1] as GiveUpEvent).error).toBe(error);
  });
});
