/**
 * The URL and body the signers sign are the ones axios sends: the final URL
 * comes from axios's own serializer (a client's `paramsSerializer` included),
 * is strictly encoded once, and replaces `config.url`; bodies are settled so no
 * adapter adds a Content-Type after signing. And src/sign stays portable.
 */
import { describe, expect, it } from '@jest/globals';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { settleFinalUrl } from '../../src/sign/final-url.js';
import { settleBody } from '../../src/sign/request-body.js';
import { canonicalPath, decodeQueryPart, strictEncode } from '../../src/sign/uri-encoding.js';

function configOf(fields: Partial<InternalAxiosRequestConfig>): InternalAxiosRequestConfig {
  return { headers: new AxiosHeaders(), ...fields } as InternalAxiosRequestConfig;
}

describe('strict RFC 3986 encoding', () => {
  it('leaves only unreserved characters, encodes once, keeps encoded slashes inside a segment', () => {
    expect(strictEncode("a b+c/d!'()*~._-é")).toBe('a%20b%2Bc%2Fd%21%27%28%29%2A~._-%C3%A9');
    expect(canonicalPath('/photos/a%20b/c (1)$.txt')).toBe('/photos/a%20b/c%20%281%29%24.txt');
    expect(canonicalPath('/photos/dir%2Fname/100%')).toBe('/photos/dir%2Fname/100%25');
    expect(decodeQueryPart('a+b%2Bc')).toBe('a b+c');
  });
});

describe('settleFinalUrl', () => {
  it('serializes params with axios, strictly encoded, and removes them from the config', () => {
    const config = configOf({ url: 'https://user:pass@photos.obs.test/a b.txt#frag', params: { versionId: 'v 1', list: ['x', 'y'], empty: '', skip: undefined } });
    const { url, query } = settleFinalUrl(config);
    expect(config.url).toBe('https://photos.obs.test/a%20b.txt?versionId=v%201&list%5B%5D=x&list%5B%5D=y&empty=');
    expect(url.href).toBe(config.url);
    expect(config.params).toBeUndefined();
    expect(query).toEqual([
      { name: 'versionId', value: 'v 1' },
      { name: 'list[]', value: 'x' },
      { name: 'list[]', value: 'y' },
      { name: 'empty', value: '' },
    ]);
  });

  it('uses the client’s paramsSerializer and keeps bare names bare', () => {
    const config = configOf({ url: 'https://photos.obs.test/?uploads', params: { a: 1 }, paramsSerializer: { serialize: () => 'custom=1+2' } });
    const { query } = settleFinalUrl(config);
    expect(config.url).toBe('https://photos.obs.test/?uploads&custom=1%202');
    expect(query).toEqual([
      { name: 'uploads', value: undefined },
      { name: 'custom', value: '1 2' },
    ]);
  });

  it('resolves a relative URL against baseURL (a hook called outside the policies)', () => {
    const config = configOf({ baseURL: 'http://127.0.0.1:9000/photos', url: '/a.txt' });
    expect(settleFinalUrl(config).url.href).toBe('http://127.0.0.1:9000/photos/a.txt');
  });
});

describe('settleBody', () => {
  it('turns a string into its UTF-8 bytes and keeps byte bodies as they are', () => {
    const text = configOf({ data: 'héllo' });
    const settled = settleBody(text);
    expect(settled.kind).toBe('bytes');
    expect(text.data).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(text.data as ArrayBuffer).toString()).toBe('héllo');
    const view = new Uint8Array([9, 1, 2, 3]).subarray(1);
    const bytes = settleBody(configOf({ data: view }));
    expect(bytes).toEqual({ kind: 'bytes', bytes: new Uint8Array([1, 2, 3]) });
  });

  it('drops Content-Type without a body and leaves streams unread', () => {
    const none = configOf({ headers: new AxiosHeaders({ 'Content-Type': 'text/plain' }) });
    expect(settleBody(none)).toEqual({ kind: 'none' });
    expect(none.headers.has('Content-Type')).toBe(false);
    expect(settleBody(configOf({ data: Readable.from(['x']) }))).toEqual({ kind: 'unread' });
    const blob = configOf({ data: new Blob(['x']) });
    expect(settleBody(blob)).toEqual({ kind: 'unread' });
    expect(blob.headers.get('Content-Type')).toBe('application/octet-stream');
  });
});

describe('src/sign is portable', () => {
  it('imports no Node module and uses no Buffer (it runs in browsers)', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'sign');
    const offenders = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /from ['"]node:|require\(|\bBuffer\b|\bprocess\./.test(readFileSync(path.join(dir, file), 'utf8').replace(/\/\*\*[\s\S]*?\*\//g, '')));
    expect(offenders).toEqual([]);
  });
});
