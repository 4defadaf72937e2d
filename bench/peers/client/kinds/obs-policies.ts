/**
 * obs-axios-policies, imported from the BUILT package (`dist/index.js`) so the
 * shipped code is what is measured. `options` from the parent go to
 * `attachObsPolicies` as they are: a variant with `{ breaker: { … } }` or a
 * future `{ throttle: { … } }` needs no code here. Options the built package
 * does not know make `attachObsPolicies` throw, which fails this client's
 * `open` with the package's own message. A `store: { redis: true, … }`
 * marker becomes a Redis fleet store on the spec's Redis and prefix
 * (`store/attach-store.ts`).
 */
import { pathToFileURL } from 'node:url';
import type * as Policies from '../../../../src/index.js';
import { attachStore } from '../../store/attach-store.js';
import { ABORTED, type BenchClient } from '../bench-client.js';
import type { ClientSpec } from '../client-protocol.js';
import { axiosBase, axiosClient, axiosCodeOf } from './axios-base.js';

/** Builds the obs-axios-policies client. */
export async function obsPolicies(spec: ClientSpec): Promise<BenchClient> {
  // Typed as the source's exports; loaded from the build.
  const policies = (await import(pathToFileURL(spec.distEntry).href)) as typeof Policies;
  const store = await attachStore(spec.distEntry, spec.options, spec.store);
  const base = axiosBase(spec);
  let handle: Policies.ObsPolicyHandle;
  try {
    handle = policies.attachObsPolicies(base.instance, store.options);
  } catch (error) {
    store.close();
    throw error;
  }
  const codeOf = (error: unknown): string => {
    if (policies.isObsError(error)) return error.obsCode;
    const code = axiosCodeOf(error);
    return code === 'ERR_CANCELED' ? ABORTED : code;
  };
  return axiosClient(base, codeOf, () => {
    handle.detach();
    store.close();
  });
}
