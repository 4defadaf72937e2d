/**
 * requestIdentity: the endpoint, bucket and key of a request URL, virtual-hosted
 * and path style, as an exact table; then properties: it never throws, a
 * generated key comes back exactly, and nothing of the query, fragment or
 * userinfo shows in any field.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { escapeControls } from '../../src/redact/escape-controls.js';
import { requestIdentity, type RequestIdentity } from '../../src/redact/request-identity.js';

const RUNS = 300;
const HW = 'obs.cn-north-4.myhuaweicloud.com';

function id(endpoint: string | undefined, bucket: string | undefined, key: string | undefined): RequestIdentity {
  return { endpoint, bucket, key };
}

describe('requestIdentity', () => {
  it.each<[label: string, input: string, expected: RequestIdentity]>([
    // virtual-hosted
    ['virtual-hosted object', `https://photos.${HW}/cat.jpg`, id(`https://photos.${HW}`, 'photos', 'cat.jpg')],
    ['virtual-hosted key with slashes', `https://photos.${HW}/k/e/y`, id(`https://photos.${HW}`, 'photos', 'k/e/y')],
    ['virtual-hosted bucket root', `https://photos.${HW}/`, id(`https://photos.${HW}`, 'photos', undefined)],
    ['virtual-hosted bucket root, no slash', `https://photos.${HW}`, id(`https://photos.${HW}`, 'photos', undefined)],
    ['virtual-hosted listing query ignored', `https://photos.${HW}/?list-type=2&prefix=a`, id(`https://photos.${HW}`, 'photos', undefined)],
    ['bucket name with dots', `https://my.logs.${HW}/a`, id(`https://my.logs.${HW}`, 'my.logs', 'a')],
    ['upper-case host', `HTTPS://Photos.OBS.cn-north-4.myhuaweicloud.com/Key`, id(`https://photos.${HW}`, 'photos', 'Key')],
    ['the test server endpoint', 'http://photos.obs.test:9000/cat.jpg', id('http://photos.obs.test:9000', 'photos', 'cat.jpg')],
    ['another suffix: the first label', 'http://photos.example.test/cat.jpg', id('http://photos.example.test', 'photos', 'cat.jpg')],
    ['partner cloud suffix', 'https://b.obs.ru-moscow-1.hc.sbercloud.ru/k', id('https://b.obs.ru-moscow-1.hc.sbercloud.ru', 'b', 'k')],
    // path style
    ['regional endpoint, path style', `https://${HW}/photos/k/e/y`, id(`https://${HW}`, 'photos', 'k/e/y')],
    ['regional endpoint, bucket', `https://${HW}/photos`, id(`https://${HW}`, 'photos', undefined)],
    ['regional endpoint, bucket with slash', `https://${HW}/photos/`, id(`https://${HW}`, 'photos', undefined)],
    ['regional endpoint, service', `https://${HW}/`, id(`https://${HW}`, undefined, undefined)],
    ['IPv4 with port', 'http://127.0.0.1:9000/photos/cat.jpg', id('http://127.0.0.1:9000', 'photos', 'cat.jpg')],
    ['IPv6', 'http://[::1]:9000/photos/cat.jpg', id('http://[::1]:9000', 'photos', 'cat.jpg')],
    ['localhost', 'http://localhost:9000/photos/a/b', id('http://localhost:9000', 'photos', 'a/b')],
    ['single label (a container)', 'http://minio:9000/photos/a', id('http://minio:9000', 'photos', 'a')],
    ['default port left out', 'https://127.0.0.1:443/photos/a', id('https://127.0.0.1', 'photos', 'a')],
    ['empty first segment is the service', 'http://127.0.0.1/', id('http://127.0.0.1', undefined, undefined)],
    // keys
    ['folder key (trailing slash)', 'http://127.0.0.1/photos/dir/', id('http://127.0.0.1', 'photos', 'dir/')],
    ['percent-encoded key decoded', 'http://127.0.0.1/photos/a%20b%2Fc%E6%BC%A2.jpg', id('http://127.0.0.1', 'photos', 'a b/c漢.jpg')],
    ['raw non-ASCII key', 'http://127.0.0.1/photos/漢 字.jpg', id('http://127.0.0.1', 'photos', '漢 字.jpg')],
    ['encoded ? in the key is the key', 'http://127.0.0.1/photos/what%3F.txt', id('http://127.0.0.1', 'photos', 'what?.txt')],
    ['broken escape kept as written', 'http://127.0.0.1/photos/a%E0%A4%zz%20b', id('http://127.0.0.1', 'photos', 'a%E0%A4%zz b')],
    ['encoded bucket decoded', 'http://127.0.0.1/pho%74os/a', id('http://127.0.0.1', 'photos', 'a')],
    ['control characters escaped', 'http://127.0.0.1/photos/a%0Ab%1B%5B31m', id('http://127.0.0.1', 'photos', 'a\\nb\\x1b[31m')],
    ['a key that looks like a secret is data', 'http://127.0.0.1/photos/Signature=abc', id('http://127.0.0.1', 'photos', 'Signature=abc')],
    // what never shows
    ['query and fragment ignored', `https://photos.${HW}/a.jpg?X-Obs-Signature=SECRET&versionId=1#frag`, id(`https://photos.${HW}`, 'photos', 'a.jpg')],
    ['userinfo ignored', 'http://AK:SK@127.0.0.1:9000/photos/a?AccessKeyId=AK', id('http://127.0.0.1:9000', 'photos', 'a')],
    ['userinfo ignored (virtual-hosted)', `https://AK:SK@photos.${HW}/a`, id(`https://photos.${HW}`, 'photos', 'a')],
    // garbage
    ['relative path', '/photos/cat.jpg', id(undefined, undefined, undefined)],
    ['scheme-less AK:SK@host', 'AK:SK@host/photos/a', id(undefined, undefined, undefined)],
    ['empty', '', id(undefined, undefined, undefined)],
    ['not a URL', 'http://', id(undefined, undefined, undefined)],
  ])('%s', (_label, input, expected) => {
    expect(requestIdentity(input)).toEqual(expected);
  });

  it('reads a URL object like its href, and gives nothing for undefined or a non-URL', () => {
    expect(requestIdentity(new URL('http://127.0.0.1:9000/photos/a'))).toEqual(id('http://127.0.0.1:9000', 'photos', 'a'));
    expect(requestIdentity(undefined)).toEqual(id(undefined, undefined, undefined));
    expect(requestIdentity(42 as unknown as string)).toEqual(id(undefined, undefined, undefined));
  });

  it('never throws, and a key holds `?` only when the path encoded one', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string().map((s) => `http://127.0.0.1/${s}`)), (input) => {
        const { endpoint, bucket, key } = requestIdentity(input);
        for (const field of [endpoint, bucket, key]) expect(field === undefined || typeof field === 'string').toBe(true);
        if (key?.includes('?') === true) expect(input.toUpperCase()).toContain('%3F');
        if (key?.includes('#') === true) expect(input.toUpperCase()).toContain('%23');
      }),
      { numRuns: RUNS * 3, seed: 20261207 },
    );
  });

  const segment = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== '.' && s !== '..');
  const keyArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
  // A `.` or `..` path segment is resolved away by every URL parser (axios's included) before a request
  // is sent: such a key cannot travel in a URL as it is, so it cannot come back from one.
  const printableKey = (key: string): boolean => escapeControls(key) === key && !key.split('/').some((part) => part === '.' || part === '..');

  it('gives back a generated key exactly, both styles, whatever query, fragment and userinfo come with it', () => {
    fc.assert(
      fc.property(keyArb.filter(printableKey), fc.boolean(), (key, pathStyle) => {
        const encoded = key.split('/').map(encodeURIComponent).join('/');
        const base = pathStyle ? 'http://user:MARKER-PW@127.0.0.1:9000/photos' : 'http://user:MARKER-PW@photos.obs.test:9000';
        const identity = requestIdentity(`${base}/${encoded}?Signature=MARKER-QS&k=%3F#MARKER-FRAG`);
        expect(identity).toEqual(id(pathStyle ? 'http://127.0.0.1:9000' : 'http://photos.obs.test:9000', 'photos', key));
        expect(JSON.stringify(identity)).not.toContain('MARKER');
      }),
      { numRuns: RUNS, seed: 20261207 },
    );
  });
});
