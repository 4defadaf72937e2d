/**
 * @aws-sdk/client-s3 v3 against the local server: path style, the local
 * endpoint, fake credentials (requests are signed, the server ignores it).
 * `options` from the parent go to the `S3Client` constructor (`retryMode`,
 * `maxAttempts` …); the SDK's other defaults stay, as a user would have them.
 */
import http from 'node:http';
import { GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ABORTED, type BenchClient } from '../bench-client.js';
import type { ClientSpec } from '../client-protocol.js';

/** The code of an SDK rejection: the service error's name (its S3 code), or the socket error code. */
function s3CodeOf(error: unknown): string {
  if (!(error instanceof Error)) return 'Error';
  if (error.name === 'AbortError') return ABORTED;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('E')) return code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // An unparsable error body leaves the SDK with a generic name; the status says more.
  if (error.name === 'Error' || error.name === 'UnknownError') return status === undefined ? error.name : `HTTP_${String(status)}`;
  return error.name;
}

/** Builds the S3 SDK client. */
export function awsS3(spec: ClientSpec): BenchClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.sockets });
  const client = new S3Client({
    region: 'cn-north-4',
    endpoint: spec.origin,
    forcePathStyle: true,
    credentials: { accessKeyId: 'BENCHACCESSKEY', secretAccessKey: 'bench-secret-key' },
    requestHandler: { httpAgent: agent, requestTimeout: spec.timeoutMs },
    ...(spec.options as Partial<S3ClientConfig>),
  });
  return {
    get: async (signal) => {
      // A command per call, as an application would write it.
      const response = await client.send(new GetObjectCommand({ Bucket: spec.bucket, Key: spec.key }), { abortSignal: signal });
      await response.Body?.transformToByteArray();
    },
    codeOf: s3CodeOf,
    close: () => {
      client.destroy();
      agent.destroy();
    },
  };
}
