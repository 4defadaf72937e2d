import { describe, expect, it } from '@jest/globals';
import { AxiosHeaders } from 'axios';
import { parseObsError } from '../../src/index.js';
import {
  BILLION_LAUGHS,
  BROKEN_BODIES,
  CATALOG_RESPONSES,
  HOST_ID,
  ID_2,
  MULTILINE_NAMESPACED,
  OEF_JSON,
  PERMANENT_REDIRECT_WITH_ENDPOINT,
  PREFIXED_NAMESPACE,
  REQUEST_ID,
  XXE,
  obsErrorXml,
} from '../fixtures/corpus.js';

describe('parseObsError', () => {
  it.each(CATALOG_RESPONSES.map((r) => [r.name, r] as const))('parses the OBS body of %s', (code, response) => {
    const parsed = parseObsError(response.data, response.headers);
    expect(parsed).toMatchObject({ code, requestId: REQUEST_ID, hostId: HOST_ID, id2: ID_2, resource: 'photos/2026/0001.jpg' });
    expect(typeof parsed?.message).toBe('string');
  });

  it('takes ids from the body first: <HostId> and x-obs-id-2 differ on OBS, the header is id2', () => {
    const headers = { 'x-obs-request-id': 'HEADER-REQUEST-ID', 'x-obs-id-2': 'HEADER-ID-2' };
    expect(parseObsError(obsErrorXml('NoSuchKey'), headers)).toMatchObject({ requestId: REQUEST_ID, hostId: HOST_ID, id2: 'HEADER-ID-2' });
  });

  it('reports <Code> as sent, trimmed, even when it is not an identifier; a bare number is no code', () => {
    expect(parseObsError('<Error><Code> IncorrectNumberOfFilesInPost Request </Code></Error>')?.code).toBe('IncorrectNumberOfFilesInPost Request');
    expect(parseObsError('{"code": 401, "message": "no"}')).toBeUndefined();
  });

  it('takes ids from the body when the headers have none', () => {
    expect(parseObsError(obsErrorXml('NoSuchKey'))).toMatchObject({ requestId: REQUEST_ID, hostId: HOST_ID });
  });

  it('reads a bodiless HEAD error from x-obs-error-code / x-obs-error-message', () => {
    const headers = { 'x-obs-error-code': 'NoSuchKey', 'x-obs-error-message': 'The specified key does not exist.', 'x-obs-request-id': REQUEST_ID };
    expect(parseObsError('', headers)).toEqual({ code: 'NoSuchKey', message: 'The specified key does not exist.', requestId: REQUEST_ID, hostId: undefined });
  });

  it('reads the x-amz-* twins of S3-compatible responses', () => {
    const headers = { 'x-amz-error-code': 'AccessDenied', 'x-amz-request-id': 'AMZREQ', 'x-amz-id-2': 'AMZID2' };
    expect(parseObsError(undefined, headers)).toMatchObject({ code: 'AccessDenied', requestId: 'AMZREQ', hostId: 'AMZID2', id2: 'AMZID2' });
  });

  it('matches header names in any case, in plain objects and AxiosHeaders', () => {
    expect(parseObsError('', { 'X-OBS-ERROR-CODE': 'SlowDown', 'X-Obs-Request-Id': 'R1' })).toMatchObject({ code: 'SlowDown', requestId: 'R1' });
    const headers = new AxiosHeaders({ 'X-Obs-Error-Code': 'SlowDown', 'X-OBS-ID-2': 'H2' });
    expect(parseObsError(null, headers)).toMatchObject({ code: 'SlowDown', hostId: 'H2' });
  });

  it('handles a BOM, a multi-line body and a default namespace', () => {
    expect(parseObsError(MULTILINE_NAMESPACED)).toMatchObject({ code: 'NoSuchBucket', requestId: REQUEST_ID, resource: 'photos' });
  });

  it('handles prefixed namespaces', () => {
    expect(parseObsError(PREFIXED_NAMESPACE)).toMatchObject({ code: 'AccessDenied', message: 'Access Denied' });
  });

  it('keeps request ids strings, leading zeros included', () => {
    const parsed = parseObsError('<Error><Code>X</Code><RequestId>00001234</RequestId><HostId>0000</HostId></Error>');
    expect(parsed).toMatchObject({ requestId: '00001234', hostId: '0000' });
  });

  it('decodes the predefined XML entities', () => {
    expect(parseObsError('<Error><Code>X</Code><Message>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</Message></Error>')?.message).toBe(
      `a & b <c> "d" 'e'`,
    );
  });

  it('never expands DOCTYPE-declared entities (billion laughs, XXE) and returns fast', () => {
    const started = Date.now();
    const laughs = parseObsError(BILLION_LAUGHS);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(laughs?.code).toBe('InternalError');
    expect(laughs?.message ?? '').not.toContain('lollol');
    const xxe = parseObsError(XXE);
    expect(xxe?.code).toBe('AccessDenied');
    expect(xxe?.message ?? '').not.toContain('root:');
  });

  it('parses OEF JSON bodies', () => {
    expect(parseObsError(OEF_JSON)).toEqual({ code: 'SYS.0011', message: 'Too many requests.', requestId: '000001834B2A3C4D5E6F708192A3B4C5', hostId: undefined });
  });

  it('accepts Buffer, ArrayBuffer, Uint8Array and already-parsed objects', () => {
    const xml = obsErrorXml('SlowDown');
    const buffer = Buffer.from(xml);
    const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    for (const body of [buffer, arrayBuffer, new Uint8Array(buffer)]) expect(parseObsError(body)?.code).toBe('SlowDown');
    expect(parseObsError({ Error: { Code: 'SlowDown', RequestId: 'R' } })).toMatchObject({ code: 'SlowDown', requestId: 'R' });
    expect(parseObsError({ Code: 'SlowDown' })?.code).toBe('SlowDown');
    expect(parseObsError({ code: 'SYS.0011', request_id: 'R2' })).toMatchObject({ code: 'SYS.0011', requestId: 'R2' });
  });

  it('reads <Endpoint> of a 301 without Location', () => {
    expect(parseObsError(PERMANENT_REDIRECT_WITH_ENDPOINT)).toMatchObject({ code: 'PermanentRedirect', endpoint: 'photos.obs.cn-north-4.myhuaweicloud.com' });
  });

  it.each(BROKEN_BODIES)('never throws on a %s body', (_name, body) => {
    expect(() => parseObsError(body)).not.toThrow();
  });

  it('returns undefined for bodies with nothing OBS-shaped, and partial results for truncated ones', () => {
    const parse = (name: string): ReturnType<typeof parseObsError> => {
      const entry = BROKEN_BODIES.find(([candidate]) => candidate === name);
      if (entry === undefined) throw new Error(`no broken body named "${name}" in the corpus`);
      return parseObsError(entry[1]);
    };
    expect(['truncated mid-tag', 'truncated in text'].map((name) => parse(name)?.code)).toEqual(['NoSuchKey', 'NoSuchKey']);
    const shapeless = ['garbage', 'empty', 'whitespace', 'JSON array', 'broken JSON', 'plain text', 'HTML 502', 'two roots'];
    expect(shapeless.map(parse)).toEqual(shapeless.map(() => undefined));
  });

  it('reports a prose "code" as sent, but no markup, line breaks or over-long text', () => {
    expect(parseObsError('<Error><Code>not a code at all</Code></Error>')?.code).toBe('not a code at all');
    expect(parseObsError('<Error><Code>a\nb</Code></Error>')).toBeUndefined();
    expect(parseObsError(`<Error><Code>${'A'.repeat(200)}</Code></Error>`)).toBeUndefined();
    expect(parseObsError('{"code": "<b>x</b>"}')).toBeUndefined();
  });

  it('reads only a bounded prefix of a 50 MB body, in bounded time', () => {
    const huge = Buffer.alloc(50 * 1024 * 1024, 0x41);
    Buffer.from('<Error><Code>InternalError</Code><Message>').copy(huge, 0);
    const started = Date.now();
    expect(parseObsError(huge)?.code).toBe('InternalError');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('survives streams, hostile getters and odd types', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    for (const body of [undefined, null, 42, true, Symbol('x'), { pipe: () => undefined }, hostile]) {
      expect(() => parseObsError(body, hostile)).not.toThrow();
    }
  });
});
