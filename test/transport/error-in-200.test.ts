import { describe, expect, it } from '@jest/globals';
import { AxiosHeaders } from 'axios';
import { mayAnswerErrorIn200 } from '../../src/transport/error-in-200.js';

const COPY = new AxiosHeaders({ 'x-obs-copy-source': '/photos/a' });

describe('mayAnswerErrorIn200', () => {
  it.each([
    ['CopyObject', 'PUT', { url: '/photos/b', headers: COPY }],
    ['CopyObject, S3 header, plain headers object', 'PUT', { url: '/photos/b', headers: { 'X-Amz-Copy-Source': '/photos/a' } }],
    ['UploadPartCopy', 'PUT', { url: '/photos/b?partNumber=1&uploadId=u', headers: COPY }],
    ['CompleteMultipartUpload, uploadId in the URL', 'POST', { url: 'http://photos.obs.test/big?uploadId=u-1' }],
    ['CompleteMultipartUpload, uploadId in params', 'POST', { url: '/photos/big', params: { uploadId: 'u-1' } }],
    ['CompleteMultipartUpload, uploadId in URLSearchParams', 'POST', { url: '/photos/big', params: new URLSearchParams({ uploadId: 'u-1' }) }],
  ])('reads the 2xx body of %s', (_name, method, request) => {
    expect(mayAnswerErrorIn200(method, request)).toBe(true);
  });

  it.each([
    ['a GET', 'GET', { url: '/photos/a?uploadId=u', headers: COPY }],
    ['PutObject', 'PUT', { url: '/photos/b', headers: new AxiosHeaders({ 'content-type': 'text/plain' }) }],
    ['UploadPart (no copy source)', 'PUT', { url: '/photos/b?partNumber=1&uploadId=u' }],
    ['InitiateMultipartUpload', 'POST', { url: '/photos/big?uploads' }],
    ['DeleteObjects', 'POST', { url: '/photos?delete' }],
    ['AppendObject', 'POST', { url: '/photos/log?append&position=0' }],
    ['uploadId in the path or the fragment only', 'POST', { url: '/photos/uploadId?x=1#uploadId=u' }],
    ['a null uploadId param (axios leaves it out)', 'POST', { url: '/photos/big', params: { uploadId: null } }],
    ['no URL at all', 'POST', {}],
  ])('takes the status of %s as it is', (_name, method, request) => {
    expect(mayAnswerErrorIn200(method, request)).toBe(false);
  });

  it('never throws on hostile params', () => {
    const hostile = Object.defineProperty({}, 'uploadId', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(mayAnswerErrorIn200('POST', { url: '/photos/big', params: hostile })).toBe(true);
  });
});
