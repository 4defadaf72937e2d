/**
 * axios-retry configured as its README suggests for a service like this:
 * 3 retries, exponential delay, retrying network errors, 5xx and 429 (its
 * default condition for idempotent requests). `options` from the parent
 * override `retries`.
 */
import axiosRetry, { exponentialDelay, isNetworkOrIdempotentRequestError } from 'axios-retry';
import type { BenchClient } from '../bench-client.js';
import type { ClientSpec } from '../client-protocol.js';
import { axiosBase, axiosClient, axiosCodeOf } from './axios-base.js';

/** Builds the axios-retry client. */
export function axiosWithRetry(spec: ClientSpec): BenchClient {
  const base = axiosBase(spec);
  const retries = typeof spec.options.retries === 'number' ? spec.options.retries : 3;
  const ids = axiosRetry(base.instance, { retries, retryDelay: exponentialDelay, retryCondition: isNetworkOrIdempotentRequestError });
  return axiosClient(base, axiosCodeOf, () => {
    base.instance.interceptors.request.eject(ids.requestInterceptorId);
    base.instance.interceptors.response.eject(ids.responseInterceptorId);
  });
}
