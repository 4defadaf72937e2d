/**
 * The bodies of a call with a body factory: each request gets a fresh one and
 * the previous one is released (a Node stream destroyed, an unread web stream
 * cancelled); a factory that makes no body is refused; a call that has `data`
 * too is refused; the form type axios gives a body-less PUT is dropped; upload
 * progress events carry the request's number.
 */
import { describe, expect, it } from '@jest/globals';
import { AxiosHeaders, type AxiosProgressEvent, type InternalAxiosRequestConfig } from 'axios';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { FreshBodies, readyFactoryCall, releaseBody, tagUploadProgress } from '../../src/transport/body-factory.js';

function configOf(extra: { data?: unknown; contentType?: string; onUploadProgress?: (event: AxiosProgressEvent) => void } = {}): InternalAxiosRequestConfig {
  const headers = new AxiosHeaders(extra.contentType === undefined ? {} : { 'Content-Type': extra.contentType });
  return { method: 'put', url: 'http://b.obs.test/k', data: extra.data, headers, onUploadProgress: extra.onUploadProgress } as InternalAxiosRequestConfig;
}

describe('FreshBodies', () => {
  it('makes a body per request and destroys the previous stream when it makes the next, the last on release', async () => {
    const made: Readable[] = [];
    const bodies = new FreshBodies(() => {
      const stream = Readable.from(['x']);
      made.push(stream);
      return stream;
    });
    await bodies.next();
    expect(made.map((stream) => stream.destroyed)).toEqual([false]);
    await bodies.next();
    expect(made.map((stream) => stream.destroyed)).toEqual([true, false]);
    bodies.release();
    bodies.release();
    expect(made.map((stream) => stream.destroyed)).toEqual([true, true]);
  });

  it('hands on the factory’s own error, thrown or rejected', async () => {
    const broken = new Error('no file');
    await expect(new FreshBodies(() => { throw broken; }).next()).rejects.toBe(broken);
    await expect(new FreshBodies(() => Promise.reject(broken)).next()).rejects.toBe(broken);
  });

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, 'number'],
    [{ a: 1 }, 'an Object'],
    [new Map(), 'a Map'],
  ])('refuses a factory that makes %p, and still releases it later', async (value, shown) => {
    const bodies = new FreshBodies(() => value as never);
    await expect(bodies.next()).rejects.toThrow(new RegExp(`it made ${shown}\\.$`));
    bodies.release();
  });

  it('accepts every kind of body the adapters send', async () => {
    for (const body of ['s', new ArrayBuffer(1), new Uint8Array(1), Buffer.from('b'), new Blob(['x']), Readable.from(['x']), new ReadableStream()]) {
      expect(await new FreshBodies(() => body).next()).toBe(body);
    }
  });
});

describe('releaseBody', () => {
  it('cancels an unread web stream, leaves a locked one and anything that is not a stream alone, never throws', async () => {
    let cancelled = false;
    const web = new ReadableStream({
      cancel() {
        cancelled = true;
      },
    });
    releaseBody(web);
    await Promise.resolve();
    expect(cancelled).toBe(true);
    const locked = new ReadableStream();
    const reader = locked.getReader();
    releaseBody(locked);
    reader.releaseLock();
    const throwing = { pipe: () => undefined, destroy: () => { throw new Error('nope'); } };
    expect(() => {
      releaseBody(throwing);
      releaseBody('text');
      releaseBody(undefined);
      releaseBody(Buffer.from('x'));
    }).not.toThrow();
  });
});

describe('readyFactoryCall', () => {
  it('refuses a call that has data too', () => {
    expect(readyFactoryCall(configOf({ data: 'x' }))).toBeInstanceOf(TypeError);
    expect(readyFactoryCall(configOf({ data: Buffer.alloc(0) }))).toBeInstanceOf(TypeError);
    expect(readyFactoryCall(configOf({ data: null }))).toBeUndefined();
  });

  it('drops the form type axios gives a body-less PUT and keeps any other', () => {
    const form = configOf({ contentType: 'application/x-www-form-urlencoded' });
    readyFactoryCall(form);
    expect(form.headers.has('Content-Type')).toBe(false);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((type) => type.trim().toLowerCase() !== 'application/x-www-form-urlencoded' && !/[\r\n\0]/.test(type) && type.trim() !== ''), (type) => {
        const config = configOf({ contentType: type });
        const before: unknown = config.headers.get('Content-Type');
        readyFactoryCall(config);
        expect(config.headers.get('Content-Type')).toBe(before);
      }),
    );
  });
});

describe('tagUploadProgress', () => {
  it('adds the request number to every event and calls the caller’s listener with it', () => {
    const seen: (number | undefined)[] = [];
    const config = configOf({ onUploadProgress: (event) => seen.push(event.obsRequestNumber) });
    tagUploadProgress(config, 3);
    config.onUploadProgress?.({ loaded: 1, bytes: 1 } as AxiosProgressEvent);
    expect(seen).toEqual([3]);
    const without = configOf();
    tagUploadProgress(without, 1);
    expect(without.onUploadProgress).toBeUndefined();
  });
});
