/**
 * usesBase + combine are axios's own rule written out (axios.getUri costs
 * ≈ 8 µs a call on the hot path): joined as axios joins them (fullPath), they
 * must agree with getUri on every input.
 */
import { describe, expect, it } from '@jest/globals';
import axios from 'axios';
import fc from 'fast-check';
import { fullPath } from '../support/full-path.js';

function viaAxios(baseURL: string | undefined, url: string | undefined, allowAbsoluteUrls: boolean | undefined): string | undefined {
  try {
    const parts: Parameters<typeof axios.getUri>[0] = {};
    if (baseURL !== undefined) parts.baseURL = baseURL;
    if (url !== undefined) parts.url = url;
    if (allowAbsoluteUrls !== undefined) parts.allowAbsoluteUrls = allowAbsoluteUrls;
    return axios.getUri(parts);
  } catch {
    // axios refuses it (e.g. `https:host` without `//`): the adapter reports that itself.
    return undefined;
  }
}

const BASES = [undefined, '', 'http://127.0.0.1:9000', 'http://127.0.0.1:9000/', 'https://photos.obs.cn-north-4.myhuaweicloud.com//', 'http://h/base///', '/relative/base'];
const URLS = [undefined, '', 'a.txt', '/a.txt', '//a.txt', 'dir/a b.txt?x=1', 'http://other.example/k', 'HTTPS://X.example/k', '//cdn.example/k', 'mailto:x', '///triple'];

describe('fullPath agrees with axios.getUri', () => {
  it.each(BASES.flatMap((b) => URLS.flatMap((u) => [undefined, true, false].map((allow) => [b, u, allow] as const))))('base %p, url %p, allowAbsoluteUrls %p', (base, url, allow) => {
    const expected = viaAxios(base, url, allow);
    if (expected !== undefined) expect(fullPath(base, url, allow)).toBe(expected);
  });

  it('on generated inputs', () => {
    const segment = fc.stringMatching(/^[a-z0-9/:.?=&% -]{0,12}$/);
    fc.assert(
      fc.property(fc.option(segment, { nil: undefined }), fc.option(segment, { nil: undefined }), fc.option(fc.boolean(), { nil: undefined }), (base, url, allow) => {
        const expected = viaAxios(base, url, allow);
        if (expected !== undefined) expect(fullPath(base, url, allow)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
