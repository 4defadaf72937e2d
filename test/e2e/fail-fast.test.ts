import { describe, expect, it } from '@jest/globals';
import axios from 'axios';
import { OBS_ERROR_CODES, ObsError } from '../../src/index.js';
import { namesOf, obsRejection, policyClient, recordEvents, startServer } from '../support/harness.js';

describe('fail fast', () => {
  it('rejects a 404 NoSuchKey after one request with the OBS identity of the error', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    // obsRejection fails the test unless the call rejects with an ObsError (brand check).
    const error = await obsRejection(client.get('/photos/missing.jpg'));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.response).toEqual({ status: 404, code: 'NoSuchKey' });
    expect(error).toBeInstanceOf(ObsError);
    expect(axios.isAxiosError(error)).toBe(true);
    expect(error).toBeInstanceOf(axios.AxiosError);
    expect([error.obsCode, error.status, error.action, error.attempts]).toEqual(['NoSuchKey', 404, 'fail', 1]);
    // The ids are the ones the server sent: request id in header and body, HostId in the body, id2 in x-obs-id-2.
    const headers = error.response?.headers ?? {};
    const body = String(error.response?.data);
    expect(error.requestId).toMatch(/^[0-9A-F]{32}$/);
    expect(error.requestId).toBe(headers['x-obs-request-id']);
    expect(body).toContain(`<RequestId>${String(error.requestId)}</RequestId>`);
    expect(error.hostId).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(body).toContain(`<HostId>${String(error.hostId)}</HostId>`);
    expect(error.id2).toBe(headers['x-obs-id-2']);
    expect(error.hint).toBe(OBS_ERROR_CODES.find((row) => row.code === 'NoSuchKey')?.solution);
    expect(error.message).toMatch(/^OBS NoSuchKey \(404\): .+ GET 127\.0\.0\.1:\d+\/photos\/missing\.jpg \[request [0-9A-F]{32}\]/);
    expect(namesOf(events)).toEqual(['failFast']);
  });

  it('reads a bodiless HEAD error from x-obs-error-code', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    await expect(client.head('/photos/missing.jpg')).rejects.toMatchObject({ isObsError: true, obsCode: 'NoSuchKey', status: 404, attempts: 1 });
  });

  it('never retries TooManyWrongSignature or RequestTimeTooSkewed without a sign hook', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    server.enqueue({ error: 'TooManyWrongSignature' }, { error: 'RequestTimeTooSkewed' });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'TooManyWrongSignature', action: 'fail', attempts: 1 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'RequestTimeTooSkewed', action: 'fail', attempts: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('reads the OBS code of an error answered to a responseType stream call, and frees the socket', async () => {
    const server = await startServer();
    server.putObject('photos', 'big.bin', Buffer.alloc(100_000, 1));
    const { client } = policyClient(server.url);
    const missing = await obsRejection(client.get('/photos/none.bin', { responseType: 'stream' }));
    expect([missing.obsCode, missing.status]).toEqual(['NoSuchKey', 404]);
    server.enqueue({ error: 'SlowDown' });
    const response = await client.get<NodeJS.ReadableStream>('/photos/big.bin', { responseType: 'stream' });
    const chunks: Buffer[] = [];
    for await (const chunk of response.data) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).length).toBe(100_000);
    expect(server.requests).toHaveLength(3);
  });
});
