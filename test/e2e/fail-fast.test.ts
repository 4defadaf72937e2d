import { describe, expect, it } from '@jest/globals';
import axios from 'axios';
import { isObsError, OBS_ERROR_CODES, type ObsError } from '../../src/index.js';
import { policyClient, recordEvents, settle, startServer } from './harness.js';

describe('fail fast', () => {
  it('rejects a 404 NoSuchKey after one request with the OBS identity of the error', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    const result = await settle(client.get('/photos/missing.jpg'));
    expect(server.requests).toHaveLength(1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = result.error as ObsError;
    const served = server.requests[0]?.response;
    expect(isObsError(error)).toBe(true);
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error).toBeInstanceOf(axios.AxiosError);
    expect([error.obsCode, error.status, error.action, error.attempts]).toEqual(['NoSuchKey', 404, 'fail', 1]);
    expect(error.requestId).toMatch(/^[0-9A-F]{32}$/);
    expect(error.hostId).toBeDefined();
    expect(error.hint).toBe(OBS_ERROR_CODES.find((row) => row.code === 'NoSuchKey')?.solution);
    expect(error.message).toMatch(/^OBS NoSuchKey \(404\): .+ GET 127\.0\.0\.1:\d+\/photos\/missing\.jpg \[request [0-9A-F]{32}\]/);
    expect(served).toBeDefined();
    expect(events.map(([name]) => name)).toEqual(['failFast']);
  });

  it('reads a bodiless HEAD error from x-obs-error-code', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    const result = await settle(client.head('/photos/missing.jpg'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect([(result.error as ObsError).obsCode, (result.error as ObsError).status]).toEqual(['NoSuchKey', 404]);
  });

  it('never retries TooManyWrongSignature or RequestTimeTooSkewed without a sign hook', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    server.enqueue({ error: 'TooManyWrongSignature' }, { error: 'RequestTimeTooSkewed' });
    await settle(client.get('/photos/a'));
    await settle(client.get('/photos/a'));
    expect(server.requests).toHaveLength(2);
  });

  it('reads the OBS code of an error answered to a responseType stream call, and frees the socket', async () => {
    const server = await startServer();
    server.putObject('photos', 'big.bin', Buffer.alloc(100_000, 1));
    const { client } = policyClient(server.url);
    const missing = await settle(client.get('/photos/none.bin', { responseType: 'stream' }));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect((missing.error as ObsError).obsCode).toBe('NoSuchKey');
    server.enqueue({ error: 'SlowDown' });
    const response = await client.get<NodeJS.ReadableStream>('/photos/big.bin', { responseType: 'stream' });
    const chunks: Buffer[] = [];
    for await (const chunk of response.data) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).length).toBe(100_000);
    expect(server.requests).toHaveLength(3);
  });
});
