/**
 * Builds the client of a spec. Each kind's module is loaded only when needed,
 * so a process that runs axios never loads the AWS SDK and vice versa.
 */
import type { BenchClient } from './bench-client.js';
import type { ClientSpec } from './client-protocol.js';

/** The client of `spec`, ready to call. */
export async function makeClient(spec: ClientSpec): Promise<BenchClient> {
  switch (spec.kind) {
    case 'axios':
      return (await import('./kinds/bare-axios.js')).bareAxios(spec);
    case 'axios-retry':
      return (await import('./kinds/axios-retry.js')).axiosWithRetry(spec);
    case 's3':
      return (await import('./kinds/aws-s3.js')).awsS3(spec);
    case 'obs':
      return (await import('./kinds/obs-policies.js')).obsPolicies(spec);
  }
}
