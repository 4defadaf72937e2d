/** Bare axios: no retries at all. The baseline every ratio is taken against. */
import type { BenchClient } from '../bench-client.js';
import type { ClientSpec } from '../client-protocol.js';
import { axiosBase, axiosClient, axiosCodeOf } from './axios-base.js';

/** Builds the bare axios client. */
export function bareAxios(spec: ClientSpec): BenchClient {
  return axiosClient(axiosBase(spec), axiosCodeOf, () => undefined);
}
