/**
 * Transport faults and robustness of the local OBS server: resets before and
 * after the head, hanging answers, clean close() with open connections, and
 * broken input that must never take the server down.
 */
import { describe, expect, it } from '@jest/globals';
import axios from 'axios';
import http from 'node:http';
import { parseObsError } from '../../src/index.js';
import { custom } from '../../src/testing/index.js';
import { rawClient, rawExchange, sleep, startServer, until } from '../support/harness.js';

describe('local OBS server: transport faults', () => {
  it('resets the connection before the head', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue({ reset: 'before-head' });
    await expect(rawClient(server.url).get('/b/k')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(server.requests[0]?.response).toBe('reset');
  });

  it('resets the connection after the head and part of the body', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue({ reset: 'after-head', status: 500, headers: { 'x-marker': 'head-seen' } });
    // A bare http.get shows what axios hides: the head arrived, then the body broke.
    const seen = await new Promise<{ status: number | undefined; marker: unknown; bytes: number; error: string | undefined }>((resolve) => {
      const outcome = { status: undefined as number | undefined, marker: undefined as unknown, bytes: 0, error: undefined as string | undefined };
      const fail = (error: NodeJS.ErrnoException): void => {
        outcome.error = error.code;
        resolve(outcome);
      };
      const call = http.get(`${server.url}/b/k`, (res) => {
        outcome.status = res.statusCode;
        outcome.marker = res.headers['x-marker'];
        res.on('data', (chunk: Buffer) => (outcome.bytes += chunk.length));
        res.on('error', fail);
        res.on('end', () => {
          resolve(outcome);
        });
      });
      call.on('error', fail);
    });
    expect([seen.status, seen.marker, seen.error]).toEqual([500, 'head-seen', 'ECONNRESET']);
    expect(seen.bytes).toBeGreaterThan(0);
    await expect(rawClient(server.url).get('/b/k')).resolves.toMatchObject({ status: 404 });
    expect(server.requests.map((r) => r.response)).toEqual(['reset', { status: 404, code: 'NoSuchBucket' }]);
  });

  it('hangs until the client gives up, and keeps serving others', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    server.enqueue({ hang: true, match: { path: '/b/slow' } });
    const obs = rawClient(server.url);
    await expect(obs.get('/b/slow', { timeout: 100 })).rejects.toMatchObject({ code: 'ECONNABORTED' });
    expect((await obs.get('/b/k')).data).toBe('v');
    expect(server.requests[0]?.response).toBe('hang');
  });

  it('closes with a hanging request, a pending delay and idle keep-alive sockets', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    const obs = rawClient(server.url);
    await obs.get('/b/k');
    await obs.get('/b/k');
    server.enqueue({ hang: true }, { ok: true, delayMs: 60_000 });
    const hanging = obs.get('/b/k').catch((error: unknown) => error);
    const delayed = obs.get('/b/k').catch((error: unknown) => error);
    await until(() => server.requests.length === 4);
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    // Both lose their connection: axios reports a reset socket, not a timeout or an answer.
    for (const lost of [await hanging, await delayed]) {
      expect(axios.isAxiosError(lost)).toBe(true);
      expect(lost).toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
    }
    // Nothing answers on the port any more.
    await expect(axios.get(`${server.url}/b/k`, { proxy: false })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('local OBS server: robustness', () => {
  it('turns a throwing custom scenario into a 500 InternalError and keeps running', async () => {
    const server = await startServer({ buckets: [] });
    server.scenario(
      custom(() => {
        throw new Error('rule broke');
      }),
    );
    const answer = await rawClient(server.url).get<string>('/b/k');
    expect([answer.status, parseObsError(answer.data)?.code]).toEqual([500, 'InternalError']);
    expect(answer.data).toContain('rule broke');
    server.clearScenarios();
    expect((await rawClient(server.url).get('/b/k')).status).toBe(404);
  });

  it('turns a header Node refuses into a 500 InternalError', async () => {
    const server = await startServer({ buckets: [] });
    server.enqueue({ status: 200, headers: { 'x-bad': 'line\nbreak' } }, { error: 'SlowDown', message: 'Zürich\r\nsays no', bodyless: true });
    const obs = rawClient(server.url);
    expect((await obs.get('/b/k')).status).toBe(500);
    const bodyless = await obs.get('/b/k');
    expect([bodyless.status, bodyless.headers['x-obs-error-message']]).toEqual([503, 'Z rich  says no']);
  });

  it('answers garbage request lines and oversized headers without dying', async () => {
    const server = await startServer({ buckets: [] });
    expect(await rawExchange(server.port, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    const huge = `GET /b/k HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`;
    expect(await rawExchange(server.port, huge)).toMatch(/^HTTP\/1\.1 431/);
    expect((await rawClient(server.url).get('/b/k')).status).toBe(404);
    expect(server.requests).toHaveLength(1);
  });

  it('accepts odd but parseable targets: bad percent-encoding, absolute form, no Host', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    const badEncoding = await rawExchange(server.port, 'GET /b/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(badEncoding).toMatch(/^HTTP\/1\.1 404/);
    const absolute = await rawExchange(server.port, `GET http://127.0.0.1:${server.port}/b/k HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(absolute).toMatch(/^HTTP\/1\.1 200[\s\S]*\r\n\r\nv$/);
    const noHost = await rawExchange(server.port, 'GET /b/k HTTP/1.0\r\n\r\n');
    expect(noHost).toMatch(/^HTTP\/1\.1 200/);
    expect(server.requests.map((r) => [r.bucket, r.key, r.host])).toEqual([
      ['b', '%E0%A4%A', '127.0.0.1'],
      ['b', 'k', '127.0.0.1'],
      ['b', 'k', ''],
    ]);
  });

  it('survives clients that disconnect mid-body or before a delayed answer', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    await rawExchange(server.port, 'PUT /b/partial HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nonly a little', 50);
    server.enqueue({ ok: true, delayMs: 50 });
    await rawExchange(server.port, 'GET /b/k HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 10);
    await until(() => server.requests.length === 1);
    // Let the delayed answer fire into the closed connection.
    await sleep(80);
    expect(server.requests[0]?.response).toBeUndefined();
    expect(server.getObject('b', 'partial')).toBeUndefined();
    expect((await rawClient(server.url).get('/b/k')).data).toBe('v');
  });
});
