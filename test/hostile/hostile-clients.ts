/**
 * Policy clients for the hostile suite, on either axios adapter, through the
 * same transport helpers as the e2e harness (every hostname → 127.0.0.1). The
 * suite runs in the `unit` project, which has no adapter of its own, so each
 * property picks the adapters it runs on. Everything made here is detached and
 * closed by {@link closeHostileClients}.
 */
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import { attachObsPolicies, type ObsPolicyHandle, type ObsPolicyOptions } from '../../src/index.js';
import type { TestAdapter } from '../support/adapter.js';
import { closeTransports, transportConfig, type TransportOptions } from '../support/transport.js';

/** The adapters every server property runs on. */
export const HOSTILE_ADAPTERS: readonly TestAdapter[] = ['http', 'fetch'];

const handles: ObsPolicyHandle[] = [];

/**
 * An axios client for `baseURL` on `adapter` with the policies attached.
 * @param extra more axios config; it wins over the transport defaults
 * @param transport e.g. `{ ca }` to trust the test certificate
 */
export function hostileClient(
  adapter: TestAdapter,
  baseURL: string,
  options: ObsPolicyOptions,
  extra: CreateAxiosDefaults = {},
  transport: TransportOptions = {},
): { client: AxiosInstance; handle: ObsPolicyHandle } {
  const client = axios.create({ baseURL, proxy: false, ...transportConfig(adapter, transport), ...extra });
  const handle = attachObsPolicies(client, options);
  handles.push(handle);
  return { client, handle };
}

/** Detaches every handle and destroys every agent and dispatcher made since the last call. */
export async function closeHostileClients(): Promise<void> {
  for (const handle of handles.splice(0)) handle.detach();
  await closeTransports();
}
