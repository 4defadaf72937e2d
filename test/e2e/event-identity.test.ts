/**
 * Every request-scoped event and every ObsError names the call's `method`,
 * `endpoint`, `bucket` and `key`, virtual-hosted (`photos.obs.test:<port>/k`) and
 * path style (`127.0.0.1:<port>/photos/k`) alike, so operators filter without
 * parsing URLs; endpoint-scoped events carry `endpoint` only; the ObsError also
 * exposes OBS's `x-reserved-indicator` header. Through the local OBS server, on
 * both adapters.
 */
import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { CircuitOpenError, type ObsError } from '../../src/index.js';
import type { ObsTestServer } from '../../src/testing/index.js';
import { ADAPTER, FAST, hostedUrl, namesOf, obsRejection, policyClient, recordEvents, rejectionOf, startServer } from '../support/harness.js';

/** How a call addresses bucket `photos` on the local server. */
interface Addressing {
  /** The client's baseURL. */
  base: string;
  /** The request path of `key` (`''`: the bucket itself). */
  path: (key: string) => string;
  /** The endpoint every event and error names. */
  endpoint: string;
}

const STYLES: readonly [name: string, addressing: (server: ObsTestServer) => Addressing][] = [
  ['virtual-hosted', (server) => ({ base: hostedUrl(server, 'photos'), path: (key) => `/${key}`, endpoint: hostedUrl(server, 'photos') })],
  ['path style', (server) => ({ base: server.url, path: (key) => `/photos${key === '' ? '' : `/${key}`}`, endpoint: server.url })],
];

/** The identity fields of an event payload or an error. */
function identityOf(value: unknown): Record<string, unknown> {
  const { method, endpoint, bucket, key } = value as Record<string, unknown>;
  return { method, endpoint, bucket, key };
}

/** A resource key with a space, a slash and characters that must be encoded. */
const KEY = 'dir/a b+é.jpg';

async function drain(body: unknown): Promise<number> {
  const stream = body instanceof ReadableStream ? Readable.fromWeb(body as never) : (body as Readable);
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Uint8Array).byteLength;
  return bytes;
}

describe.each(STYLES)(`event and error identity, %s (${String(ADAPTER)} adapter)`, (_style, addressingOf) => {
  it('retry and giveUp name the call; the ObsError too, with x-reserved-indicator; the query never shows', async () => {
    const server = await startServer();
    const at = addressingOf(server);
    const { client, handle } = policyClient(at.base, { ...FAST, retry: { ...FAST.retry, retries: 1 } });
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError', times: 2 });
    const error = await obsRejection(client.put(at.path(KEY), 'body', { params: { Signature: 'QUERY-SECRET', versionId: 'v1' } }));
    const expected = { method: 'PUT', endpoint: at.endpoint, bucket: 'photos', key: KEY };
    expect(namesOf(events)).toEqual(['retry', 'giveUp']);
    for (const [, payload] of events) expect(identityOf(payload)).toEqual(expected);
    expect(identityOf(error)).toEqual(expected);
    expect(error.indicator).toBe('InternalError');
    expect(error.toJSON()).toMatchObject({ ...expected, indicator: 'InternalError' });
    // The error of each event is an ObsError with the same identity.
    for (const [, payload] of events) expect(identityOf((payload as { error: ObsError }).error)).toEqual(expected);
    for (const [, payload] of events) expect(JSON.stringify(payload)).not.toContain('QUERY-SECRET');
  });

  it('failFast names a bucket-level call with no key, and the reserved indicator of the answer', async () => {
    const server = await startServer();
    const at = addressingOf(server);
    const { client, handle } = policyClient(at.base, FAST);
    const events = recordEvents(handle);
    server.enqueue({ error: 'AccessDenied', headers: { 'x-reserved-indicator': 'Unauthorized\t\u009b31m' } });
    const error = await obsRejection(client.get(at.path(''), { params: { 'list-type': 2 } }));
    const expected = { method: 'GET', endpoint: at.endpoint, bucket: 'photos', key: undefined };
    expect(namesOf(events)).toEqual(['failFast']);
    expect(identityOf(events[0]?.[1])).toEqual(expected);
    expect(identityOf(error)).toEqual(expected);
    // Server text is escaped like every printed field (a header may carry a tab and latin-1 bytes such as the one-byte CSI).
    expect(error.indicator).toBe('Unauthorized\\t\\x9b31m');
  });

  it('redirect names the call, not the hop', async () => {
    const server = await startServer();
    const at = addressingOf(server);
    server.putObject('photos', 'moved.txt', 'M');
    const { client, handle } = policyClient(at.base, FAST);
    const events = recordEvents(handle);
    server.enqueue({ redirect: 307, location: `${at.base}${at.path('moved.txt')}` });
    expect((await client.get<string>(at.path('old.txt'))).data).toBe('M');
    expect(namesOf(events)).toEqual(['redirect']);
    expect(identityOf(events[0]?.[1])).toEqual({ method: 'GET', endpoint: at.endpoint, bucket: 'photos', key: 'old.txt' });
  });

  it('circuitReject and its CircuitOpenError name the call; circuitOpen carries the endpoint only', async () => {
    const server = await startServer();
    const at = addressingOf(server);
    const breaker = { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, rollingWindowMs: 60_000 };
    const { client, handle } = policyClient(at.base, { ...FAST, retry: { ...FAST.retry, retries: 0 }, breaker });
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError', times: 2 });
    await obsRejection(client.get(at.path('a')));
    await obsRejection(client.get(at.path('a')));
    const error = await rejectionOf(client.delete(at.path(KEY)));
    expect(error).toBeInstanceOf(CircuitOpenError);
    const expected = { method: 'DELETE', endpoint: at.endpoint, bucket: 'photos', key: KEY };
    expect(identityOf(error)).toEqual(expected);
    const byName = new Map(events);
    expect(identityOf(byName.get('circuitReject'))).toEqual(expected);
    expect(byName.get('circuitOpen')).toEqual({ endpoint: at.endpoint });
  });

  it('clockSkew and resume name the call', async () => {
    const server = await startServer();
    const at = addressingOf(server);
    server.putObject('photos', 'big.bin', Buffer.alloc(256 * 1024, 7));
    const { client, handle } = policyClient(at.base, {
      ...FAST,
      sign: (config, context) => {
        config.headers.set('x-obs-date', new Date(Date.now() + context.clockOffsetMs).toUTCString());
        return config;
      },
    });
    const events = recordEvents(handle);
    server.enqueue({ error: 'RequestTimeTooSkewed', headers: { date: new Date(Date.now() + 20 * 60_000).toUTCString() } }, { ok: true, resetAfterBytes: 64 * 1024 });
    const response = await client.get(at.path('big.bin'), { responseType: 'stream' });
    expect(await drain(response.data)).toBe(256 * 1024);
    expect(namesOf(events)).toEqual(['clockSkew', 'resume']);
    for (const [, payload] of events) expect(identityOf(payload)).toEqual({ method: 'GET', endpoint: at.endpoint, bucket: 'photos', key: 'big.bin' });
  });
});

describe(`service-level identity (${String(ADAPTER)} adapter)`, () => {
  it('a path-style call to the endpoint root names no bucket and no key', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, FAST);
    const events = recordEvents(handle);
    server.enqueue({ error: 'AccessDenied' });
    const error = await obsRejection(client.get('/'));
    const expected = { method: 'GET', endpoint: server.url, bucket: undefined, key: undefined };
    expect(identityOf(events[0]?.[1])).toEqual(expected);
    expect(identityOf(error)).toEqual(expected);
    expect(error.indicator).toBe('AccessDenied');
  });
});
