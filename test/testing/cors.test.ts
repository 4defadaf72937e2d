/**
 * CORS of the local OBS server (`cors` option): preflights answered before
 * steps and scenarios and never recorded, the OBS headers exposed on every
 * answer (store, scripted errors, bodiless HEAD errors, redirects, raw steps,
 * the server's own 500s), an origin allow-list, refusals, and nothing when off.
 */
import { describe, expect, it } from '@jest/globals';
import type { AxiosResponse } from 'axios';
import { custom } from '../../src/testing/index.js';
import { CORS_EXPOSED_HEADERS } from '../../src/testing/cors.js';
import { rawClient, startServer } from '../support/harness.js';

const PAGE = 'http://127.0.0.1:5173';
const EXPOSED = CORS_EXPOSED_HEADERS.join(', ');

/** The CORS response headers of an answer. */
function corsOf(response: AxiosResponse): Record<string, unknown> {
  return {
    origin: response.headers['access-control-allow-origin'],
    expose: response.headers['access-control-expose-headers'],
  };
}

/** A browser's preflight for a PUT with the headers a signed upload sends. */
function preflight(url: string, origin = PAGE, method = 'PUT', headers = 'authorization, content-type, x-obs-date, x-obs-meta-owner'): Promise<AxiosResponse> {
  return rawClient(url).options('/photos/a.txt', {
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

describe('local OBS server: CORS', () => {
  it('answers a preflight before the queued steps, without recording it', async () => {
    const server = await startServer({ cors: true });
    server.enqueue({ error: 'SlowDown' });
    const answer = await preflight(server.url);
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD, PUT, POST, DELETE',
      'access-control-allow-headers': 'authorization, content-type, x-obs-date, x-obs-meta-owner',
      'access-control-max-age': '600',
      'access-control-expose-headers': EXPOSED,
    });
    expect([server.requests, server.pendingSteps]).toEqual([[], 1]);
    // The step is still there for the request the page really sends.
    const put = await rawClient(server.url).put('/photos/a.txt', 'A', { headers: { origin: PAGE } });
    expect([put.status, server.requests.length, server.pendingSteps]).toEqual([503, 1, 0]);
  });

  it('exposes the OBS headers on every kind of answer', async () => {
    const server = await startServer({ cors: true });
    server.putObject('photos', 'a.txt', 'A');
    server.enqueue(
      { error: 'SlowDown', retryAfter: 1 },
      { error: 'NoSuchKey', match: { method: 'HEAD' } },
      { redirect: 307, location: 'http://photos.obs.other.test/a.txt' },
      { status: 502, body: 'bad gateway', obsHeaders: false },
    );
    server.scenario(
      custom((request) => {
        if (request.key === 'boom') throw new Error('scripted failure');
        return undefined;
      }),
    );
    const http = rawClient(server.url, { headers: { origin: PAGE } });
    const answers = [
      await http.get('/photos/a.txt'),
      await http.head('/photos/a.txt'),
      await http.get('/photos/a.txt'),
      await http.get('/photos/a.txt'),
      await http.get('/photos/boom'),
      await http.get('/photos/a.txt'),
    ];
    expect(answers.map((a) => a.status)).toEqual([503, 404, 307, 502, 500, 200]);
    for (const answer of answers) expect(corsOf(answer)).toEqual({ origin: '*', expose: EXPOSED });
    // The headers the page reads through them are really there.
    expect(answers[0]?.headers['retry-after']).toBe('1');
    expect(answers[1]?.headers['x-obs-error-code']).toBe('NoSuchKey');
    expect(typeof answers[5]?.headers['x-obs-request-id']).toBe('string');
    expect(typeof answers[5]?.headers.etag).toBe('string');
  });

  it('allows only the listed origins, echoing the origin with Vary: Origin', async () => {
    const server = await startServer({ cors: { origins: [PAGE] } });
    server.putObject('photos', 'a.txt', 'A');
    const allowed = await rawClient(server.url).get('/photos/a.txt', { headers: { origin: PAGE } });
    expect([corsOf(allowed), allowed.headers.vary]).toEqual([{ origin: PAGE, expose: EXPOSED }, 'Origin']);
    const other = await rawClient(server.url).get('/photos/a.txt', { headers: { origin: 'http://evil.test' } });
    // The answer itself is sent (CORS is the browser's check); it only lacks the permission.
    expect([other.status, corsOf(other), other.headers.vary]).toEqual([200, { origin: undefined, expose: undefined }, 'Origin']);
    expect((await preflight(server.url)).headers['access-control-allow-origin']).toBe(PAGE);
    const refused = await preflight(server.url, 'http://evil.test');
    expect([refused.status, refused.headers['access-control-allow-origin'], refused.data]).toEqual([
      403,
      undefined,
      'CORSResponse: This CORS request is not allowed (origin not allowed).',
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it('refuses a preflight for a method or a header it does not allow', async () => {
    const server = await startServer({ cors: true });
    const method = await preflight(server.url, PAGE, 'PATCH');
    expect([method.status, method.headers['access-control-allow-origin'], method.data]).toEqual([403, undefined, 'CORSResponse: This CORS request is not allowed (method PATCH not allowed).']);
    const header = await preflight(server.url, PAGE, 'GET', 'x-obs-date, x-secret-thing');
    expect([header.status, header.data]).toEqual([403, 'CORSResponse: This CORS request is not allowed (header x-secret-thing not allowed).']);
    // No headers asked for: nothing to allow, and no Allow-Headers.
    const bare = await preflight(server.url, PAGE, 'GET', '');
    expect([bare.status, bare.headers['access-control-allow-headers']]).toEqual([200, undefined]);
    expect(server.requests).toEqual([]);
  });

  it('lets a plain OPTIONS (no Access-Control-Request-Method) through to the server', async () => {
    const server = await startServer({ cors: true });
    const answer = await rawClient(server.url).options('/photos/a.txt', { headers: { origin: PAGE } });
    expect([answer.status, corsOf(answer), server.requests.map((r) => r.method)]).toEqual([405, { origin: '*', expose: EXPOSED }, ['OPTIONS']]);
  });

  it('lets a raw step set its own CORS header (to script a misconfigured bucket)', async () => {
    const server = await startServer({ cors: true });
    server.enqueue({ status: 200, body: 'x', headers: { 'Access-Control-Allow-Origin': 'http://elsewhere.test' } });
    const answer = await rawClient(server.url).get('/photos/a.txt', { headers: { origin: PAGE } });
    expect(corsOf(answer)).toEqual({ origin: 'http://elsewhere.test', expose: EXPOSED });
  });

  it('adds nothing when off, and a preflight is an ordinary request then', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const plain = await rawClient(server.url).get('/photos/a.txt', { headers: { origin: PAGE } });
    expect([corsOf(plain), plain.headers.vary]).toEqual([{ origin: undefined, expose: undefined }, undefined]);
    const asked = await preflight(server.url);
    expect([asked.status, asked.headers['access-control-allow-origin'], server.requests.map((r) => r.method)]).toEqual([405, undefined, ['GET', 'OPTIONS']]);
  });
});
