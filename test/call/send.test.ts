/**
 * sendRequest on a scripted adapter: what one request comes to (success, a
 * judged fault, a passthrough), and the gates before the adapter (an open
 * breaker, an aborted call with a sign hook) that send nothing.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { CanceledError, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import type { HandleContext } from '../../src/call/handle-context.js';
import { sendRequest, type SendingCall, type SendRequest } from '../../src/call/send.js';
import { resolveCallOptions } from '../../src/options/resolve.js';
import { callTarget } from '../../src/transport/request-target.js';
import { callConfig, handleContext, scriptedAdapter } from './fake-adapter.js';

/** The call a request belongs to, as sending sees it, and its first request. */
function sending(ctx: HandleContext, base: AxiosAdapter, config: InternalAxiosRequestConfig = callConfig()): { call: SendingCall; request: SendRequest } {
  const target = callTarget(config);
  if (target === undefined) throw new Error('the test config has no absolute URL');
  const call: SendingCall = { base, callConfig: config, method: 'GET', settings: resolveCallOptions(ctx.settings, undefined) };
  return { call, request: { target, keepParams: true, ownUrl: true, requestNumber: 1, hops: 0, deadline: Number.POSITIVE_INFINITY, refreshCredentials: false } };
}

describe('sendRequest', () => {
  it('hands back a success with the call’s own config on the response', async () => {
    const ctx = handleContext();
    const { base, requests } = scriptedAdapter([{ status: 200 }]);
    const { call, request } = sending(ctx, base);
    const sent = await sendRequest(ctx, call, request);
    expect([sent.sent, sent.result.type, requests.length]).toEqual([true, 'success', 1]);
    if (sent.result.type === 'success') expect(sent.result.response.config).toBe(call.callConfig);
  });

  it('judges a failed request by the policy table', async () => {
    const ctx = handleContext();
    const { base } = scriptedAdapter([{ status: 500, code: 'InternalError' }]);
    const { call, request } = sending(ctx, base);
    const sent = await sendRequest(ctx, call, request);
    expect(sent.sent).toBe(true);
    expect(sent.result).toMatchObject({ type: 'fault', fault: { code: 'InternalError', status: 500 }, policy: { action: 'circuit', matchedKey: 'InternalError' } });
  });

  it('passes a cancellation through as it is', async () => {
    const ctx = handleContext();
    const canceled = new CanceledError('canceled');
    const { base } = scriptedAdapter([{ reject: canceled }]);
    const { call, request } = sending(ctx, base);
    expect(await sendRequest(ctx, call, request)).toEqual({ result: { type: 'passthrough', error: canceled }, sent: true });
  });

  it('sends nothing to an endpoint whose breaker is open: a refusal, after a macrotask', async () => {
    const ctx = handleContext({ breaker: { consecutiveFailures: 1 } });
    try {
      const { base, requests } = scriptedAdapter([{ status: 500, code: 'InternalError' }]);
      const { call, request } = sending(ctx, base);
      await sendRequest(ctx, call, request);
      const refused = await sendRequest(ctx, call, { ...request, requestNumber: 2 });
      expect(refused).toEqual({ result: { type: 'refused', endpoint: request.target.origin, by: 'breaker' }, sent: false });
      expect(requests).toHaveLength(1);
    } finally {
      ctx.breakers?.shutdown();
    }
  });

  it('neither signs nor sends a request of a call already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const sign = jest.fn((config: InternalAxiosRequestConfig) => config);
    const ctx = handleContext({ sign });
    const { base, requests } = scriptedAdapter([]);
    const { call, request } = sending(ctx, base, callConfig({ signal: controller.signal }));
    expect(await sendRequest(ctx, call, request)).toEqual({ result: { type: 'aborted' }, sent: false });
    expect([sign.mock.calls.length, requests.length]).toEqual([0, 0]);
  });
});
