/**
 * The pure parts of the local OBS server: addressing, request matching, the
 * step queue, and the loopback lookup in both of Node's calling forms.
 */
import { describe, expect, it } from '@jest/globals';
import type { LookupAddress } from 'node:dns';
import { bucketAndKey, copySourceOf, hostnameOf, isVirtualHosted, splitTarget } from '../../src/testing/addressing.js';
import { loopbackLookup } from '../../src/testing/index.js';
import { matchesRequest } from '../../src/testing/recorded-request.js';
import { StepQueue } from '../../src/testing/step-queue.js';
import type { RecordedRequest } from '../../src/testing/index.js';

function request(method: string, path: string, host = '127.0.0.1:9000'): RecordedRequest {
  return { seq: 1, method, url: path, path, query: new URLSearchParams(), host, bucket: '', key: '', headers: {}, body: Buffer.alloc(0), receivedAt: 0 };
}

describe('addressing', () => {
  it('splits origin-form, absolute-form and garbage targets', () => {
    expect(splitTarget('/b/k?append&position=3')).toEqual({ path: '/b/k', search: 'append&position=3' });
    expect(splitTarget('http://photos.obs.test:80/k?x=1')).toEqual({ path: '/k', search: 'x=1' });
    expect(splitTarget('http://photos.obs.test')).toEqual({ path: '/', search: '' });
    expect(splitTarget('*')).toEqual({ path: '*', search: '' });
    expect(splitTarget('/a#frag')).toEqual({ path: '/a', search: '' });
  });

  it('reads hostnames from Host headers', () => {
    expect(hostnameOf('Photos.OBS.test:8080')).toBe('photos.obs.test');
    expect(hostnameOf('[::1]:8080')).toBe('::1');
    expect(hostnameOf('photos.obs.test.')).toBe('photos.obs.test');
    expect(hostnameOf('')).toBe('');
  });

  it('treats IP literals, localhost and single labels as path style', () => {
    for (const name of ['127.0.0.1', '::1', 'localhost', 'obs', '']) expect(isVirtualHosted(name)).toBe(false);
    for (const name of ['photos.obs.test', 'b.obs.cn-north-4.myhuaweicloud.com', 'photos.localhost']) expect(isVirtualHosted(name)).toBe(true);
  });

  it('finds bucket and key in both styles, decoding after splitting', () => {
    expect(bucketAndKey('photos.obs.test:1', '/cat.jpg')).toEqual({ bucket: 'photos', key: 'cat.jpg' });
    expect(bucketAndKey('photos.obs.test', '/')).toEqual({ bucket: 'photos', key: '' });
    expect(bucketAndKey('127.0.0.1:1', '/photos/a/b%20c.jpg')).toEqual({ bucket: 'photos', key: 'a/b c.jpg' });
    expect(bucketAndKey('localhost', '/photos%2Fx/k')).toEqual({ bucket: 'photos/x', key: 'k' });
    expect(bucketAndKey('[::1]:1', '/photos')).toEqual({ bucket: 'photos', key: '' });
    expect(bucketAndKey('', '/')).toEqual({ bucket: '', key: '' });
    // Broken percent-encoding is kept raw, never thrown.
    expect(bucketAndKey('127.0.0.1', '/b/%E0%A4%A')).toEqual({ bucket: 'b', key: '%E0%A4%A' });
  });

  it('reads copy sources with or without the leading slash, ignoring a versionId', () => {
    expect(copySourceOf('/src/a%20b.txt')).toEqual({ bucket: 'src', key: 'a b.txt' });
    expect(copySourceOf('src/dir/k?versionId=v1')).toEqual({ bucket: 'src', key: 'dir/k' });
  });
});

describe('request matching', () => {
  it('matches method case-insensitively, path by prefix or pattern, host with or without port', () => {
    const r = request('GET', '/photos/a.jpg', 'Photos.OBS.test:9000');
    expect(matchesRequest(undefined, r)).toBe(true);
    expect(matchesRequest({ method: 'get', path: '/photos/' }, r)).toBe(true);
    expect(matchesRequest({ method: 'PUT' }, r)).toBe(false);
    expect(matchesRequest({ path: '/other' }, r)).toBe(false);
    expect(matchesRequest({ host: 'photos.obs.test' }, r)).toBe(true);
    expect(matchesRequest({ host: 'photos.obs.test:9000' }, r)).toBe(true);
    expect(matchesRequest({ host: 'photos.obs.test:9001' }, r)).toBe(false);
    expect(matchesRequest({ host: 'other.obs.test' }, r)).toBe(false);
  });

  it('gives the same answer every time for a global RegExp', () => {
    const pattern = /\.jpg$/g;
    const r = request('GET', '/photos/a.jpg');
    expect([matchesRequest({ path: pattern }, r), matchesRequest({ path: pattern }, r), matchesRequest({ path: pattern }, r)]).toEqual([true, true, true]);
  });
});

describe('step queue', () => {
  it('takes the oldest matching step, honours times, and leaves the others queued', () => {
    const queue = new StepQueue();
    queue.push([{ error: 'A', match: { path: '/x' } }, { error: 'B', times: 2 }, { error: 'C', times: 0 }]);
    expect(queue.pending).toBe(4);
    const take = (path: string): string | undefined => {
      const step = queue.take(request('GET', path));
      return step !== undefined && 'error' in step ? step.error : undefined;
    };
    expect([take('/y'), take('/y'), take('/x'), take('/y'), take('/y')]).toEqual(['B', 'B', 'A', 'C', undefined]);
    expect(queue.pending).toBe(0);
    queue.push([{ ok: true, times: Infinity }]);
    expect(queue.pending).toBe(Infinity);
    queue.clear();
    expect(queue.pending).toBe(0);
  });
});

describe('loopbackLookup', () => {
  it('answers 127.0.0.1 in the single-address form', async () => {
    const answer = await new Promise<[string | LookupAddress[], number | undefined]>((resolve) => {
      loopbackLookup('photos.obs.test', {}, (_error, address, family) => {
        resolve([address, family]);
      });
    });
    expect(answer).toEqual(['127.0.0.1', 4]);
  });

  it('answers an array in the all: true form Node uses for happy eyeballs', async () => {
    const answer = await new Promise<string | LookupAddress[]>((resolve) => {
      loopbackLookup('evil.test', { all: true }, (_error, address) => {
        resolve(address);
      });
    });
    expect(answer).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});
