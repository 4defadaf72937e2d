/**
 * The axios instance every axios-based client starts from, identical for all
 * of them so that differences come from the library under test: a keep-alive
 * agent with one socket per call in flight, the same timeout, `maxRedirects: 0`
 * (the policies set it on their own requests; bare axios and axios-retry would
 * otherwise load follow-redirects' wrapper on every request), and the same
 * `arraybuffer` body handling.
 */
import http from 'node:http';
import axios, { type AxiosInstance } from 'axios';
import type { BenchClient } from '../bench-client.js';
import { ABORTED } from '../bench-client.js';
import type { ClientSpec } from '../client-protocol.js';

/** An axios instance, its agent, and the URL its calls use. */
export interface AxiosBase {
  instance: AxiosInstance;
  agent: http.Agent;
  /** Relative (`/bucket/key`, with `baseURL` set) or absolute, per `spec.urlStyle`. */
  url: string;
}

/** Builds the shared axios setup of a spec. */
export function axiosBase(spec: ClientSpec): AxiosBase {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.sockets });
  const path = `/${spec.bucket}/${spec.key}`;
  const relative = spec.urlStyle === 'relative';
  const instance = axios.create({
    ...(relative ? { baseURL: spec.origin } : {}),
    httpAgent: agent,
    timeout: spec.timeoutMs,
    maxRedirects: 0,
    responseType: 'arraybuffer',
  });
  return { instance, agent, url: relative ? path : `${spec.origin}${path}` };
}

/** The code of an axios rejection: `HTTP_<status>` with a response, else the socket/axios error code. */
export function axiosCodeOf(error: unknown): string {
  if (axios.isCancel(error)) return ABORTED;
  if (axios.isAxiosError(error)) {
    if (error.response !== undefined) return `HTTP_${String(error.response.status)}`;
    return error.code ?? 'NetworkError';
  }
  return error instanceof Error ? error.name : 'Error';
}

/** A BenchClient over an axios setup (the instance may carry retry interceptors or policies). */
export function axiosClient(base: AxiosBase, codeOf: (error: unknown) => string, release: () => void): BenchClient {
  return {
    get: async (signal) => {
      await base.instance.get(base.url, { signal });
    },
    codeOf,
    close: () => {
      release();
      base.agent.destroy();
    },
  };
}
