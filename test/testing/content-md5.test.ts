/**
 * Content-MD5 on the local OBS server, as OBS checks it: a malformed value is
 * 400 InvalidDigest, a value that does not match the body is 400 BadDigest,
 * and a refused request stores nothing (objects, parts, appends, completions).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { parseObsError } from '../../src/index.js';
import { contentMd5Refusal } from '../../src/testing/content-md5.js';
import { rawClient, startServer } from '../support/harness.js';

function md5Base64(body: Buffer | string): string {
  return createHash('md5').update(body).digest('base64');
}

const MALFORMED = ['', 'abc', 'not base64 at all!!', Buffer.alloc(15).toString('base64'), Buffer.alloc(17).toString('base64'), createHash('md5').update('x').digest('hex')];

describe('contentMd5Refusal', () => {
  it('accepts the base64 MD5 of any body and refuses any other 16 bytes with BadDigest', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes, other) => {
        const body = Buffer.from(bytes);
        const right = createHash('md5').update(body).digest();
        expect(contentMd5Refusal({ headers: { 'content-md5': ` ${right.toString('base64')} ` }, body })).toBeUndefined();
        const wrong = Buffer.from(other);
        fc.pre(!wrong.equals(right));
        expect(contentMd5Refusal({ headers: { 'content-md5': wrong.toString('base64') }, body })?.error).toBe('BadDigest');
      }),
    );
  });

  it('refuses values that are not base64 of 16 bytes with a 400 InvalidDigest, and lets requests without the header pass', () => {
    for (const value of MALFORMED) {
      expect([value, contentMd5Refusal({ headers: { 'content-md5': value }, body: Buffer.from('x') })]).toEqual([value, expect.objectContaining({ error: 'InvalidDigest', status: 400 })]);
    }
    expect(contentMd5Refusal({ headers: {}, body: Buffer.from('x') })).toBeUndefined();
  });
});

describe('local OBS server: Content-MD5', () => {
  it('stores a PUT whose Content-MD5 matches its body', async () => {
    const server = await startServer({ buckets: [] });
    const answer = await rawClient(server.url).put('/b/k', 'body', { headers: { 'content-md5': md5Base64('body') } });
    expect(answer.status).toBe(200);
    expect(server.getObject('b', 'k')?.toString()).toBe('body');
  });

  it('refuses a PUT whose Content-MD5 does not match with 400 BadDigest, keeping the object it would replace', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'old');
    const answer = await rawClient(server.url).put<string>('/b/k', 'new', { headers: { 'content-md5': md5Base64('other') } });
    expect([answer.status, parseObsError(answer.data)?.code]).toEqual([400, 'BadDigest']);
    expect(server.getObject('b', 'k')?.toString()).toBe('old');
    expect(server.requests[0]?.response).toEqual({ status: 400, code: 'BadDigest' });
  });

  it('refuses a malformed Content-MD5 with 400 InvalidDigest, storing nothing', async () => {
    const server = await startServer({ buckets: [] });
    const http = rawClient(server.url);
    for (const value of MALFORMED.filter((v) => v !== '')) {
      const answer = await http.put<string>('/b/k', 'new', { headers: { 'content-md5': value } });
      expect([value, answer.status, parseObsError(answer.data)?.code]).toEqual([value, 400, 'InvalidDigest']);
    }
    expect(server.bucket('b').exists()).toBe(false);
  });

  it('checks parts, completions and appends too', async () => {
    const server = await startServer({ buckets: ['b'], minPartBytes: 0 });
    const http = rawClient(server.url);
    const initiated = await http.post<string>('/b/k?uploads', '');
    const id = /<UploadId>([^<]+)<\/UploadId>/.exec(initiated.data)?.[1] ?? '';
    const wrong = { headers: { 'content-md5': md5Base64('something else') } };
    const part = await http.put<string>(`/b/k?partNumber=1&uploadId=${id}`, 'part', wrong);
    expect([part.status, parseObsError(part.data)?.code]).toEqual([400, 'BadDigest']);
    expect(server.bucket('b').uploads()[0]?.parts).toEqual([]);
    const good = await http.put(`/b/k?partNumber=1&uploadId=${id}`, 'part', { headers: { 'content-md5': md5Base64('part') } });
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${String(good.headers.etag)}</ETag></Part></CompleteMultipartUpload>`;
    const completion = await http.post<string>(`/b/k?uploadId=${id}`, body, wrong);
    expect([completion.status, parseObsError(completion.data)?.code]).toEqual([400, 'BadDigest']);
    expect([server.getObject('b', 'k'), server.bucket('b').uploads()[0]?.parts]).toEqual([undefined, [1]]);
    expect((await http.post(`/b/k?uploadId=${id}`, body, { headers: { 'content-md5': md5Base64(body) } })).status).toBe(200);
    const append = await http.post<string>('/b/log?append&position=0', 'line', wrong);
    expect([append.status, parseObsError(append.data)?.code]).toEqual([400, 'BadDigest']);
    expect(server.getObject('b', 'log')).toBeUndefined();
  });
});
