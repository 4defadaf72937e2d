/**
 * Multipart upload on the local OBS server: initiate, upload part, list parts,
 * complete and abort with OBS semantics, the errors OBS answers, and scripted
 * faults and recording on these requests as on any other.
 */
import { describe, expect, it } from '@jest/globals';
import type { AxiosInstance } from 'axios';
import { createHash } from 'node:crypto';
import { parseObsError } from '../../src/index.js';
import { custom, throttle } from '../../src/testing/index.js';
import { hostedUrl, rawClient, startServer } from '../support/harness.js';

const KIB = 1024;

function md5(body: Buffer | string): Buffer {
  return createHash('md5').update(body).digest();
}

/** The text of the first `<name>` element of an XML answer. */
function field(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/** Every `<name>` element's text, in order. */
function fields(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((match) => match[1] ?? '');
}

/** A CompleteMultipartUpload body listing `[partNumber, etag]` pairs as given. */
function completeBody(parts: readonly (readonly [number, string])[]): string {
  const listed = parts.map(([n, etag]) => `<Part><PartNumber>${String(n)}</PartNumber><ETag>${etag}</ETag></Part>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>${listed}</CompleteMultipartUpload>`;
}

async function initiate(http: AxiosInstance, path: string, contentType = 'application/octet-stream'): Promise<string> {
  const answer = await http.post<string>(`${path}?uploads`, '', { headers: { 'content-type': contentType } });
  expect(answer.status).toBe(200);
  const id = field(answer.data, 'UploadId');
  if (id === undefined) throw new Error(`no UploadId in ${answer.data}`);
  return id;
}

async function putPart(http: AxiosInstance, path: string, id: string, n: number, body: Buffer | string): Promise<string> {
  const answer = await http.put<string>(`${path}?partNumber=${String(n)}&uploadId=${id}`, body);
  expect(answer.status).toBe(200);
  return String(answer.headers.etag);
}

describe('local OBS server: multipart upload', () => {
  it('runs the whole cycle: initiate, parts in any order, list, complete into one object with the multipart ETag', async () => {
    const server = await startServer({ buckets: [] });
    const http = rawClient(server.url);
    const initiated = await http.post<string>('/photos/big%20file.bin?uploads', '', { headers: { 'content-type': 'text/plain' } });
    expect([initiated.status, initiated.headers['content-type']]).toEqual([200, 'application/xml']);
    expect(initiated.data).toMatch(
      /^<\?xml[^>]*\?><InitiateMultipartUploadResult xmlns="[^"]+"><Bucket>photos<\/Bucket><Key>big file\.bin<\/Key><UploadId>[0-9A-F]{32}<\/UploadId><\/InitiateMultipartUploadResult>$/,
    );
    const id = field(initiated.data, 'UploadId') ?? '';
    expect(server.bucket('photos').uploads()).toEqual([{ key: 'big file.bin', uploadId: id, parts: [] }]);
    const bodies = [Buffer.alloc(100 * KIB, 'a'), Buffer.alloc(100 * KIB, 'b'), Buffer.from('tail')];
    const path = '/photos/big%20file.bin';
    const etag3 = await putPart(http, path, id, 3, bodies[2] ?? '');
    const etag1 = await putPart(http, path, id, 1, bodies[0] ?? '');
    const etag2 = await putPart(http, path, id, 2, bodies[1] ?? '');
    expect([etag1, etag2, etag3]).toEqual(bodies.map((body) => `"${md5(body).toString('hex')}"`));
    expect(server.getObject('photos', 'big file.bin')).toBeUndefined();

    const listed = await http.get<string>(`${path}?uploadId=${id}`);
    expect(listed.data).toMatch(/^<\?xml[^>]*\?><ListPartsResult xmlns="[^"]+"><Bucket>photos<\/Bucket><Key>big file\.bin<\/Key>/);
    expect([fields(listed.data, 'PartNumber'), fields(listed.data, 'Size'), fields(listed.data, 'ETag')]).toEqual([
      ['1', '2', '3'],
      [String(100 * KIB), String(100 * KIB), '4'],
      [etag1, etag2, etag3].map((etag) => etag.replace(/"/g, '&quot;')),
    ]);

    const completed = await http.post<string>(`${path}?uploadId=${id}`, completeBody([[1, etag1], [2, etag2], [3, etag3]]));
    const expectedEtag = `"${md5(Buffer.concat(bodies.map(md5))).toString('hex')}-3"`;
    expect(completed.status).toBe(200);
    expect(completed.data).toMatch(/<CompleteMultipartUploadResult xmlns="[^"]+"><Location>http:\/\/127\.0\.0\.1:\d+\/photos\/big%20file\.bin<\/Location>/);
    expect([field(completed.data, 'Bucket'), field(completed.data, 'Key'), field(completed.data, 'ETag')]).toEqual([
      'photos',
      'big file.bin',
      expectedEtag.replace(/"/g, '&quot;'),
    ]);
    const read = await http.get<string>(path, { responseType: 'arraybuffer' });
    expect(Buffer.from(read.data)).toEqual(Buffer.concat(bodies));
    expect([read.headers.etag, read.headers['content-type']]).toEqual([expectedEtag, 'text/plain']);
    expect(server.bucket('photos').uploads()).toEqual([]);
    const gone = await http.get<string>(`${path}?uploadId=${id}`);
    expect([gone.status, parseObsError(gone.data)?.code]).toEqual([404, 'NoSuchUpload']);
  });

  it('works virtual-hosted, keeps only the listed parts, and lets a part be uploaded again', async () => {
    const server = await startServer({ buckets: ['photos'], minPartBytes: 0 });
    const http = rawClient(hostedUrl(server, 'photos'));
    const id = await initiate(http, '/k');
    await putPart(http, '/k', id, 1, 'old');
    const etag1 = await putPart(http, '/k', id, 1, 'one');
    await putPart(http, '/k', id, 2, 'skipped');
    const etag5 = await putPart(http, '/k', id, 5, 'five');
    expect(server.bucket('photos').uploads()).toEqual([{ key: 'k', uploadId: id, parts: [1, 2, 5] }]);
    // ETags may come without their quotes.
    const completed = await http.post<string>(`/k?uploadId=${id}`, completeBody([[1, etag1], [5, etag5.replace(/"/g, '')]]));
    expect(completed.status).toBe(200);
    expect(server.getObject('photos', 'k')?.toString()).toBe('onefive');
  });

  it('aborts: 204, the parts are dropped, the id is gone and no object is written', async () => {
    const server = await startServer({ buckets: ['photos'] });
    const http = rawClient(server.url);
    const id = await initiate(http, '/photos/k');
    await putPart(http, '/photos/k', id, 1, 'part');
    expect((await http.delete(`/photos/k?uploadId=${id}`)).status).toBe(204);
    expect(server.bucket('photos').uploads()).toEqual([]);
    for (const answer of [
      await http.delete<string>(`/photos/k?uploadId=${id}`),
      await http.put<string>(`/photos/k?partNumber=2&uploadId=${id}`, 'late'),
      await http.post<string>(`/photos/k?uploadId=${id}`, completeBody([[1, 'x']])),
    ]) {
      expect([answer.status, parseObsError(answer.data)?.code]).toEqual([404, 'NoSuchUpload']);
    }
    expect(server.bucket('photos').keys()).toEqual([]);
  });

  it('ties an upload id to its bucket and key', async () => {
    const server = await startServer({ buckets: ['photos', 'other'] });
    const http = rawClient(server.url);
    const id = await initiate(http, '/photos/k');
    for (const path of ['/photos/k2', '/other/k']) {
      const answer = await http.put<string>(`${path}?partNumber=1&uploadId=${id}`, 'x');
      expect([answer.status, parseObsError(answer.data)?.code]).toEqual([404, 'NoSuchUpload']);
    }
    expect(server.bucket('photos').uploads()[0]?.parts).toEqual([]);
  });

  it('accepts part numbers 1..10000 only (InvalidArgument), and does not model UploadPartCopy (501)', async () => {
    const server = await startServer({ buckets: ['photos'] });
    const http = rawClient(server.url);
    const id = await initiate(http, '/photos/k');
    for (const n of ['0', '10001', '-1', 'abc', '', '1.5', '000001']) {
      const answer = await http.put<string>(`/photos/k?partNumber=${n}&uploadId=${id}`, 'x');
      expect([n, answer.status, parseObsError(answer.data)?.code]).toEqual([n, 400, 'InvalidArgument']);
    }
    await putPart(http, '/photos/k', id, 10000, 'last');
    server.putObject('photos', 'src', 'S');
    const copy = await http.put<string>(`/photos/k?partNumber=1&uploadId=${id}`, '', { headers: { 'x-obs-copy-source': '/photos/src' } });
    expect([copy.status, parseObsError(copy.data)?.code]).toEqual([501, 'NotImplemented']);
    expect(server.bucket('photos').uploads()[0]?.parts).toEqual([10000]);
  });

  it('refuses a completion whose part list is out of order, names unknown parts or ETags, or is not XML', async () => {
    const server = await startServer({ buckets: ['photos'], minPartBytes: 0 });
    const http = rawClient(server.url);
    const id = await initiate(http, '/photos/k');
    const etag1 = await putPart(http, '/photos/k', id, 1, 'one');
    const etag2 = await putPart(http, '/photos/k', id, 2, 'two');
    const cases: [string, string, number][] = [
      [completeBody([[2, etag2], [1, etag1]]), 'InvalidPartOrder', 400],
      [completeBody([[1, etag1], [1, etag1]]), 'InvalidPartOrder', 400],
      [completeBody([[1, etag1], [3, etag2]]), 'InvalidPart', 400],
      [completeBody([[1, etag2]]), 'InvalidPart', 400],
      [completeBody([]), 'MalformedXML', 400],
      ['<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>', 'MalformedXML', 400],
      ['not xml at all', 'MalformedXML', 400],
      ['', 'MalformedXML', 400],
    ];
    for (const [body, code, status] of cases) {
      const answer = await http.post<string>(`/photos/k?uploadId=${id}`, body);
      expect([body, answer.status, parseObsError(answer.data)?.code]).toEqual([body, status, code]);
    }
    expect(server.bucket('photos').keys()).toEqual([]);
    expect(server.bucket('photos').uploads()[0]?.parts).toEqual([1, 2]);
    expect((await http.post(`/photos/k?uploadId=${id}`, completeBody([[1, etag1], [2, etag2]]))).status).toBe(200);
    expect(server.getObject('photos', 'k')?.toString()).toBe('onetwo');
  });

  it('refuses parts below the minimum size but the last with EntityTooSmall (100 KiB by default, as OBS)', async () => {
    const server = await startServer({ buckets: ['photos'] });
    const http = rawClient(server.url);
    const id = await initiate(http, '/photos/k');
    const small = await putPart(http, '/photos/k', id, 1, Buffer.alloc(100 * KIB - 1, 'a'));
    const last = await putPart(http, '/photos/k', id, 2, 'b');
    const refused = await http.post<string>(`/photos/k?uploadId=${id}`, completeBody([[1, small], [2, last]]));
    expect([refused.status, parseObsError(refused.data)?.code]).toEqual([400, 'EntityTooSmall']);
    expect(server.getObject('photos', 'k')).toBeUndefined();
    const big = await putPart(http, '/photos/k', id, 1, Buffer.alloc(100 * KIB, 'a'));
    expect((await http.post(`/photos/k?uploadId=${id}`, completeBody([[1, big], [2, last]]))).status).toBe(200);
    // A single part may be of any size.
    const single = await initiate(http, '/photos/one');
    const only = await putPart(http, '/photos/one', single, 1, 'x');
    expect((await http.post(`/photos/one?uploadId=${single}`, completeBody([[1, only]]))).status).toBe(200);
  });

  it('pages ListParts with max-parts and part-number-marker', async () => {
    const server = await startServer({ buckets: ['photos'] });
    const http = rawClient(server.url);
    const id = await initiate(http, '/photos/k');
    for (const n of [4, 1, 3, 2]) await putPart(http, '/photos/k', id, n, `p${String(n)}`);
    const first = await http.get<string>(`/photos/k?uploadId=${id}&max-parts=2`);
    expect([fields(first.data, 'PartNumber'), field(first.data, 'IsTruncated'), field(first.data, 'NextPartNumberMarker')]).toEqual([['1', '2'], 'true', '2']);
    const second = await http.get<string>(`/photos/k?uploadId=${id}&max-parts=2&part-number-marker=2`);
    expect([fields(second.data, 'PartNumber'), field(second.data, 'IsTruncated'), field(second.data, 'NextPartNumberMarker')]).toEqual([['3', '4'], 'false', '4']);
    const bad = await http.get<string>(`/photos/k?uploadId=${id}&max-parts=-1`);
    expect([bad.status, parseObsError(bad.data)?.code]).toEqual([400, 'InvalidArgument']);
  });

  it('lists the uploads in progress of a bucket (GET ?uploads, with prefix)', async () => {
    const server = await startServer({ buckets: ['photos'] });
    const http = rawClient(server.url);
    const b = await initiate(http, '/photos/dir/b');
    const a = await initiate(http, '/photos/dir/a');
    await initiate(http, '/photos/other');
    const listed = await http.get<string>('/photos?uploads&prefix=dir/');
    expect(listed.data).toMatch(/^<\?xml[^>]*\?><ListMultipartUploadsResult xmlns="[^"]+"><Bucket>photos<\/Bucket>/);
    expect([fields(listed.data, 'Key'), fields(listed.data, 'UploadId')]).toEqual([
      ['dir/a', 'dir/b'],
      [a, b],
    ]);
    const missing = await http.get<string>('/ghost?uploads');
    expect([missing.status, parseObsError(missing.data)?.code]).toEqual([404, 'NoSuchBucket']);
  });

  it('keeps a bucket with uploads in progress (BucketNotEmpty) until they end; emptyBucket aborts them', async () => {
    const server = await startServer({ buckets: ['photos'] });
    const http = rawClient(server.url);
    await initiate(http, '/photos/k');
    const refused = await http.delete<string>('/photos');
    expect([refused.status, parseObsError(refused.data)?.code]).toEqual([409, 'BucketNotEmpty']);
    server.emptyBucket('photos');
    expect(server.bucket('photos').uploads()).toEqual([]);
    expect((await http.delete('/photos')).status).toBe(204);
  });

  it('answers NoSuchBucket for parts, listings and completions in a missing bucket, without creating it', async () => {
    const server = await startServer({ buckets: [] });
    const http = rawClient(server.url);
    for (const answer of [
      await http.put<string>('/ghost/k?partNumber=1&uploadId=U', 'x'),
      await http.get<string>('/ghost/k?uploadId=U'),
      await http.post<string>('/ghost/k?uploadId=U', completeBody([[1, 'e']])),
      await http.delete<string>('/ghost/k?uploadId=U'),
    ]) {
      expect([answer.status, parseObsError(answer.data)?.code]).toEqual([404, 'NoSuchBucket']);
    }
    expect(server.bucket('ghost').exists()).toBe(false);
    const strict = await startServer({ buckets: [], autoCreateBuckets: false });
    const refused = await rawClient(strict.url).post<string>('/ghost/k?uploads', '');
    expect([refused.status, parseObsError(refused.data)?.code]).toEqual([404, 'NoSuchBucket']);
    // Initiating is a write: it creates the bucket when buckets are auto-created.
    await initiate(http, '/fresh/k');
    expect(server.bucket('fresh').exists()).toBe(true);
  });

  it('forgets uploads on reset(true)', async () => {
    const server = await startServer({ buckets: ['photos'] });
    await initiate(rawClient(server.url), '/photos/k');
    server.reset();
    expect(server.bucket('photos').uploads()).toHaveLength(1);
    server.reset(true);
    expect(server.bucket('photos').uploads()).toEqual([]);
  });
});

describe('local OBS server: scripted faults on multipart requests', () => {
  it('plays a queued step instead of storing the part, records both attempts, and stores the retry', async () => {
    const server = await startServer({ buckets: ['photos'] });
    const http = rawClient(server.url);
    const id = await initiate(http, '/photos/k');
    server.enqueue({ error: 'SlowDown', match: { method: 'PUT', path: '/photos/k' } });
    const throttled = await http.put<string>(`/photos/k?partNumber=1&uploadId=${id}`, 'part');
    expect([throttled.status, parseObsError(throttled.data)?.code]).toEqual([503, 'SlowDown']);
    expect(server.bucket('photos').uploads()[0]?.parts).toEqual([]);
    await putPart(http, '/photos/k', id, 1, 'part');
    expect(server.bucket('photos').uploads()[0]?.parts).toEqual([1]);
    const parts = server.requests.filter((r) => r.query.has('partNumber'));
    expect(parts.map((r) => [r.method, r.key, r.query.get('uploadId'), r.body.toString(), r.response])).toEqual([
      ['PUT', 'k', id, 'part', { status: 503, code: 'SlowDown' }],
      ['PUT', 'k', id, 'part', { status: 200 }],
    ]);
  });

  it('applies scenarios to completions: a throttled completion changes nothing and can be sent again', async () => {
    let now = 0;
    const server = await startServer({ buckets: ['photos'], minPartBytes: 0, now: () => now });
    const http = rawClient(server.url);
    const id = await initiate(http, '/photos/k');
    const etag = await putPart(http, '/photos/k', id, 1, 'data');
    server.scenario(throttle({ ratePerSec: 1, burst: 1, match: { method: 'POST' } }));
    const body = completeBody([[1, etag]]);
    expect((await http.post(`/photos/k?uploadId=${id}`, '<CompleteMultipartUpload/>')).status).toBe(400);
    const throttled = await http.post<string>(`/photos/k?uploadId=${id}`, body);
    expect([throttled.status, parseObsError(throttled.data)?.code]).toEqual([503, 'SlowDown']);
    expect([server.getObject('photos', 'k'), server.bucket('photos').uploads()]).toEqual([undefined, [{ key: 'k', uploadId: id, parts: [1] }]]);
    now += 1000;
    expect((await http.post(`/photos/k?uploadId=${id}`, body)).status).toBe(200);
    expect(server.getObject('photos', 'k')?.toString()).toBe('data');
  });

  it('lets a custom scenario pick multipart requests by their query', async () => {
    const server = await startServer({ buckets: ['photos'] });
    const http = rawClient(server.url);
    server.scenario(custom((request) => (request.query.has('uploads') ? { error: 'InternalError' } : undefined)));
    const refused = await http.post<string>('/photos/k?uploads', '');
    expect([refused.status, parseObsError(refused.data)?.code]).toEqual([500, 'InternalError']);
    expect(server.bucket('photos').uploads()).toEqual([]);
    server.clearScenarios();
    await initiate(http, '/photos/k');
    expect(server.countRequests((request) => request.query.has('uploads'))).toBe(2);
  });
});
