/**
 * One exchange on a fake adapter: success by the caller's own validateStatus,
 * every 3xx handed to the redirect policy, the 2xx answers that must be read
 * (CopyObject, CompleteMultipartUpload) and the one that must not fail
 * (DeleteObjects), error bodies of every shape (string, Node stream, WHATWG
 * stream, Blob), every way an adapter can fail, and the lent config given back.
 * The exchange never rejects.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AxiosError, AxiosHeaders, CanceledError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { exchange, type ExchangeContext } from '../../src/transport/exchange.js';
import type { ExchangeOutcome } from '../../src/transport/outcome.js';
import { attemptConfig, lendCallConfig } from '../../src/transport/attempt-config.js';
import { callConfig, scriptedAdapter, START_URL } from '../call/fake-adapter.js';

/** An OBS error document with `code`. */
function errorXml(code: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message><RequestId>r1</RequestId></Error>`;
}

/** A base adapter that resolves every request with `status` and `data`, recording the configs it was sent. */
function answering(status: number, data: unknown): { base: AxiosAdapter; requests: InternalAxiosRequestConfig[] } {
  const requests: InternalAxiosRequestConfig[] = [];
  const base: AxiosAdapter = (config) => {
    requests.push(config);
    const headers = new AxiosHeaders({ 'content-type': 'application/xml' });
    return Promise.resolve({ status, statusText: '', headers, data, config, request: {} });
  };
  return { base, requests };
}

/** A call config with `validateStatus` set, or without one at all when it is `undefined`. */
function validatedBy(validateStatus: InternalAxiosRequestConfig['validateStatus'] | undefined, over: Partial<InternalAxiosRequestConfig> = {}): InternalAxiosRequestConfig {
  const config = callConfig(over);
  if (validateStatus === undefined) delete config.validateStatus;
  else config.validateStatus = validateStatus;
  return config;
}

/** The exchange context of a call of `config` through `base`. */
function contextOf(base: AxiosAdapter, config: InternalAxiosRequestConfig = callConfig()): ExchangeContext {
  return { base, callConfig: config, method: (config.method ?? 'get').toUpperCase() };
}

/** The target of a config: its absolute URL. */
function targetOf(config: InternalAxiosRequestConfig): { url: URL } {
  return { url: new URL(config.url ?? START_URL) };
}

/** One exchange of the call's own config, as it would be sent without a loan. */
function run(context: ExchangeContext): Promise<ExchangeOutcome> {
  return exchange(context, context.callConfig, targetOf(context.callConfig));
}

/** The bytes of a WHATWG stream. */
async function webBytes(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** The bytes of a Node stream. */
async function nodeBytes(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

describe('exchange: success and failure by status', () => {
  it('is a success with the caller’s own config on the response, not the config the adapter was sent', async () => {
    const call = callConfig();
    const sent = attemptConfig(call, new URL(START_URL), true, false);
    const { base, requests } = scriptedAdapter([{ status: 200 }]);
    const outcome = await exchange(contextOf(base, call), sent, targetOf(call));
    expect(requests[0]).toBe(sent);
    expect(outcome.type).toBe('success');
    if (outcome.type === 'success') expect(outcome.response.config).toBe(call);
  });

  it('decides success by the caller’s validateStatus: a 404 it accepts is a success', async () => {
    const call = callConfig({ validateStatus: () => true });
    const outcome = await run(contextOf(scriptedAdapter([{ status: 404, code: 'NoSuchKey' }]).base, call));
    expect(outcome).toMatchObject({ type: 'success', response: { status: 404 } });
    if (outcome.type === 'success') expect(outcome.response.config).toBe(call);
  });

  it('decides success by the caller’s validateStatus: a 2xx it refuses is not a success', async () => {
    const outcome = await run(contextOf(scriptedAdapter([{ status: 200 }]).base, callConfig({ validateStatus: (status) => status === 204 })));
    expect(outcome).toMatchObject({ type: 'fault', fault: { status: 200 } });
  });

  it('is a fault with the code of the body when the caller’s validateStatus refuses the status', async () => {
    const call = callConfig();
    const outcome = await run(contextOf(scriptedAdapter([{ status: 503, code: 'SlowDown' }]).base, call));
    expect(outcome).toMatchObject({ type: 'fault', fault: { kind: 'throttled', code: 'SlowDown', status: 503, requestId: 'r1' }, error: undefined });
    if (outcome.type === 'fault') {
      expect(outcome.url.href).toBe(START_URL);
      expect(outcome.response?.status).toBe(503);
    }
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
  ])('takes every status as a success when the caller’s validateStatus is %s, as axios does', async (_name, validateStatus) => {
    const call = validatedBy(validateStatus);
    const outcome = await run(contextOf(scriptedAdapter([{ status: 500, code: 'InternalError' }]).base, call));
    expect(outcome).toMatchObject({ type: 'success', response: { status: 500 } });
    if (outcome.type === 'success') expect(outcome.response.config).toBe(call);
  });

  it.each([301, 302, 303, 307, 308])('hands a %i to the redirect policy whatever the caller’s validateStatus says', async (status) => {
    for (const validateStatus of [() => true, null, undefined]) {
      const location = 'https://photos.obs.eu-west-101.myhuaweicloud.eu/cat.jpg';
      const { base } = scriptedAdapter([{ status, location }]);
      const outcome = await run(contextOf(base, validatedBy(validateStatus)));
      expect(outcome).toMatchObject({ type: 'fault', fault: { kind: 'redirect', status, location } });
    }
  });
});

describe('exchange: a 2xx that may carry an error', () => {
  const copy = (): InternalAxiosRequestConfig => callConfig({ method: 'put', headers: new AxiosHeaders({ 'x-obs-copy-source': '/photos/dog.jpg' }) });
  const complete = (): InternalAxiosRequestConfig => callConfig({ method: 'post', url: `${START_URL}?uploadId=u-1` });

  it.each([
    ['CopyObject', copy],
    ['CompleteMultipartUpload', complete],
  ])('turns a 200 %s answer with an <Error> root into a fault, even when validateStatus accepts every status', async (_name, make) => {
    const call = make();
    call.validateStatus = () => true;
    const outcome = await run(contextOf(answering(200, errorXml('InternalError')).base, call));
    expect(outcome).toMatchObject({ type: 'fault', fault: { kind: 'server', code: 'InternalError', status: 200 } });
  });

  it.each([
    ['CopyObject', copy],
    ['CompleteMultipartUpload', complete],
  ])('keeps a 200 %s answer with a result body a success, with the caller’s config', async (_name, make) => {
    const call = make();
    const outcome = await run(contextOf(answering(200, '<CopyObjectResult><ETag>"e"</ETag></CopyObjectResult>').base, call));
    expect(outcome.type).toBe('success');
    if (outcome.type === 'success') expect(outcome.response.config).toBe(call);
  });

  it('keeps a DeleteObjects <DeleteResult> with per-key errors a success: a partial failure is the caller’s to read', async () => {
    const body = '<DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</Code><Message>m</Message></Error></DeleteResult>';
    const call = callConfig({ method: 'post', url: `${START_URL}?delete` });
    const outcome = await run(contextOf(answering(200, body).base, call));
    expect(outcome).toMatchObject({ type: 'success', response: { status: 200, data: body } });
  });
});

describe('exchange: error bodies that are not text', () => {
  it('drains a Node stream error body for its code and hands back a Node stream of the same bytes', async () => {
    const xml = errorXml('SlowDown');
    const outcome = await run(contextOf(answering(503, Readable.from([Buffer.from(xml)])).base, callConfig({ responseType: 'stream' })));
    expect(outcome).toMatchObject({ type: 'fault', fault: { code: 'SlowDown', status: 503 } });
    const data: unknown = outcome.type === 'fault' ? outcome.response?.data : undefined;
    expect(data).toBeInstanceOf(Readable);
    expect(await nodeBytes(data as Readable)).toBe(xml);
  });

  it('drains a WHATWG stream error body for its code and hands back a WHATWG stream of the same bytes', async () => {
    const xml = errorXml('NoSuchKey');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(xml));
        controller.close();
      },
    });
    const outcome = await run(contextOf(answering(404, stream).base, callConfig({ responseType: 'stream' })));
    expect(outcome).toMatchObject({ type: 'fault', fault: { code: 'NoSuchKey', status: 404 } });
    const data: unknown = outcome.type === 'fault' ? outcome.response?.data : undefined;
    expect(data).toBeInstanceOf(ReadableStream);
    expect(data).not.toBe(stream);
    expect(await webBytes(data as ReadableStream<Uint8Array>)).toBe(xml);
  });

  it('reads a Blob error body for its code and hands back the very same Blob', async () => {
    const blob = new Blob([errorXml('AccessDenied')]);
    const outcome = await run(contextOf(answering(403, blob).base, callConfig({ responseType: 'blob' })));
    expect(outcome).toMatchObject({ type: 'fault', fault: { code: 'AccessDenied', status: 403 } });
    if (outcome.type === 'fault') expect(outcome.response?.data).toBe(blob);
  });

  it('reads a 200 CopyObject stream body: an <Error> root is a fault, a result a success with the caller’s config', async () => {
    const call = callConfig({ method: 'put', responseType: 'stream', headers: new AxiosHeaders({ 'x-obs-copy-source': '/photos/dog.jpg' }) });
    const failed = await run(contextOf(answering(200, Readable.from([Buffer.from(errorXml('InternalError'))])).base, call));
    expect(failed).toMatchObject({ type: 'fault', fault: { code: 'InternalError', status: 200 } });
    const copied = await run(contextOf(answering(200, Readable.from([Buffer.from('<CopyObjectResult/>')])).base, call));
    expect(copied.type).toBe('success');
    if (copied.type === 'success') {
      expect(copied.response.config).toBe(call);
      expect(await nodeBytes(copied.response.data as Readable)).toBe('<CopyObjectResult/>');
    }
  });
});

describe('exchange: adapters that fail', () => {
  it('settles an adapter that throws synchronously like one that rejects (a plain Error: passthrough)', async () => {
    const thrown = new Error('adapter bug');
    const base: AxiosAdapter = () => {
      throw thrown;
    };
    expect(await run(contextOf(base))).toEqual({ type: 'passthrough', error: thrown });
  });

  it('settles an adapter that throws a transport error synchronously as a fault', async () => {
    const reset = new AxiosError('socket hang up', 'ECONNRESET');
    const base: AxiosAdapter = () => {
      throw reset;
    };
    expect(await run(contextOf(base))).toMatchObject({ type: 'fault', fault: { kind: 'network', code: 'NetworkError', errorCode: 'ECONNRESET' }, error: reset });
  });

  it('settles an adapter that returns a plain response (no promise) like one that resolves', async () => {
    const call = callConfig();
    const base = ((config: InternalAxiosRequestConfig): AxiosResponse => ({ status: 200, statusText: 'OK', headers: new AxiosHeaders(), data: 'ok', config, request: {} })) as unknown as AxiosAdapter;
    const outcome = await run(contextOf(base, call));
    expect(outcome).toMatchObject({ type: 'success', response: { status: 200, data: 'ok' } });
    if (outcome.type === 'success') expect(outcome.response.config).toBe(call);
  });

  it('passes a CanceledError through untouched', async () => {
    const canceled = new CanceledError('canceled');
    expect(await run(contextOf(scriptedAdapter([{ reject: canceled }]).base))).toEqual({ type: 'passthrough', error: canceled });
  });

  it('passes axios’s own ERR_BAD_REQUEST without a response through untouched', async () => {
    const refused = new AxiosError('Request body larger than maxBodyLength limit', AxiosError.ERR_BAD_REQUEST);
    expect(await run(contextOf(scriptedAdapter([{ reject: refused }]).base))).toEqual({ type: 'passthrough', error: refused });
  });

  it('turns ECONNRESET into a NetworkError fault at the request’s URL, without a response', async () => {
    const reset = Object.assign(new AxiosError('read ECONNRESET', 'ECONNRESET'), { cause: new Error('read ECONNRESET') });
    const outcome = await run(contextOf(scriptedAdapter([{ reject: reset }]).base));
    expect(outcome).toMatchObject({ type: 'fault', fault: { kind: 'network', code: 'NetworkError', errorCode: 'ECONNRESET' }, response: undefined, error: reset });
    if (outcome.type === 'fault') expect(outcome.url.href).toBe(START_URL);
  });

  it('never rejects, whatever the adapter does', async () => {
    const behaviour = fc.oneof(
      fc.record({ kind: fc.constant('throw' as const), value: fc.anything() }),
      fc.record({ kind: fc.constant('reject' as const), value: fc.anything() }),
      fc.record({ kind: fc.constant('resolve' as const), status: fc.integer({ min: 100, max: 599 }), data: fc.oneof(fc.string(), fc.constant(errorXml('SlowDown'))) }),
    );
    await fc.assert(
      fc.asyncProperty(behaviour, fc.boolean(), async (b, copyHeader) => {
        const base: AxiosAdapter = (config) => {
          if (b.kind === 'throw') throw b.value;
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the property rejects with anything an adapter might
          if (b.kind === 'reject') return Promise.reject(b.value);
          return Promise.resolve({ status: b.status, statusText: '', headers: new AxiosHeaders(), data: b.data, config, request: {} });
        };
        const call = callConfig(copyHeader ? { method: 'put', headers: new AxiosHeaders({ 'x-obs-copy-source': '/a/b' }) } : {});
        const outcome = await run(contextOf(base, call));
        expect(['success', 'fault', 'passthrough']).toContain(outcome.type);
      }),
      { numRuns: 200 },
    );
  });
});

describe('exchange: a lent config', () => {
  /** The caller's config lent to `base`, what the adapter saw of the lent fields, and the outcome. */
  async function lend(base: AxiosAdapter): Promise<{ call: InternalAxiosRequestConfig; seen: unknown[]; outcome: ExchangeOutcome }> {
    const validateStatus = (status: number): boolean => status < 400;
    const call = callConfig({ maxRedirects: 7, validateStatus });
    const seen: unknown[] = [];
    const watching: AxiosAdapter = (config) => {
      seen.push(config.maxRedirects, config.validateStatus);
      return base(config);
    };
    const outcome = await exchange(contextOf(watching, call), call, targetOf(call), lendCallConfig(call));
    return { call, seen, outcome };
  }

  it('is given back when the adapter resolves: maxRedirects and validateStatus restored before the success is judged', async () => {
    const { call, seen, outcome } = await lend(scriptedAdapter([{ status: 302, location: 'https://photos.obs.eu-west-101.myhuaweicloud.eu/cat.jpg' }]).base);
    expect(seen).toEqual([0, null]);
    expect(call.maxRedirects).toBe(7);
    expect(call.validateStatus?.(399)).toBe(true);
    expect(outcome).toMatchObject({ type: 'fault', fault: { kind: 'redirect' } });
  });

  it('is given back when the adapter resolves with a success the restored validateStatus accepts', async () => {
    const { call, seen, outcome } = await lend(scriptedAdapter([{ status: 204 }]).base);
    expect(seen).toEqual([0, null]);
    expect([call.maxRedirects, call.validateStatus?.(500)]).toEqual([7, false]);
    expect(outcome.type).toBe('success');
    if (outcome.type === 'success') expect(outcome.response.config).toBe(call);
  });

  it('is given back when the adapter rejects', async () => {
    const { call, seen, outcome } = await lend(scriptedAdapter([{ reject: new AxiosError('read ECONNRESET', 'ECONNRESET') }]).base);
    expect(seen).toEqual([0, null]);
    expect([call.maxRedirects, call.validateStatus?.(500)]).toEqual([7, false]);
    expect(outcome.type).toBe('fault');
  });

  it('is given back when the adapter throws synchronously', async () => {
    const { call, outcome } = await lend(() => {
      throw new AxiosError('read ECONNRESET', 'ECONNRESET');
    });
    expect([call.maxRedirects, call.validateStatus?.(500)]).toEqual([7, false]);
    expect(outcome.type).toBe('fault');
  });

  it('gives back fields the caller’s config never had as undefined', async () => {
    const call = validatedBy(undefined);
    const outcome = await exchange(contextOf(scriptedAdapter([{ status: 500, code: 'InternalError' }]).base, call), call, targetOf(call), lendCallConfig(call));
    expect([call.maxRedirects, call.validateStatus]).toEqual([undefined, undefined]);
    // No validateStatus of the caller's: every status is a success, as axios resolves it.
    expect(outcome.type).toBe('success');
  });
});
