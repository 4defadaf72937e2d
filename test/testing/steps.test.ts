/**
 * Scripted steps of the local OBS server: every answer kind, the helpers for
 * broken answers, FIFO order with match and times, and delays.
 */
import { describe, expect, it } from '@jest/globals';
import { parseObsError } from '../../src/index.js';
import { copyFailure, html502, hugeBody, malformedXml, truncatedXml } from '../../src/testing/index.js';
import { rawClient, startServer } from '../support/harness.js';

describe('local OBS server: error steps', () => {
  it('answers a catalog code with its status and message, the request id in header and body', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue({ error: 'SlowDown' });
    const answer = await rawClient(server.url).get<string>('/b/k');
    const parsed = parseObsError(answer.data, answer.headers);
    expect([answer.status, answer.headers['content-type']]).toEqual([503, 'application/xml']);
    expect(parsed).toMatchObject({ code: 'SlowDown', message: 'Too frequent requests. Reduce your request frequency.', resource: 'k' });
    expect(answer.data).toContain(`<RequestId>${String(answer.headers['x-obs-request-id'])}</RequestId>`);
    expect(server.requests[0]?.response).toEqual({ status: 503, code: 'SlowDown' });
  });

  it('overrides status and message, escapes them, and gives unknown codes 500', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue({ error: 'InternalError', status: 502, message: 'a <b> & "c"' }, { error: 'MadeUpCode' });
    const http = rawClient(server.url);
    const overridden = await http.get<string>('/b/k');
    expect([overridden.status, overridden.data.includes('<Message>a &lt;b&gt; &amp; &quot;c&quot;</Message>')]).toEqual([502, true]);
    const unknown = await http.get<string>('/b/k');
    expect([unknown.status, parseObsError(unknown.data)?.code]).toEqual([500, 'MadeUpCode']);
  });

  it('adds Retry-After (seconds or date), Location, Endpoint and extra headers', async () => {
    const server = await startServer({ buckets: [] });
    const when = new Date('2030-01-02T03:04:05Z');
    server.enqueue(
      { error: 'SlowDown', retryAfter: 3, headers: { 'X-Extra': 'yes' } },
      { error: 'ServiceUnavailable', retryAfter: when },
      { error: 'PermanentRedirect', endpoint: 'b.obs.other.test', headers: { 'Retry-After': '9' }, retryAfter: 1 },
      { error: 'TemporaryRedirect', location: 'http://b.obs.other.test/k' },
    );
    const http = rawClient(server.url);
    const seconds = await http.get('/b/k');
    expect([seconds.headers['retry-after'], seconds.headers['x-extra']]).toEqual(['3', 'yes']);
    expect((await http.get('/b/k')).headers['retry-after']).toBe('Wed, 02 Jan 2030 03:04:05 GMT');
    const moved = await http.get<string>('/b/k');
    expect([moved.status, moved.headers.location, moved.headers['retry-after'], parseObsError(moved.data)?.endpoint]).toEqual([301, undefined, '9', 'b.obs.other.test']);
    const temporary = await http.get('/b/k');
    expect([temporary.status, temporary.headers.location]).toEqual([307, 'http://b.obs.other.test/k']);
  });

  it('answers bodyless, OEF JSON and S3-compatible forms', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue({ error: 'AccessDenied', bodyless: true }, { error: 'TooManyRequests', json: true }, { error: 'InternalError', amz: true }, { error: 'NoSuchKey', amz: true });
    const http = rawClient(server.url);
    const bodyless = await http.get('/b/k');
    expect([bodyless.status, bodyless.data, bodyless.headers['x-obs-error-code'], bodyless.headers['content-length']]).toEqual([403, '', 'AccessDenied', '0']);
    const json = await http.get<string>('/b/k');
    const body = JSON.parse(json.data) as Record<string, unknown>;
    expect([json.status, json.headers['content-type'], body.code, body.request_id]).toEqual([429, 'application/json', 'TooManyRequests', json.headers['x-obs-request-id']]);
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'request_id']);
    const amz = await http.get<string>('/b/k');
    expect([amz.headers['x-obs-request-id'], amz.headers['x-obs-id-2']]).toEqual([undefined, undefined]);
    expect(amz.headers['x-amz-request-id']).toMatch(/^[0-9A-F]{32}$/);
    expect(amz.data).toContain(`<RequestId>${String(amz.headers['x-amz-request-id'])}</RequestId>`);
    const amzHead = await http.head('/b/k');
    expect(amzHead.headers['x-amz-error-code']).toBe('NoSuchKey');
  });

  it('answers a scripted error to HEAD without a body', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue({ error: 'SlowDown' });
    const head = await rawClient(server.url).head('/b/k');
    expect([head.status, head.data, head.headers['x-obs-error-code']]).toEqual([503, '', 'SlowDown']);
  });
});

describe('local OBS server: redirect and raw steps', () => {
  it('words 301, 302 and 307 redirects as OBS does', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue(
      { redirect: 307, location: 'http://b.obs.eu.test/k', endpoint: 'b.obs.eu.test' },
      { redirect: 301, endpoint: 'b.obs.moved.test' },
      { redirect: 302, location: 'http://elsewhere.test/k', headers: { 'x-obs-bucket-location': 'eu' } },
      { redirect: 307, location: 'http://b.obs.eu.test/k' },
    );
    const http = rawClient(server.url);
    const temporary = await http.get<string>('/b/k');
    expect([temporary.status, temporary.headers.location, parseObsError(temporary.data)?.code, parseObsError(temporary.data)?.endpoint]).toEqual([
      307,
      'http://b.obs.eu.test/k',
      'TemporaryRedirect',
      'b.obs.eu.test',
    ]);
    const permanent = await http.get<string>('/b/k');
    expect([permanent.status, permanent.headers.location, parseObsError(permanent.data)?.code]).toEqual([301, undefined, 'PermanentRedirect']);
    const found = await http.get<string>('/b/k');
    expect([found.status, found.headers['x-obs-bucket-location'], parseObsError(found.data)?.code]).toEqual([302, 'eu', 'Found']);
    const head = await http.head('/b/k');
    expect([head.status, head.data, head.headers['x-obs-error-code'], head.headers.location]).toEqual([307, '', 'TemporaryRedirect', 'http://b.obs.eu.test/k']);
  });

  it('plays raw answers and the broken-answer helpers', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue(html502(), { status: 503 }, malformedXml(), truncatedXml('InternalError', 503), copyFailure('InternalError'), { status: 418, body: 'teapot', headers: { 'Content-Type': 'text/plain' } });
    const http = rawClient(server.url);
    const html = await http.get<string>('/b/k');
    expect([html.status, html.headers['content-type'], html.headers.server, html.headers['x-obs-request-id']]).toEqual([502, 'text/html', 'elb', undefined]);
    expect(html.data).toContain('502 Bad Gateway');
    const empty = await http.get('/b/k');
    expect([empty.status, empty.data, empty.headers['x-obs-request-id'] !== undefined]).toEqual([503, '', true]);
    const malformed = await http.get<string>('/b/k');
    expect([malformed.status, parseObsError(malformed.data)?.code]).toEqual([500, undefined]);
    const truncated = await http.get<string>('/b/k');
    expect([truncated.status, parseObsError(truncated.data)?.code, truncated.data.endsWith('</Error>')]).toEqual([503, 'InternalError', false]);
    const copy = await http.put<string>('/b/dst', '', { headers: { 'x-obs-copy-source': '/b/src' } });
    expect([copy.status, parseObsError(copy.data)?.code]).toEqual([200, 'InternalError']);
    expect(parseObsError(copy.data)?.requestId).toMatch(/^[0-9A-F]{32}$/);
    const custom = await http.get('/b/k');
    expect([custom.status, custom.data, custom.headers['content-type']]).toEqual([418, 'teapot', 'text/plain']);
    expect(server.requests.map((r) => r.response)).toEqual([{ status: 502 }, { status: 503 }, { status: 500 }, { status: 503 }, { status: 200 }, { status: 418 }]);
  });

  it('sends a huge body in full', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue(hugeBody(500, 3 * 1024 * 1024));
    const answer = await rawClient(server.url, { responseType: 'arraybuffer' }).get<ArrayBuffer>('/b/k');
    expect([answer.status, answer.data.byteLength, answer.headers['content-length']]).toEqual([500, 3 * 1024 * 1024, String(3 * 1024 * 1024)]);
  });
});

describe('local OBS server: queue semantics', () => {
  it('consumes steps in order by matching requests only; the others fall through to the store', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    server.putObject('b', 'other', 'o');
    server.enqueue({ error: 'SlowDown', match: { path: '/b/k', method: 'GET' }, times: 2 }, { error: 'InternalError', match: { path: /other$/ } });
    const http = rawClient(server.url);
    expect((await http.head('/b/k')).status).toBe(200);
    expect((await http.get('/b/k')).status).toBe(503);
    expect((await http.get('/b/none')).status).toBe(404);
    expect((await http.get('/b/other')).status).toBe(500);
    expect(server.pendingSteps).toBe(1);
    expect((await http.get('/b/k')).status).toBe(503);
    expect(server.pendingSteps).toBe(0);
    expect((await http.get('/b/k')).data).toBe('v');
  });

  it('matches steps by host, so one server can play several virtual-hosted buckets', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('a', 'k', 'from a');
    server.putObject('b', 'k', 'from b');
    server.enqueue({ error: 'AccessDenied', match: { host: 'b.obs.test' } });
    const port = server.port;
    expect((await rawClient(`http://a.obs.test:${port}`).get('/k')).data).toBe('from a');
    expect((await rawClient(`http://b.obs.test:${port}`).get('/k')).status).toBe(403);
    expect((await rawClient(`http://b.obs.test:${port}`).get('/k')).data).toBe('from b');
  });

  it('delays an answer, or just the default answer with an ok step', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    server.enqueue({ ok: true, delayMs: 80 }, { error: 'SlowDown', delayMs: 80 });
    const http = rawClient(server.url);
    const started = Date.now();
    const slow = await http.get('/b/k');
    const slowError = await http.get('/b/k');
    expect([slow.status, slow.data, slowError.status]).toEqual([200, 'v', 503]);
    // Generous bound: only that the delays happened, not their precision.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('forgets steps, scenarios and records on reset()', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    server.enqueue({ error: 'SlowDown', times: 5 });
    const http = rawClient(server.url);
    await http.get('/b/k');
    server.reset();
    expect([server.pendingSteps, server.requests.length]).toEqual([0, 0]);
    expect((await http.get('/b/k')).status).toBe(200);
    expect(server.requests[0]?.seq).toBe(2);
  });
});
