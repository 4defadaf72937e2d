/**
 * The local OBS server's default behaviour: object and bucket CRUD in both
 * addressing styles on one store, OBS headers and ids, and OBS-shaped errors.
 */
import { describe, expect, it } from '@jest/globals';
import { parseObsError } from '../../src/index.js';
import { hostedUrl, rawClient, startServer } from '../support/harness.js';

const XML_ERROR =
  /^<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?><Error><Code>(\w+)<\/Code><Message>[^<]+<\/Message><RequestId>([0-9A-F]{32})<\/RequestId><HostId>[A-Za-z0-9+/]{64}<\/HostId>/;

describe('local OBS server: store', () => {
  it('serves path-style and virtual-hosted object CRUD from one store', async () => {
    const server = await startServer({ buckets: [] });
    const pathStyle = rawClient(server.url);
    const hosted = rawClient(hostedUrl(server, 'photos'));
    const put = await pathStyle.put('/photos/a.txt', 'A', { headers: { 'content-type': 'text/plain' } });
    expect([put.status, put.headers.etag]).toEqual([200, '"7fc56270e7a70fa81a5935b72eacbe29"']);
    const read = await hosted.get('/a.txt');
    expect([read.status, read.data, read.headers['content-type'], read.headers.etag, read.headers['content-length']]).toEqual([
      200,
      'A',
      'text/plain',
      '"7fc56270e7a70fa81a5935b72eacbe29"',
      '1',
    ]);
    expect(Number.isNaN(Date.parse(String(read.headers['last-modified'])))).toBe(false);
    const head = await hosted.head('/a.txt');
    expect([head.status, head.data, head.headers['content-length'], head.headers.etag]).toEqual([200, '', '1', read.headers.etag]);
    expect((await hosted.delete('/a.txt')).status).toBe(204);
    expect((await hosted.delete('/a.txt')).status).toBe(204);
    expect((await pathStyle.get('/photos/a.txt')).status).toBe(404);
    expect(server.requests.map((r) => [r.method, r.bucket, r.key])).toEqual([
      ['PUT', 'photos', 'a.txt'],
      ['GET', 'photos', 'a.txt'],
      ['HEAD', 'photos', 'a.txt'],
      ['DELETE', 'photos', 'a.txt'],
      ['DELETE', 'photos', 'a.txt'],
      ['GET', 'photos', 'a.txt'],
    ]);
  });

  it('keeps binary bodies and encoded keys intact', async () => {
    const server = await startServer({ buckets: [] });
    const http = rawClient(server.url, { responseType: 'arraybuffer' });
    const bytes = Buffer.from([0, 255, 1, 254, 10, 13]);
    await http.put('/b/dir/a%20b%2B%C3%A9.bin', bytes);
    expect(server.bucket('b').keys()).toEqual(['dir/a b+é.bin']);
    expect(Buffer.from((await http.get<ArrayBuffer>('/b/dir/a%20b%2B%C3%A9.bin')).data)).toEqual(bytes);
  });

  it('creates, lists, checks and deletes buckets', async () => {
    const server = await startServer({ buckets: [] });
    const http = rawClient(server.url);
    expect((await http.head('/photos')).status).toBe(404);
    expect((await http.put('/photos')).status).toBe(200);
    expect((await http.put('/photos')).status).toBe(200);
    expect((await http.head('/photos')).status).toBe(200);
    server.bucket('photos').put('b/2.txt', '22').put('a<&>.txt', '1').put('b/1.txt', '1');
    const list = await http.get<string>('/photos');
    expect(list.headers['content-type']).toBe('application/xml');
    expect(list.data).toMatch(/^<\?xml[^>]*\?><ListBucketResult xmlns="[^"]+"><Name>photos<\/Name>/);
    expect([...list.data.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toEqual(['a&lt;&amp;&gt;.txt', 'b/1.txt', 'b/2.txt']);
    const prefixed = await http.get<string>('/photos?prefix=b/');
    expect([...prefixed.data.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toEqual(['b/1.txt', 'b/2.txt']);
    expect(prefixed.data).toContain('<Size>2</Size>');
    const hostedList = await rawClient(hostedUrl(server, 'photos')).get<string>('/');
    expect(hostedList.data).toContain('<Name>photos</Name>');
    const notEmpty = await http.delete<string>('/photos');
    expect([notEmpty.status, parseObsError(notEmpty.data)?.code]).toEqual([409, 'BucketNotEmpty']);
    server.emptyBucket('photos');
    expect((await http.delete('/photos')).status).toBe(204);
    expect(server.bucket('photos').exists()).toBe(false);
    expect(parseObsError((await http.delete<string>('/photos')).data)?.code).toBe('NoSuchBucket');
  });

  it('lists buckets at the service root', async () => {
    const server = await startServer({ buckets: [] });
    server.createBucket('zeta');
    server.createBucket('alpha');
    const list = await rawClient(server.url).get<string>('/');
    expect([...list.data.matchAll(/<Name>([^<]*)<\/Name>/g)].map((m) => m[1])).toEqual(['alpha', 'zeta']);
    expect(list.data).toContain('<ListAllMyBucketsResult');
  });

  it('auto-creates buckets on object writes unless told not to', async () => {
    const lenient = await startServer({ buckets: [] });
    expect((await rawClient(lenient.url).put('/fresh/k', 'v')).status).toBe(200);
    expect(lenient.getObject('fresh', 'k')?.toString()).toBe('v');
    const strict = await startServer({ buckets: [], autoCreateBuckets: false });
    const refused = await rawClient(strict.url).put<string>('/fresh/k', 'v');
    expect([refused.status, parseObsError(refused.data)?.code]).toEqual([404, 'NoSuchBucket']);
    expect(strict.bucket('fresh').exists()).toBe(false);
  });

  it('seeds and reads objects through bucket handles', async () => {
    const server = await startServer({ buckets: [] });
    const photos = server.bucket('photos');
    expect([photos.exists(), photos.keys(), photos.get('x')]).toEqual([false, [], undefined]);
    photos.create().put('cat.jpg', Buffer.from('meow'), 'image/jpeg');
    server.putObject('photos', 'dog.jpg', 'woof');
    const cat = await rawClient(server.url).get('/photos/cat.jpg');
    expect([cat.data, cat.headers['content-type']]).toEqual(['meow', 'image/jpeg']);
    expect([photos.keys(), photos.has('dog.jpg'), photos.delete('dog.jpg'), photos.has('dog.jpg')]).toEqual([['cat.jpg', 'dog.jpg'], true, true, false]);
    photos.empty();
    expect([photos.exists(), photos.keys()]).toEqual([true, []]);
  });

  it('puts OBS headers on every answer, with a fresh request id each time', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    const http = rawClient(server.url);
    const answers = await Promise.all([http.get('/b/k'), http.get('/b/none'), http.put('/b/k2', 'x'), http.delete('/b/k2'), http.get('/')]);
    for (const answer of answers) {
      expect(answer.headers.server).toBe('OBS');
      expect(answer.headers['x-obs-request-id']).toMatch(/^[0-9A-F]{32}$/);
      expect(answer.headers['x-obs-id-2']).toHaveLength(64);
      expect(Number.isNaN(Date.parse(String(answer.headers.date)))).toBe(false);
    }
    expect(new Set(answers.map((a) => String(a.headers['x-obs-request-id']))).size).toBe(answers.length);
  });

  it('answers missing keys and buckets with OBS XML errors naming the resource', async () => {
    const server = await startServer({ buckets: [] });
    server.createBucket('photos');
    const http = rawClient(server.url);
    const noKey = await http.get<string>('/photos/none.jpg');
    const match = XML_ERROR.exec(noKey.data);
    expect([noKey.status, noKey.headers['content-type'], match?.[1], match?.[2]]).toEqual([404, 'application/xml', 'NoSuchKey', noKey.headers['x-obs-request-id']]);
    expect(noKey.data).toContain('<Message>The specified key does not exist.</Message>');
    expect(noKey.data).toMatch(/<Key>none\.jpg<\/Key><\/Error>$/);
    const noBucket = await http.get<string>('/nobucket/k');
    expect(XML_ERROR.exec(noBucket.data)?.[1]).toBe('NoSuchBucket');
    expect(noBucket.data).toMatch(/<BucketName>nobucket<\/BucketName><\/Error>$/);
    expect(parseObsError(noBucket.data, noBucket.headers)).toMatchObject({ code: 'NoSuchBucket', resource: 'nobucket' });
  });

  it('answers HEAD errors without a body, with x-obs-error-code and x-obs-error-message', async () => {
    const server = await startServer({ buckets: [] });
    server.createBucket('photos');
    const http = rawClient(server.url);
    const noKey = await http.head('/photos/none');
    expect([noKey.status, noKey.data, noKey.headers['x-obs-error-code'], noKey.headers['x-obs-error-message']]).toEqual([
      404,
      '',
      'NoSuchKey',
      'The specified key does not exist.',
    ]);
    expect(noKey.headers['x-obs-request-id']).toMatch(/^[0-9A-F]{32}$/);
    const noBucket = await rawClient(hostedUrl(server, 'ghost')).head('/');
    expect([noBucket.status, noBucket.headers['x-obs-error-code']]).toEqual([404, 'NoSuchBucket']);
  });

  it('refuses methods it does not model with MethodNotAllowed', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    const answer = await rawClient(server.url).request<string>({ method: 'PATCH', url: '/b/k', data: 'x' });
    expect([answer.status, parseObsError(answer.data)?.code]).toEqual([405, 'MethodNotAllowed']);
  });

  it('keeps stored objects across reset() unless asked to clear them', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    server.reset();
    expect(server.getObject('b', 'k')?.toString()).toBe('v');
    server.reset(true);
    expect([server.getObject('b', 'k'), server.bucket('b').exists()]).toEqual([undefined, false]);
  });
});
