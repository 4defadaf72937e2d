import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import type { RedirectEvent } from '../../src/index.js';
import { FAST, namesOf, obsRejection, policyClient, reasonsOf, recordEvents, startServer, startTlsServer, TLS_CERT } from '../support/harness.js';

/** Freezes `value` and everything reachable from it (RegExps and functions included); returns it. */
function deepFreeze<T>(value: T): T {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

describe('redirect', () => {
  it('follows a 307 with the same method, headers and body, and does not remember it', async () => {
    const [a, b] = [await startServer(), await startServer()];
    const { client, handle } = policyClient(a.url);
    const events = recordEvents(handle);
    a.enqueue({ redirect: 307, location: `${b.url}/photos/doc.txt` });
    await client.put('/photos/doc.txt', 'body-bytes', { headers: { 'x-obs-meta-color': 'blue' } });
    const [hop] = b.requests;
    expect([hop?.method, hop?.body.toString(), hop?.headers['x-obs-meta-color']]).toEqual(['PUT', 'body-bytes', 'blue']);
    const redirect = events[0]?.[1] as RedirectEvent;
    expect([redirect.status, redirect.permanent, redirect.to]).toEqual([307, false, `${b.url}/photos/doc.txt`]);
    await client.get('/photos/doc.txt', { validateStatus: () => true });
    expect(a.requests).toHaveLength(2);
  });

  it('follows a 301 PermanentRedirect and remembers it: the next call goes straight to the new endpoint', async () => {
    const [a, b] = [await startServer(), await startServer()];
    b.putObject('photos', 'x.txt', Buffer.from('X'));
    b.putObject('photos', 'y.txt', Buffer.from('Y'));
    const { client, handle } = policyClient(a.url);
    const events = recordEvents(handle);
    a.enqueue({ redirect: 301, location: `${b.url}/photos/x.txt` });
    expect((await client.get('/photos/x.txt')).data).toBe('X');
    expect((await client.get('/photos/y.txt')).data).toBe('Y');
    expect(a.requests).toHaveLength(1);
    expect(b.requests.map((r) => r.path)).toEqual(['/photos/x.txt', '/photos/y.txt']);
    expect(events.filter(([name]) => name === 'redirect')).toHaveLength(1);
  });

  it('follows a 301 without Location to the XML <Endpoint> of an allowed host, keeping path and query', async () => {
    const [a, b] = [await startServer(), await startServer()];
    b.putObject('photos', 'k.txt', Buffer.from('K'));
    const { client } = policyClient(`http://photos.obs.test:${String(a.port)}`, { ...FAST, redirect: { allowHosts: ['.obs-eu.test'] } });
    a.enqueue({ error: 'PermanentRedirect', endpoint: `photos.obs-eu.test:${String(b.port)}` });
    const response = await client.get('/k.txt', { params: { 'response-cache-control': 'no-cache' } });
    expect(response.data).toBe('K');
    expect(b.requests[0]?.host).toBe(`photos.obs-eu.test:${String(b.port)}`);
    expect(b.requests[0]?.url).toBe('/k.txt?response-cache-control=no-cache');
  });

  it('fails fast on WebsiteRedirect (301) without following it', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ error: 'WebsiteRedirect', location: `${server.url}/elsewhere` });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'WebsiteRedirect', status: 301, action: 'fail', attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(reasonsOf(events, 'failFast')).toEqual(['policy: fail']);
  });

  it('fails fast on a 3xx without a usable target', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ redirect: 307 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'TemporaryRedirect', status: 307, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(reasonsOf(events, 'failFast')).toEqual(['redirect refused: redirect without Location or Endpoint']);
  });

  it('refuses a redirect to a foreign host: nothing at all is sent there, credentials included', async () => {
    const [a, evil] = [await startServer(), await startServer()];
    const { client, handle } = policyClient(a.url);
    const events = recordEvents(handle);
    a.enqueue({ redirect: 307, location: `http://evil.test:${String(evil.port)}/steal` });
    await expect(client.get('/photos/a', { headers: { Authorization: 'OBS AK:secret', 'x-obs-security-token': 'tok' } })).rejects.toMatchObject({
      obsCode: 'TemporaryRedirect',
      attempts: 1,
    });
    expect(evil.requests).toHaveLength(0);
    expect(reasonsOf(events, 'failFast')[0]).toMatch(/host evil.test refused/);
  });

  it('carries headers to an allowed host and re-signs for it', async () => {
    const [a, b] = [await startServer(), await startServer()];
    const hosts: string[] = [];
    const { client } = policyClient(`http://photos.obs.test:${String(a.port)}`, {
      ...FAST,
      redirect: { allowHosts: [/^photos\.obs-b\.test$/] },
      sign: (config) => {
        const host = new URL(config.url ?? '').host;
        hosts.push(host);
        config.headers.set('Authorization', `OBS AK:sig-for-${host}`);
        return config;
      },
    });
    a.enqueue({ redirect: 307, location: `http://photos.obs-b.test:${String(b.port)}/k` });
    // The hop lands on b's store: its photos bucket has no key k.
    await expect(client.get('/k')).rejects.toMatchObject({ obsCode: 'NoSuchKey', attempts: 2 });
    expect(hosts).toEqual([`photos.obs.test:${String(a.port)}`, `photos.obs-b.test:${String(b.port)}`]);
    expect(b.requests[0]?.headers.authorization).toBe(`OBS AK:sig-for-photos.obs-b.test:${String(b.port)}`);
  });

  it('never downgrades https to http', async () => {
    const plain = await startServer();
    const secure = await startTlsServer((_req, res) => {
      res.writeHead(307, { location: `http://127.0.0.1:${String(plain.port)}/photos/a` });
      res.end();
    });
    // The harness trusts the test certificate on either adapter (https.Agent or undici dispatcher).
    const { client, handle } = policyClient(secure.url, FAST, {}, { ca: TLS_CERT });
    const events = recordEvents(handle);
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'HTTP_307', status: 307, attempts: 1 });
    expect(plain.requests).toHaveLength(0);
    expect(reasonsOf(events, 'failFast')).toEqual(['redirect refused: redirect from https to http refused']);
  });

  it('detects a redirect loop', async () => {
    const [a, b] = [await startServer(), await startServer()];
    const { client, handle } = policyClient(a.url, { ...FAST, redirect: { maxRedirects: 10 } });
    const events = recordEvents(handle);
    a.enqueue({ redirect: 307, location: `${b.url}/photos/a` });
    b.enqueue({ redirect: 307, location: `${a.url}/photos/a` });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'TemporaryRedirect', attempts: 2 });
    expect(a.requests.length + b.requests.length).toBe(2);
    expect(reasonsOf(events, 'failFast')).toEqual(['redirect refused: redirect loop']);
  });

  it('refuses more than maxRedirects hops', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, redirect: { maxRedirects: 2 } });
    const events = recordEvents(handle);
    server.enqueue(
      { redirect: 307, location: `${server.url}/photos/1` },
      { redirect: 307, location: `${server.url}/photos/2` },
      { redirect: 307, location: `${server.url}/photos/3` },
    );
    await expect(client.get('/photos/0')).rejects.toMatchObject({ obsCode: 'TemporaryRedirect', attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(reasonsOf(events, 'failFast')).toEqual(['redirect refused: more than maxRedirects (2) hops']);
  });

  it('does not use up retries on redirect hops', async () => {
    const server = await startServer();
    server.putObject('photos', 'b', Buffer.from('B'));
    const { client } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 1 } });
    server.enqueue({ redirect: 307, location: `${server.url}/photos/b` }, { error: 'SlowDown' }, { redirect: 307, location: `${server.url}/photos/b` });
    const response = await client.get('/photos/a');
    expect(response.data).toBe('B');
    expect(server.requests).toHaveLength(4);
  });

  it('keeps a path-style 301 to its own bucket: it cannot move calls for another bucket', async () => {
    const [a, b] = [await startServer(), await startServer()];
    const { client } = policyClient(a.url);
    a.enqueue({ redirect: 301, location: `${b.url}/alpha/k` });
    // Neither bucket exists on either server: each call ends on the store's NoSuchBucket.
    await expect(client.get('/alpha/k')).rejects.toMatchObject({ obsCode: 'NoSuchBucket', attempts: 2 });
    await expect(client.get('/beta/k')).rejects.toMatchObject({ obsCode: 'NoSuchBucket', attempts: 1 });
    await expect(client.get('/alpha/other')).rejects.toMatchObject({ obsCode: 'NoSuchBucket', attempts: 1 });
    expect(a.requests.map((r) => r.path)).toEqual(['/alpha/k', '/beta/k']);
    expect(b.requests.map((r) => r.path)).toEqual(['/alpha/k', '/alpha/other']);
  });

  it.each([
    ['PUT', 303],
    ['POST', 303],
    ['PUT', 302],
    ['DELETE', 303],
  ] as const)('never sends a %s answered %i again: it fails fast, and the answer keeps the Location to GET', async (method, status) => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    const location = `${server.url}/photos/result`;
    server.enqueue({ status, headers: { location } });
    const error = await obsRejection(client.request({ method, url: '/photos/doc.txt', data: method === 'DELETE' ? undefined : 'body-bytes' }));
    const reason = `redirect refused: ${String(status)} to a ${method}: the request is not sent again (it may have been processed); the answer's Location says where to GET the result`;
    expect([error.obsCode, error.status, error.action, error.attempts, error.reason]).toEqual([`HTTP_${String(status)}`, status, 'redirect', 1, reason]);
    expect(error.response?.headers.location).toBe(location);
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([[method, '/photos/doc.txt']]);
    expect(namesOf(events)).toEqual(['failFast']);
  });

  it('follows a 303 to a GET as a GET', async () => {
    const server = await startServer();
    server.putObject('photos', 'result', Buffer.from('R'));
    const { client } = policyClient(server.url);
    server.enqueue({ status: 303, headers: { location: `${server.url}/photos/result` } });
    expect((await client.get('/photos/doc.txt')).data).toBe('R');
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/photos/doc.txt'],
      ['GET', '/photos/result'],
    ]);
  });

  it('follows a cross-host redirect with deep-frozen options whose allowHosts hold a global, sticky RegExp', async () => {
    const [a, b] = [await startServer(), await startServer()];
    b.putObject('photos', 'k', Buffer.from('K'));
    const allowB = (): RegExp[] => [Object.freeze(/^photos\.obs-b\.test$/gy)];
    const options = deepFreeze({ ...FAST, retry: { ...FAST.retry }, redirect: { allowHosts: allowB(), maxRedirects: 2 } });
    const { client } = policyClient(`http://photos.obs.test:${String(a.port)}`, options);
    a.enqueue({ redirect: 307, location: `http://photos.obs-b.test:${String(b.port)}/k` }, { redirect: 307, location: `http://photos.obs-b.test:${String(b.port)}/k` });
    // The handle's frozen allowHosts, twice (a RegExp that kept state would refuse the second time).
    expect((await client.get('/k')).data).toBe('K');
    expect((await client.get('/k')).data).toBe('K');
    // A call's own frozen options, its RegExp frozen too.
    a.enqueue({ redirect: 307, location: `http://photos.obs-b.test:${String(b.port)}/k` });
    const obs = deepFreeze({ redirect: { allowHosts: allowB(), maxRedirects: 1 }, retry: { retries: 1 } });
    expect((await client.get('/k', { obs })).data).toBe('K');
    expect(b.requests).toHaveLength(3);
  });

  it('refuses to follow a 307 for a stream body: it cannot be sent again, nothing goes to the target', async () => {
    const [a, b] = [await startServer(), await startServer()];
    const { client, handle } = policyClient(a.url);
    const events = recordEvents(handle);
    a.enqueue({ redirect: 307, location: `${b.url}/photos/up.bin` });
    const error = await obsRejection(client.put('/photos/up.bin', Readable.from([Buffer.from('chunk-1'), Buffer.from('chunk-2')])));
    expect([error.obsCode, error.status, error.action, error.attempts]).toEqual(['TemporaryRedirect', 307, 'redirect', 1]);
    expect(error.reason).toBe('redirect refused: not replayable: request body is a stream');
    expect(namesOf(events)).toEqual(['failFast']);
    expect(reasonsOf(events, 'failFast')).toEqual(['redirect refused: not replayable: request body is a stream']);
    // The stream was sent once, in full, to the server that redirected; the target got nothing.
    expect(a.requests.map((r) => [r.method, r.body.toString()])).toEqual([['PUT', 'chunk-1chunk-2']]);
    expect(b.requests).toHaveLength(0);
  });
});
