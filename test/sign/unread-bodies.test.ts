/**
 * The ready signers never read a body that cannot be read twice or would be
 * read whole into memory: a stream (what a body factory makes for each
 * request) and a Blob (`fs.openAsBlob`) are signed as they are, sigV4Signer
 * with `x-amz-content-sha256: UNSIGNED-PAYLOAD`. Each body here throws when
 * anything reads it, so a signer that tried would fail the test.
 */
import { describe, expect, it } from '@jest/globals';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { Readable } from 'node:stream';
import { obsSigner, sigV4Signer, type SignContext, type SignHook } from '../../src/sign/index.js';

const KEYS = { accessKeyId: 'AKUNREAD', secretAccessKey: 'unread/secret' };

function context(): SignContext {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the type still carries the old alias
  return { requestNumber: 2, attempt: 2, hops: 0, clockOffsetMs: 0 };
}

/** A Node stream whose first read throws. */
function unreadableStream(): Readable {
  return new Readable({
    read() {
      throw new Error('the signer read the stream');
    },
  });
}

/** A web stream whose first pull throws. */
function unreadableWebStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      pull() {
        throw new Error('the signer read the web stream');
      },
    },
    { highWaterMark: 0 },
  );
}

/** A Blob whose every way of being read throws. */
class UnreadableBlob extends Blob {
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('the signer read the Blob');
  }
  override text(): Promise<string> {
    throw new Error('the signer read the Blob');
  }
  override stream(): ReturnType<Blob['stream']> {
    throw new Error('the signer read the Blob');
  }
}

function putOf(data: unknown): InternalAxiosRequestConfig {
  return { method: 'put', url: 'https://photos.obs.cn-north-4.myhuaweicloud.com/big.bin', data, headers: new AxiosHeaders({ 'Content-Type': 'application/octet-stream' }) } as InternalAxiosRequestConfig;
}

const SIGNERS: [string, SignHook][] = [
  ['obsSigner', obsSigner(KEYS)],
  ['sigV4Signer', sigV4Signer({ ...KEYS, region: 'cn-north-4' })],
];

describe.each(SIGNERS)('%s with a body it must not read', (name, sign) => {
  it.each([
    ['a Node stream', unreadableStream],
    ['a web stream', unreadableWebStream],
    ['a Blob', () => new UnreadableBlob(['0123456789'], { type: 'application/octet-stream' })],
  ])('signs %s without reading it', async (_kind, make) => {
    const body = make();
    const signed = await sign(putOf(body), context());
    expect(signed.data).toBe(body);
    expect(signed.headers.get('Authorization')).toEqual(expect.any(String));
    if (name === 'sigV4Signer') expect(signed.headers.get('x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD');
    if (body instanceof Readable) expect([body.readableDidRead, body.destroyed]).toEqual([false, false]);
    if (body instanceof ReadableStream) expect(body.locked).toBe(false);
  });
});
