/**
 * Sub-resource requests the local OBS server does not model answer 501
 * NotImplemented and leave the store as it was; the ones it models (multipart,
 * append, `versionId=null` reads, `response-*` overrides) answer as OBS does.
 */
import { describe, expect, it } from '@jest/globals';
import { parseObsError } from '../../src/index.js';
import { hostedUrl, rawClient, startServer } from '../support/harness.js';

const XML_NOT_IMPLEMENTED =
  /^<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?><Error><Code>NotImplemented<\/Code><Message>[^<]+<\/Message><RequestId>[0-9A-F]{32}<\/RequestId><HostId>[A-Za-z0-9+/]{64}<\/HostId><Key>cat\.jpg<\/Key><\/Error>$/;

describe('local OBS server: sub-resources it does not model', () => {
  it('PUT ?acl answers 501 and keeps the object body', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('photos', 'cat.jpg', 'meow', 'image/jpeg');
    const answer = await rawClient(server.url).put<string>('/photos/cat.jpg?acl', '<AccessControlPolicy/>', { headers: { 'content-type': 'application/xml' } });
    expect([answer.status, answer.headers['content-type']]).toEqual([501, 'application/xml']);
    expect(answer.data).toMatch(XML_NOT_IMPLEMENTED);
    expect(parseObsError(answer.data)?.message).toContain('acl');
    expect(server.getObject('photos', 'cat.jpg')?.toString()).toBe('meow');
    expect((await rawClient(server.url).get('/photos/cat.jpg')).headers['content-type']).toBe('image/jpeg');
    expect(server.requests[0]?.response).toEqual({ status: 501, code: 'NotImplemented' });
  });

  it('DELETE ?tagging answers 501 and does not delete the object', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('photos', 'cat.jpg', 'meow');
    const answer = await rawClient(server.url).delete<string>('/photos/cat.jpg?tagging');
    expect([answer.status, parseObsError(answer.data)?.code]).toEqual([501, 'NotImplemented']);
    expect(server.getObject('photos', 'cat.jpg')?.toString()).toBe('meow');
  });

  it('PUT ?partNumber&uploadId with an unknown upload answers NoSuchUpload and does not overwrite the object', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('photos', 'cat.jpg', 'meow');
    const answer = await rawClient(server.url).put<string>('/photos/cat.jpg?partNumber=1&uploadId=nope', 'PART');
    expect([answer.status, parseObsError(answer.data)?.code]).toEqual([404, 'NoSuchUpload']);
    expect(server.getObject('photos', 'cat.jpg')?.toString()).toBe('meow');
  });

  it.each([
    ['PUT', '/photos/cat.jpg?tagging'],
    ['GET', '/photos/cat.jpg?acl'],
    ['POST', '/photos/cat.jpg?restore'],
    ['PUT', '/photos/cat.jpg?metadata'],
    ['POST', '/photos/cat.jpg?rename&name=dog.jpg'],
    ['PUT', '/photos/cat.jpg?retention'],
    ['GET', '/photos/cat.jpg?versionId=v1'],
    ['DELETE', '/photos/cat.jpg?versionId=null'],
    ['GET', '/photos/cat.jpg?partNumber=1'],
    ['GET', '/photos/cat.jpg?x-image-process=image/resize,w_10'],
    ['PUT', '/photos/cat.jpg?partNumber=1&uploadId=u&acl'],
    ['PUT', '/photos/cat.jpg?uploadId=u'],
    ['POST', '/photos/cat.jpg?position=0'],
    ['PUT', '/photos/cat.jpg?append&position=0'],
    ['POST', '/photos/cat.jpg?uploads&acl'],
    ['PUT', '/photos?acl'],
    ['PUT', '/photos?versioning'],
    ['DELETE', '/photos?tagging'],
    ['DELETE', '/photos?cors'],
    ['DELETE', '/photos?policy'],
    ['DELETE', '/photos?lifecycle'],
    ['DELETE', '/photos?website'],
    ['DELETE', '/photos?encryption'],
    ['DELETE', '/photos?replication'],
    ['PUT', '/photos?logging'],
    ['PUT', '/photos?notification'],
    ['POST', '/photos?delete'],
    ['GET', '/photos?versions'],
    ['GET', '/photos?location'],
    ['GET', '/photos?storageinfo'],
  ])('%s %s answers 501 and leaves every bucket and object as it was', async (method, url) => {
    const server = await startServer({ buckets: [] });
    server.putObject('photos', 'cat.jpg', 'meow');
    const answer = await rawClient(server.url).request<string>({ method, url, data: '<Delete><Object><Key>cat.jpg</Key></Object></Delete>' });
    expect([answer.status, parseObsError(answer.data)?.code]).toEqual([501, 'NotImplemented']);
    expect([server.bucket('photos').keys(), server.getObject('photos', 'cat.jpg')?.toString()]).toEqual([['cat.jpg'], 'meow']);
  });

  it('answers a refused HEAD without a body, with the code in x-obs-error-code', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('photos', 'cat.jpg', 'meow');
    const answer = await rawClient(hostedUrl(server, 'photos')).head('/cat.jpg?acl');
    expect([answer.status, answer.data, answer.headers['x-obs-error-code']]).toEqual([501, '', 'NotImplemented']);
  });

  it('refuses before touching the store: no bucket is auto-created', async () => {
    const server = await startServer({ buckets: [] });
    expect((await rawClient(server.url).put('/fresh/k?acl', '')).status).toBe(501);
    expect((await rawClient(server.url).put('/fresh?acl', '')).status).toBe(501);
    expect(server.bucket('fresh').exists()).toBe(false);
  });
});

describe('local OBS server: query parameters that are not sub-resources', () => {
  it('serves list parameters, unknown parameters and versionId=null as before', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('photos', 'cat.jpg', 'meow');
    const http = rawClient(server.url);
    const list = await http.get<string>('/photos?prefix=c&marker=&max-keys=10&delimiter=/&encoding-type=url');
    expect([list.status, list.data.includes('<Key>cat.jpg</Key>')]).toEqual([200, true]);
    expect((await http.get<string>('/photos/cat.jpg?n=1&x-id=GetObject')).data).toBe('meow');
    expect((await http.get<string>('/photos/cat.jpg?versionId=null')).data).toBe('meow');
    expect((await http.head('/photos/cat.jpg?versionId=null')).status).toBe(200);
  });

  it('applies response-* overrides to the headers of GET and HEAD', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('photos', 'cat.jpg', 'meow', 'image/jpeg');
    // Node's axios adapter drops Content-Encoding when it decompresses.
    const http = rawClient(server.url, { decompress: false });
    const query =
      'response-content-type=text%2Fplain&response-content-disposition=attachment%3B%20filename%3D%22c.txt%22&response-cache-control=no-cache' +
      '&response-content-language=en&response-content-encoding=identity&response-expires=Thu%2C%2001%20Jan%202030%2000%3A00%3A00%20GMT';
    for (const answer of [await http.get(`/photos/cat.jpg?${query}`), await http.head(`/photos/cat.jpg?${query}`)]) {
      expect(answer.headers).toMatchObject({
        'content-type': 'text/plain',
        'content-disposition': 'attachment; filename="c.txt"',
        'cache-control': 'no-cache',
        'content-language': 'en',
        'content-encoding': 'identity',
        expires: 'Thu, 01 Jan 2030 00:00:00 GMT',
      });
    }
    expect((await http.get('/photos/cat.jpg')).headers['content-type']).toBe('image/jpeg');
  });
});
