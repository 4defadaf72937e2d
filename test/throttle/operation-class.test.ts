/**
 * The operation class of a request (list, read, write, other) as OBS names its
 * operations: a table over both addressing styles, axios `params`, signature
 * parameters and odd inputs, then properties: any input gives one of the four
 * without throwing, and a query reads the same in the URL as in `params`.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { OPERATION_CLASSES, operationClassOf, type OperationClass } from '../../src/throttle/operation-class.js';

const RUNS = 500;
const VH = 'https://photos.obs.cn-north-4.myhuaweicloud.com';
const PS = 'http://127.0.0.1:9000';
const REGIONAL = 'https://obs.cn-north-4.myhuaweicloud.com';

/** [method, URL, class], for both addressing styles where they differ only in where the bucket is. */
const TABLE: readonly (readonly [string, string, OperationClass])[] = [
  // Listings: GET on a bucket root.
  ['GET', `${VH}/`, 'list'],
  ['GET', VH, 'list'],
  ['GET', `${VH}/?list-type=2&prefix=a%2F&max-keys=100`, 'list'],
  ['GET', `${VH}?prefix=a`, 'list'],
  ['GET', `${VH}/?versions&key-marker=k`, 'list'],
  ['GET', `${VH}/?uploads&max-uploads=10`, 'list'],
  ['GET', `${PS}/photos`, 'list'],
  ['GET', `${PS}/photos/`, 'list'],
  ['GET', `${PS}/photos?list-type=2&continuation-token=abc&start-after=x&fetch-owner=true`, 'list'],
  ['GET', `${PS}/photos/?delimiter=%2F&marker=m&encoding-type=url`, 'list'],
  ['GET', `${REGIONAL}/photos?versions`, 'list'],
  ['GET', 'http://localhost:9000/photos/?uploads', 'list'],
  ['GET', 'http://[::1]:9000/photos', 'list'],
  ['GET', 'http://minio:9000/photos', 'list'],
  ['get', `${PS}/photos`, 'list'],
  // ListParts: GET of an object with uploadId.
  ['GET', `${VH}/big.bin?uploadId=u1`, 'list'],
  ['GET', `${PS}/photos/big.bin?uploadId=u1&max-parts=10&part-number-marker=3`, 'list'],
  // Reads: GET or HEAD of an object.
  ['GET', `${VH}/cat.jpg`, 'read'],
  ['GET', `${VH}/a/b/c.jpg?versionId=v1&response-content-type=image%2Fjpeg`, 'read'],
  ['HEAD', `${VH}/cat.jpg`, 'read'],
  ['GET', `${PS}/photos/cat.jpg`, 'read'],
  ['HEAD', `${PS}/photos/dir/`, 'read'],
  ['GET', `${PS}/photos/cat.jpg?x-image-process=image/resize,w_100`, 'read'],
  ['GET', `${PS}/photos/cat.jpg#frag?acl`, 'read'],
  // Presigned: signature parameters do not change the class.
  ['GET', `${VH}/cat.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ak%2F20240101&X-Amz-Signature=abc&X-Amz-Security-Token=t`, 'read'],
  ['GET', `${VH}/?AccessKeyId=ak&Expires=1700000000&Signature=s&x-obs-security-token=t`, 'list'],
  ['PUT', `${PS}/photos/cat.jpg?AccessKeyId=ak&Expires=1&Signature=s`, 'write'],
  // Writes: PUT, POST, DELETE of an object.
  ['PUT', `${VH}/cat.jpg`, 'write'],
  ['PUT', `${PS}/photos/cat.jpg`, 'write'],
  ['DELETE', `${PS}/photos/cat.jpg?versionId=v1`, 'write'],
  ['POST', `${VH}/big.bin?uploads`, 'write'],
  ['PUT', `${VH}/big.bin?partNumber=2&uploadId=u1`, 'write'],
  ['POST', `${VH}/big.bin?uploadId=u1`, 'write'],
  ['DELETE', `${PS}/photos/big.bin?uploadId=u1`, 'write'],
  ['POST', `${PS}/photos/log.txt?append&position=42`, 'write'],
  ['PUT', `${PS}/photos/copy.jpg`, 'write'],
  // A form upload and a multi-object delete write objects.
  ['POST', `${VH}/`, 'write'],
  ['POST', `${PS}/photos?delete`, 'write'],
  // Other: the service root, bucket-level operations and sub-resources.
  ['GET', `${PS}/`, 'other'],
  ['GET', PS, 'other'],
  ['GET', `${REGIONAL}/`, 'other'],
  ['PUT', `${VH}/`, 'other'],
  ['PUT', `${PS}/photos`, 'other'],
  ['DELETE', `${PS}/photos/`, 'other'],
  ['HEAD', `${VH}/`, 'other'],
  ['GET', `${VH}/?acl`, 'other'],
  ['GET', `${PS}/photos?location`, 'other'],
  ['GET', `${PS}/photos?prefix=a&policy`, 'other'],
  ['PUT', `${VH}/?lifecycle`, 'other'],
  ['POST', `${VH}/?cors`, 'other'],
  ['GET', `${VH}/cat.jpg?acl`, 'other'],
  ['PUT', `${VH}/cat.jpg?acl`, 'other'],
  ['PUT', `${PS}/photos/cat.jpg?tagging`, 'other'],
  ['POST', `${PS}/photos/cold.bin?restore`, 'other'],
  ['PUT', `${PS}/photos/cat.jpg?metadata`, 'other'],
  ['GET', `${PS}/photos/cat.jpg?%61cl`, 'other'],
  ['OPTIONS', `${VH}/cat.jpg`, 'other'],
  ['PATCH', `${VH}/cat.jpg`, 'other'],
  ['CONNECT', `${VH}/cat.jpg`, 'other'],
  // Odd inputs.
  ['GET', 'http://user:pw@127.0.0.1:9000/photos/a', 'read'],
  ['GET', 'http://user:pw@photos.obs.test:9000/', 'list'],
  ['GET', 'HTTP://PHOTOS.OBS.TEST/A', 'read'],
  ['GET', '/photos/a', 'read'],
  ['GET', '/photos', 'list'],
  ['GET', `${PS}//photos`, 'other'],
  ['GET', `${PS}/photos/a?%E0%A4%A`, 'read'],
  ['GET', '', 'other'],
];

describe('operationClassOf', () => {
  it.each(TABLE)('%s %s is %s', (method, href, expected) => {
    expect(operationClassOf(method, href)).toBe(expected);
  });

  it('reads GET when no method is given, as axios does', () => {
    expect(operationClassOf(undefined, `${PS}/photos`)).toBe('list');
    expect(operationClassOf(undefined, `${PS}/photos/a`)).toBe('read');
  });

  it("counts axios's params: an object (null and undefined values dropped, as axios drops them) or URLSearchParams", () => {
    expect(operationClassOf('GET', `${PS}/photos/a`, { uploadId: 'u1' })).toBe('list');
    expect(operationClassOf('GET', `${PS}/photos/a`, { uploadId: undefined, versionId: null })).toBe('read');
    expect(operationClassOf('PUT', `${VH}/a`, new URLSearchParams({ acl: '' }))).toBe('other');
    expect(operationClassOf('GET', `${PS}/photos`, { 'list-type': 2, prefix: 'a/' })).toBe('list');
    expect(operationClassOf('GET', `${PS}/photos`, { acl: '' })).toBe('other');
    expect(operationClassOf('GET', `${PS}/photos?prefix=a`, 'acl')).toBe('list');
  });

  it('reads a params object whose keys cannot be read as no params, without throwing', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no keys');
        },
      },
    );
    expect(operationClassOf('GET', `${PS}/photos/a`, hostile)).toBe('read');
  });

  it('never throws and always answers one of the four classes, whatever the method, URL and params', () => {
    const method = fc.oneof(fc.constantFrom('GET', 'get', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH'), fc.string(), fc.constant(undefined));
    const href = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string(), fc.string({ unit: 'binary' }));
    const params = fc.oneof(fc.constant(undefined), fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(null))), fc.anything());
    fc.assert(
      fc.property(method, href, params, (m, h, p) => {
        expect(OPERATION_CLASSES).toContain(operationClassOf(m, h, p));
      }),
      { numRuns: RUNS },
    );
  });

  it('gives a query the same class in the URL as in params', () => {
    const base = fc.constantFrom(`${VH}/`, `${VH}/cat.jpg`, `${PS}/photos`, `${PS}/photos/a/b`, `${REGIONAL}/photos/`);
    const name = fc.constantFrom('acl', 'uploadId', 'uploads', 'versions', 'prefix', 'list-type', 'versionId', 'delete', 'partNumber', 'tagging', 'X-Amz-Signature', 'location', 'x');
    const verb = fc.constantFrom('GET', 'HEAD', 'PUT', 'POST', 'DELETE');
    fc.assert(
      fc.property(verb, base, fc.uniqueArray(name, { maxLength: 4 }), (m, url, names) => {
        const query = names.map((n) => `${n}=1`).join('&');
        const inUrl = operationClassOf(m, names.length === 0 ? url : `${url}?${query}`);
        const inParams = operationClassOf(m, url, Object.fromEntries(names.map((n) => [n, '1'])));
        expect(inParams).toBe(inUrl);
      }),
      { numRuns: RUNS },
    );
  });
});
