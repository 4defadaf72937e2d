/**
 * A scripted stand-in for the adapter the policies wrap, for the unit tests of
 * one call (`PolicyCall`, `sendRequest`): each request takes the next step of
 * the script. Behaviour against a real server is test/e2e's job; these tests
 * pin the engine's own sequencing (counts, draws, waits, endings).
 */
import { AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { PolicyCall } from '../../src/call/policy-call.js';
import { createHandleContext, type HandleContext } from '../../src/call/handle-context.js';
import { resolveCallOptions } from '../../src/options/resolve.js';
import type { ObsPolicyOptions } from '../../src/options/types.js';
import { callTarget } from '../../src/transport/request-target.js';

/** One answer of the script: an OBS error (status and code), a success, a redirect, or an adapter rejection. */
export type Step = { status: number; code?: string; location?: string } | { reject: unknown };

/** The URL every scripted call starts at (an official OBS host, so redirects between them are allowed). */
export const START_URL = 'https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg';

/** A base adapter that answers each request with the next step (a 200 once the script runs out), and records what it was sent. */
export function scriptedAdapter(steps: Step[]): { base: AxiosAdapter; requests: InternalAxiosRequestConfig[] } {
  const requests: InternalAxiosRequestConfig[] = [];
  const base: AxiosAdapter = (config) => {
    requests.push(config);
    const step = steps.shift() ?? { status: 200 };
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the script's own rejection, whatever it is
    if ('reject' in step) return Promise.reject(step.reject);
    const headers = new AxiosHeaders();
    let data = 'ok';
    if (step.code !== undefined) {
      headers.set('content-type', 'application/xml');
      data = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${step.code}</Code><Message>scripted</Message><RequestId>r1</RequestId></Error>`;
    }
    if (step.location !== undefined) headers.set('location', step.location);
    const response: AxiosResponse = { status: step.status, statusText: '', headers, data, config, request: {} };
    return Promise.resolve(response);
  };
  return { base, requests };
}

/** The config axios would hand the wrapped adapter for a GET of {@link START_URL}. */
export function callConfig(over: Partial<InternalAxiosRequestConfig> = {}): InternalAxiosRequestConfig {
  return {
    url: START_URL,
    method: 'get',
    headers: new AxiosHeaders(),
    validateStatus: (status: number) => status >= 200 && status < 300,
    ...over,
  };
}

/** A handle's shared state for the tests: no breaker and no pacing unless asked for. */
export function handleContext(options: ObsPolicyOptions = {}): HandleContext {
  return createHandleContext({ breaker: false, throttle: false, ...options });
}

/** One call of `ctx` through `base`, as attach() builds it. */
export function policyCall(ctx: HandleContext, base: AxiosAdapter, config: InternalAxiosRequestConfig = callConfig()): PolicyCall {
  const target = callTarget(config);
  if (target === undefined) throw new Error('the test config has no absolute URL');
  return new PolicyCall(ctx, config, base, resolveCallOptions(ctx.settings, undefined), target);
}
