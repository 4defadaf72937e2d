/**
 * AppendObject and CopyObject on the local OBS server, as OBS answers them.
 */
import { describe, expect, it } from '@jest/globals';
import { parseObsError } from '../../src/index.js';
import { rawClient, startServer } from '../support/harness.js';

describe('local OBS server: append', () => {
  it('appends only at the current length and reports the next position', async () => {
    const server = await startServer({ buckets: [] });
    const http = rawClient(server.url);
    const first = await http.post('/b/log?append&position=0', 'ab');
    expect([first.status, first.headers['x-obs-next-append-position'], first.headers.etag]).toEqual([200, '2', '"187ef4436122d1cc2f40dc2b92f0eba0"']);
    const stale = await http.post<string>('/b/log?append&position=0', 'cd');
    expect([stale.status, parseObsError(stale.data)?.code, stale.headers['x-obs-next-append-position']]).toEqual([409, 'PositionNotEqualToLength', '2']);
    expect((await http.post('/b/log?append&position=2', 'cd')).headers['x-obs-next-append-position']).toBe('4');
    expect(server.getObject('b', 'log')?.toString()).toBe('abcd');
    const head = await http.head('/b/log');
    expect([head.headers['x-obs-object-type'], head.headers['x-obs-next-append-position'], head.headers['content-length']]).toEqual(['Appendable', '4', '4']);
  });

  it('refuses a new object at a non-zero position, ordinary objects, and bad positions', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'plain', 'P');
    const http = rawClient(server.url);
    expect(parseObsError((await http.post<string>('/b/new?append&position=5', 'x')).data)?.code).toBe('PositionNotEqualToLength');
    expect(server.getObject('b', 'new')).toBeUndefined();
    const plain = await http.post<string>('/b/plain?append&position=1', 'x');
    expect([plain.status, parseObsError(plain.data)?.code]).toEqual([409, 'ObjectNotAppendable']);
    const bad = await http.post<string>('/b/new?append&position=-1', 'x');
    expect([bad.status, parseObsError(bad.data)?.code]).toEqual([400, 'InvalidArgument']);
  });

  it('refuses a POST to an object that is neither an append nor a multipart request, storing nothing', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    const answer = await rawClient(server.url).post<string>('/b/k', 'x');
    expect([answer.status, parseObsError(answer.data)?.code]).toEqual([405, 'MethodNotAllowed']);
    expect(server.getObject('b', 'k')?.toString()).toBe('v');
  });
});

describe('local OBS server: copy', () => {
  it('copies with x-obs-copy-source and answers CopyObjectResult', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('src', 'a b.txt', 'S', 'text/plain');
    const copy = await rawClient(server.url).put<string>('/dst/c.txt', '', { headers: { 'x-obs-copy-source': '/src/a%20b.txt' } });
    expect(copy.status).toBe(200);
    expect(copy.data).toMatch(/<CopyObjectResult xmlns="[^"]+"><LastModified>\d{4}-\d\d-\d\dT[^<]+<\/LastModified><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag><\/CopyObjectResult>$/);
    expect(server.getObject('dst', 'c.txt')?.toString()).toBe('S');
    expect((await rawClient(server.url).get('/dst/c.txt')).headers['content-type']).toBe('text/plain');
  });

  it('copies with x-amz-copy-source, replacing the content type on REPLACE', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'src', 'S', 'text/plain');
    const http = rawClient(server.url);
    await http.put('/b/dst', '', { headers: { 'x-amz-copy-source': 'b/src', 'x-amz-metadata-directive': 'REPLACE', 'content-type': 'text/csv' } });
    expect((await http.get('/b/dst')).headers['content-type']).toBe('text/csv');
  });

  it('answers NoSuchKey / NoSuchBucket for a missing source', async () => {
    const server = await startServer({ buckets: [] });
    server.createBucket('b');
    const http = rawClient(server.url);
    const noKey = await http.put<string>('/b/dst', '', { headers: { 'x-obs-copy-source': '/b/none' } });
    expect([noKey.status, parseObsError(noKey.data)?.code, parseObsError(noKey.data)?.resource]).toEqual([404, 'NoSuchKey', 'none']);
    const noBucket = await http.put<string>('/b/dst', '', { headers: { 'x-obs-copy-source': '/ghost/k' } });
    expect([noBucket.status, parseObsError(noBucket.data)?.code]).toEqual([404, 'NoSuchBucket']);
    expect(server.getObject('b', 'dst')).toBeUndefined();
  });
});
