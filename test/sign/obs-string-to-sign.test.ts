/**
 * OBS's StringToSign and CanonicalizedResource against the worked examples of
 * OBS's API reference, "Authentication of Signature in a Header" (obs_04_0010,
 * Tables 2–7 and the create-bucket request) and "Authentication of Signature in
 * a URL" (obs_04_0011, Tables 3–4).
 *
 * Those pages give the StringToSign of each example but no signature that can
 * be reproduced (their secret keys are not published), so the signatures here
 * are computed independently with node:crypto from the documented strings; the
 * HMAC-SHA1/base64 step itself is checked against the one published vector of
 * that exact algorithm with a published key: AWS Signature V2's GET Object
 * example (OBS's header signature is the same computation with `x-obs-` headers).
 */
import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { obsCanonicalResource, obsTarget } from '../../src/sign/obs-resource.js';
import { obsCanonicalHeaders, obsStringToSign } from '../../src/sign/obs-string-to-sign.js';
import { hmacSha1Base64, hmacSha1Key } from '../../src/sign/web-crypto.js';

const resourceOf = (url: string): string => {
  const parsed = new URL(url);
  const query = [...parsed.searchParams].map(([name, value]) => ({ name, value: parsed.search.includes(`${name}=`) ? value : undefined }));
  return obsCanonicalResource(obsTarget(parsed), query);
};

describe('StringToSign: the worked examples of obs_04_0010', () => {
  it('Table 2, getting an object', () => {
    const resource = resourceOf('https://bucket.obs.region.example.com/object.txt');
    expect(obsStringToSign({ method: 'GET', date: 'Sat, 12 Oct 2015 08:12:38 GMT', headers: [], resource })).toBe(
      'GET\n\n\nSat, 12 Oct 2015 08:12:38 GMT\n/bucket/object.txt',
    );
  });

  it('Table 3, temporary AK/SK and security token (x-obs-date empties the Date line)', () => {
    const headers: [string, string][] = [
      ['User-Agent', 'curl/7.15.5'],
      ['x-obs-date', 'Tue, 15 Oct 2015 07:20:09 GMT'],
      ['x-obs-security-token', 'YwkaRTbdY8g7q....'],
      ['content-type', 'text/plain'],
      ['Content-Length', '5913339'],
    ];
    const resource = resourceOf('https://bucket.obs.region.example.com/object.txt');
    expect(obsStringToSign({ method: 'PUT', contentType: 'text/plain', headers, resource })).toBe(
      'PUT\n\ntext/plain\n\nx-obs-date:Tue, 15 Oct 2015 07:20:09 GMT\nx-obs-security-token:YwkaRTbdY8g7q....\n/bucket/object.txt',
    );
  });

  it('Table 4, an upload with an x-obs- header (the space after the colon is dropped)', () => {
    const headers: [string, string][] = [['x-obs-acl', ' public-read'], ['content-type', 'text/plain']];
    const resource = resourceOf('https://bucket.obs.region.example.com/object.txt');
    expect(obsStringToSign({ method: 'PUT', contentType: 'text/plain', date: 'Mon, 14 Oct 2015 12:08:34 GMT', headers, resource })).toBe(
      'PUT\n\ntext/plain\nMon, 14 Oct 2015 12:08:34 GMT\nx-obs-acl:public-read\n/bucket/object.txt',
    );
  });

  it('Table 5, an object ACL (a sub-resource without value)', () => {
    const resource = resourceOf('https://bucket.obs.region.example.com/object.txt?acl');
    expect(obsStringToSign({ method: 'GET', date: 'Sat, 12 Oct 2015 08:12:38 GMT', headers: [], resource })).toBe(
      'GET\n\n\nSat, 12 Oct 2015 08:12:38 GMT\n/bucket/object.txt?acl',
    );
  });

  it('Table 6, an upload with Content-MD5', () => {
    const headers: [string, string][] = [['x-obs-date', 'Tue, 15 Oct 2015 07:20:09 GMT'], ['Content-MD5', 'I5pU0r4+sgO9Emgl1KMQUg==']];
    const resource = resourceOf('https://bucket.obs.region.example.com/object.txt');
    expect(obsStringToSign({ method: 'PUT', contentMd5: 'I5pU0r4+sgO9Emgl1KMQUg==', headers, resource })).toBe(
      'PUT\nI5pU0r4+sgO9Emgl1KMQUg==\n\n\nx-obs-date:Tue, 15 Oct 2015 07:20:09 GMT\n/bucket/object.txt',
    );
  });

  it('Table 7, an upload through a user domain name', () => {
    const parsed = new URL('https://obs.ccc.com/object.txt');
    const resource = obsCanonicalResource(obsTarget(parsed, ['obs.ccc.com']), []);
    const headers: [string, string][] = [['x-obs-date', 'Tue, 15 Oct 2015 07:20:09 GMT']];
    expect(obsStringToSign({ method: 'PUT', contentMd5: 'I5pU0r4+sgO9Emgl1KMQUg==', headers, resource })).toBe(
      'PUT\nI5pU0r4+sgO9Emgl1KMQUg==\n\n\nx-obs-date:Tue, 15 Oct 2015 07:20:09 GMT\n/obs.ccc.com/object.txt',
    );
  });

  it('the create-bucket request (PUT / on newbucketname2)', () => {
    const headers: [string, string][] = [['x-obs-storage-class', 'STANDARD'], ['x-obs-acl', 'private'], ['Content-Length', '157']];
    const resource = resourceOf('https://newbucketname2.obs.region.example.com/');
    expect(obsStringToSign({ method: 'PUT', date: 'Fri, 06 Jul 2018 03:45:51 GMT', headers, resource })).toBe(
      'PUT\n\n\nFri, 06 Jul 2018 03:45:51 GMT\nx-obs-acl:private\nx-obs-storage-class:STANDARD\n/newbucketname2/',
    );
  });
});

describe('CanonicalizedResource', () => {
  it('sorts sub-resources and keeps their decoded values (the GetObject example of Table 1)', () => {
    expect(resourceOf('https://bucket-test.obs.region.example.com/object-test?versionId=xxx&response-content-type=text%2Fplain&x-id=GetObject')).toBe(
      '/bucket-test/object-test?response-content-type=text/plain&versionId=xxx',
    );
  });

  it('the presigned URL examples of obs_04_0011 (Tables 3 and 4): the token is a sub-resource, the signature parameters are not', () => {
    expect(resourceOf('https://examplebucket.obs.region.example.com/objectkey?AccessKeyId=AK&Expires=1532779451&Signature=x')).toBe('/examplebucket/objectkey');
    expect(resourceOf('https://examplebucket.obs.region.example.com/objectkey?AccessKeyId=AK&Expires=1532779451&Signature=x&x-obs-security-token=YwkaRTbdY8g7q....')).toBe(
      '/examplebucket/objectkey?x-obs-security-token=YwkaRTbdY8g7q....',
    );
  });

  it('finds the bucket in the host (virtual-hosted) or the path (path style), and the service root', () => {
    expect(obsTarget(new URL('https://photos.obs.cn-north-4.myhuaweicloud.com/a/b.jpg'))).toEqual({ bucket: 'photos', key: 'a/b.jpg' });
    expect(obsTarget(new URL('https://obs.cn-north-4.myhuaweicloud.com/photos/a/b.jpg'))).toEqual({ bucket: 'photos', key: 'a/b.jpg' });
    expect(obsTarget(new URL('http://127.0.0.1:9000/photos'))).toEqual({ bucket: 'photos', key: '' });
    expect(obsCanonicalResource(obsTarget(new URL('http://127.0.0.1:9000/photos')), [])).toBe('/photos/');
    expect(obsCanonicalResource(obsTarget(new URL('https://obs.cn-north-4.myhuaweicloud.com/')), [])).toBe('/');
    expect(obsCanonicalResource(obsTarget(new URL('https://photos.obs.cn-north-4.myhuaweicloud.com/')), [{ name: 'uploads', value: '' }])).toBe('/photos/?uploads');
  });

  it('counts only the first of a repeated sub-resource and ignores other parameters', () => {
    const query = [
      { name: 'partNumber', value: '2' },
      { name: 'uploadId', value: 'u1' },
      { name: 'partNumber', value: '3' },
      { name: 'prefix', value: 'a' },
      { name: 'append', value: undefined },
      { name: 'position', value: '0' },
    ];
    expect(obsCanonicalResource({ bucket: 'b', key: 'k' }, query)).toBe('/b/k?append&partNumber=2&position=0&uploadId=u1');
  });
});

describe('CanonicalizedHeaders', () => {
  it('lower-cases, trims, joins repeats with a comma and sorts', () => {
    expect(
      obsCanonicalHeaders([
        ['X-OBS-Meta-Name', 'name1 '],
        ['x-obs-meta-name', ['name2']],
        ['x-obs-acl', 'private'],
        ['Content-Type', 'text/plain'],
        ['x-amz-date', 'ignored'],
      ]),
    ).toEqual([
      ['x-obs-acl', 'private'],
      ['x-obs-meta-name', 'name1,name2'],
    ]);
  });
});

describe('the HMAC-SHA1 signature (Web Crypto)', () => {
  it('reproduces the published AWS Signature V2 GET Object example (same algorithm, published key)', async () => {
    const key = await hmacSha1Key('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(await hmacSha1Base64(key, 'GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/awsexamplebucket1/photos/puppy.jpg')).toBe('qgk2+6Sv9/oM7G3qLEjTH1a1l1g=');
  });

  it('equals node:crypto over every documented StringToSign, non-ASCII included', async () => {
    const secret = '275hSvB6EEOorBNsMDEfOaICQnilYaPZhXUaSK64';
    const key = await hmacSha1Key(secret);
    const strings = [
      'PUT\n\napplication/xml\nFri, 06 Jul 2018 03:45:51 GMT\nx-obs-acl:private\n/newbucketname2',
      'GET\n\n\n1532779451\n/examplebucket/objectkey',
      'PUT\n\ntext/plain\n\nx-obs-date:Tue, 15 Oct 2015 07:20:09 GMT\nx-obs-meta-名:值\n/bucket/%E5%90%8D.txt',
    ];
    for (const text of strings) expect(await hmacSha1Base64(key, text)).toBe(createHmac('sha1', secret).update(text, 'utf8').digest('base64'));
  });
});
