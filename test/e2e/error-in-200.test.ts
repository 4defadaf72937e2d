import { describe, expect, it } from '@jest/globals';
import type { ResponseType } from 'axios';
import { copyFailure, type RawStep } from '../../src/testing/index.js';
import { ADAPTER, FAST, namesOf, obsRejection, policyClient, reasonsOf, recordEvents, startServer } from '../support/harness.js';

const XML = { 'content-type': 'application/xml' };
const COMPLETE_BODY = '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadRequest><Part><PartNumber>1</PartNumber><ETag>"e1"</ETag></Part></CompleteMultipartUploadRequest>';

/** The answer of a CompleteMultipartUpload that assembled the object. */
const COMPLETED: RawStep = {
  status: 200,
  headers: XML,
  body: '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>photos</Bucket><Key>big.bin</Key><ETag>"f00-1"</ETag></CompleteMultipartUploadResult>',
};

/** Every responseType axios 1.x takes in Node ('document' is a browser's; in Node it is text). */
const RESPONSE_TYPES: readonly ResponseType[] = ['json', 'text', 'arraybuffer', 'blob', 'stream', 'document'];

describe(`200 with an <Error> body (${String(ADAPTER)} adapter)`, () => {
  it('fails a CompleteMultipartUpload answered 200 + InternalError, and does not replay the POST', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, FAST);
    const events = recordEvents(handle);
    server.enqueue({ ...copyFailure('InternalError'), match: { method: 'POST', path: '/photos/big.bin' } });
    const error = await obsRejection(client.post('/photos/big.bin?uploadId=u-1', COMPLETE_BODY, { headers: XML }));
    expect(error).toMatchObject({ obsCode: 'InternalError', status: 200, attempts: 1 });
    expect(error.requestId).toMatch(/^[0-9A-F]{32}$/);
    expect(server.requests).toHaveLength(1);
    // The object may have been assembled (OBS: HEAD it and compare x-obs-uploadId before completing again).
    expect(reasonsOf(events, 'giveUp')).toEqual(['not replayable: POST may have been processed (InternalError)']);
  });

  it.each(RESPONSE_TYPES)('reads the <Error> of a CompleteMultipartUpload (uploadId in params) with responseType %s', async (responseType) => {
    const server = await startServer();
    const { client } = policyClient(server.url, FAST);
    server.enqueue({ ...copyFailure('InternalError'), match: { method: 'POST' } });
    const error = await obsRejection(client.post('/photos/big.bin', COMPLETE_BODY, { params: { uploadId: 'u-1' }, responseType, headers: XML }));
    expect(error).toMatchObject({ obsCode: 'InternalError', status: 200, attempts: 1 });
  });

  it.each(RESPONSE_TYPES)('still succeeds on a CompleteMultipartUploadResult with responseType %s', async (responseType) => {
    const server = await startServer();
    const { client } = policyClient(server.url, FAST);
    server.enqueue({ ...COMPLETED, match: { method: 'POST' } });
    const response = await client.post<unknown>('/photos/big.bin?uploadId=u-1', COMPLETE_BODY, { responseType, headers: XML });
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a CompleteMultipartUpload answered 200 + SlowDown: the server did not process it', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, FAST);
    const events = recordEvents(handle);
    server.enqueue({ ...copyFailure('SlowDown'), match: { method: 'POST' } }, { ...COMPLETED, match: { method: 'POST' } });
    const response = await client.post<string>('/photos/big.bin?uploadId=u-1', COMPLETE_BODY, { headers: XML, responseType: 'text' });
    expect(response.data).toContain('<CompleteMultipartUploadResult>');
    expect(server.requests).toHaveLength(2);
    expect(namesOf(events)).toEqual(['retry']);
  });

  it('finds the <Error> after the whitespace sent while the upload was being completed', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, FAST);
    const failure = copyFailure('InternalError');
    server.enqueue({ ...failure, body: `${' \n'.repeat(4096)}${String(failure.body)}`, match: { method: 'POST' } });
    const error = await obsRejection(client.post('/photos/big.bin?uploadId=u-1', COMPLETE_BODY, { headers: XML }));
    expect(error).toMatchObject({ obsCode: 'InternalError', status: 200 });
  });

  it('retries an UploadPartCopy answered 200 + InternalError (a PUT), like CopyObject', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, FAST);
    const events = recordEvents(handle);
    const copied = '<?xml version="1.0" encoding="UTF-8"?><CopyPartResult><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"p1"</ETag></CopyPartResult>';
    server.enqueue({ ...copyFailure('InternalError'), match: { method: 'PUT' } }, { status: 200, body: copied, headers: XML, match: { method: 'PUT' } });
    const response = await client.put<string>('/photos/big.bin', undefined, {
      params: { partNumber: 1, uploadId: 'u-1' },
      headers: { 'x-obs-copy-source': '/photos/source.bin' },
      responseType: 'text',
    });
    expect(response.data).toContain('<CopyPartResult>');
    expect(server.requests).toHaveLength(2);
    expect(namesOf(events)).toEqual(['retry']);
  });

  it('leaves DeleteObjects alone: per-key <Error> entries in a <DeleteResult> are the result, not a failed call', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, FAST);
    const events = recordEvents(handle);
    const partial =
      '<?xml version="1.0" encoding="UTF-8"?><DeleteResult><Deleted><Key>a</Key></Deleted>' +
      '<Error><Key>b</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>';
    server.enqueue({ status: 200, body: partial, headers: XML, match: { method: 'POST' } });
    const response = await client.post<string>('/photos?delete', '<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object></Delete>', {
      headers: XML,
      responseType: 'text',
    });
    expect(response.data).toBe(partial);
    expect(namesOf(events)).toEqual([]);
  });
});
