import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ObsError, RedirectEvent } from '../../src/index.js';
import { FAST, policyClient, recordEvents, settle, startServer } from './harness.js';

const tlsDir = path.join(__dirname, '..', 'fixtures', 'tls');
const httpsServers: https.Server[] = [];
afterEach(async () => {
  await Promise.all(
    httpsServers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => {
            resolve();
          });
        }),
    ),
  );
});

function failFastReasons(events: [string, unknown][]): string[] {
  return events.filter(([name]) => name === 'failFast').map(([, e]) => (e as { reason: string }).reason);
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
    const response = await client.get('/k.txt', { params: { versionId: 'v7' } });
    expect(response.data).toBe('K');
    expect(b.requests[0]?.host).toBe(`photos.obs-eu.test:${String(b.port)}`);
    expect(b.requests[0]?.url).toBe('/k.txt?versionId=v7');
  });

  it('fails fast on WebsiteRedirect (301) without following it', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ error: 'WebsiteRedirect', location: `${server.url}/elsewhere` });
    const result = await settle(client.get('/photos/a'));
    expect(server.requests).toHaveLength(1);
    expect(result.ok).toBe(false);
    if (!result.ok) expect((result.error as ObsError).obsCode).toBe('WebsiteRedirect');
    expect(failFastReasons(events)).toEqual(['policy: fail']);
  });

  it('fails fast on a 3xx without a usable target', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ redirect: 307 });
    const result = await settle(client.get('/photos/a'));
    expect(result.ok).toBe(false);
    expect(server.requests).toHaveLength(1);
    expect(failFastReasons(events)).toEqual(['redirect refused: redirect without Location or Endpoint']);
  });

  it('refuses a redirect to a foreign host: nothing at all is sent there, credentials included', async () => {
    const [a, evil] = [await startServer(), await startServer()];
    const { client, handle } = policyClient(a.url);
    const events = recordEvents(handle);
    a.enqueue({ redirect: 307, location: `http://evil.test:${String(evil.port)}/steal` });
    const result = await settle(client.get('/photos/a', { headers: { Authorization: 'OBS AK:secret', 'x-obs-security-token': 'tok' } }));
    expect(result.ok).toBe(false);
    expect(evil.requests).toHaveLength(0);
    expect(failFastReasons(events)[0]).toMatch(/host evil.test refused/);
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
    await settle(client.get('/k'));
    expect(hosts).toEqual([`photos.obs.test:${String(a.port)}`, `photos.obs-b.test:${String(b.port)}`]);
    expect(b.requests[0]?.headers.authorization).toBe(`OBS AK:sig-for-photos.obs-b.test:${String(b.port)}`);
  });

  it('never downgrades https to http', async () => {
    const plain = await startServer();
    const secure = https.createServer(
      { key: readFileSync(path.join(tlsDir, 'localhost.key')), cert: readFileSync(path.join(tlsDir, 'localhost.crt')) },
      (_req, res) => {
        res.writeHead(307, { location: `http://127.0.0.1:${String(plain.port)}/photos/a` });
        res.end();
      },
    );
    httpsServers.push(secure);
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const port = (secure.address() as AddressInfo).port;
    // The harness trusts the fixture's CA on either adapter (https.Agent or undici dispatcher).
    const { client, handle } = policyClient(`https://127.0.0.1:${String(port)}`, FAST, {}, { ca: readFileSync(path.join(tlsDir, 'localhost.crt')) });
    const events = recordEvents(handle);
    const result = await settle(client.get('/photos/a'));
    expect(result.ok).toBe(false);
    expect(plain.requests).toHaveLength(0);
    expect(failFastReasons(events)).toEqual(['redirect refused: redirect from https to http refused']);
  });

  it('detects a redirect loop', async () => {
    const [a, b] = [await startServer(), await startServer()];
    const { client, handle } = policyClient(a.url, { ...FAST, redirect: { maxRedirects: 10 } });
    const events = recordEvents(handle);
    a.enqueue({ redirect: 307, location: `${b.url}/photos/a` });
    b.enqueue({ redirect: 307, location: `${a.url}/photos/a` });
    const result = await settle(client.get('/photos/a'));
    expect(result.ok).toBe(false);
    expect(a.requests.length + b.requests.length).toBe(2);
    expect(failFastReasons(events)).toEqual(['redirect refused: redirect loop']);
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
    const result = await settle(client.get('/photos/0'));
    expect(result.ok).toBe(false);
    expect(server.requests).toHaveLength(3);
    expect(failFastReasons(events)).toEqual(['redirect refused: more than maxRedirects (2) hops']);
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
    await settle(client.get('/alpha/k'));
    await settle(client.get('/beta/k'));
    await settle(client.get('/alpha/other'));
    expect(a.requests.map((r) => r.path)).toEqual(['/alpha/k', '/beta/k']);
    expect(b.requests.map((r) => r.path)).toEqual(['/alpha/k', '/alpha/other']);
  });
});
