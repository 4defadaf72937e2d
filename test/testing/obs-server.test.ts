/**
 * The local OBS server itself: addressing, CRUD, OBS-shaped errors, scripted
 * steps, scenarios on an injected clock, recording, and a clean close.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import axios, { type AxiosResponse } from 'axios';
import type http from 'node:http';
import { parseObsError } from '../../src/index.js';
import { copyFailure, createLoopbackAgent, createObsServer, custom, html502, outage, throttle, truncatedXml, type ObsTestServer } from '../../src/testing/index.js';

const servers: ObsTestServer[] = [];
const agents: http.Agent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(options: Parameters<typeof createObsServer>[0] = {}): Promise<{ server: ObsTestServer; get: (url: string) => Promise<AxiosResponse> }> {
  const server = await createObsServer(options);
  servers.push(server);
  const agent = createLoopbackAgent();
  agents.push(agent);
  const client = axios.create({ baseURL: server.url, httpAgent: agent, validateStatus: () => true, responseType: 'text', maxRedirects: 0 });
  return { server, get: (url) => client.get(url) };
}

describe('local OBS server', () => {
  it('serves path-style and virtual-hosted CRUD from one store', async () => {
    const { server } = await setup();
    const agent = createLoopbackAgent();
    agents.push(agent);
    const pathStyle = axios.create({ baseURL: server.url, httpAgent: agent, validateStatus: () => true });
    const hosted = axios.create({ baseURL: `http://photos.obs.test:${String(server.port)}`, httpAgent: agent, validateStatus: () => true });
    expect((await pathStyle.put('/photos/a.txt', 'A', { headers: { 'content-type': 'text/plain' } })).status).toBe(200);
    const read = await hosted.get('/a.txt');
    expect([read.status, read.data, read.headers['content-type'], read.headers.etag]).toEqual([200, 'A', 'text/plain', '"7fc56270e7a70fa81a5935b72eacbe29"']);
    expect((await hosted.head('/a.txt')).headers['content-length']).toBe('1');
    expect((await hosted.delete('/a.txt')).status).toBe(204);
    expect((await pathStyle.get('/photos/a.txt')).status).toBe(404);
    expect(server.requests.map((r) => [r.bucket, r.key])).toEqual([
      ['photos', 'a.txt'],
      ['photos', 'a.txt'],
      ['photos', 'a.txt'],
      ['photos', 'a.txt'],
      ['photos', 'a.txt'],
    ]);
  });

  it('answers OBS-shaped errors: XML body with ids, and bodiless HEAD errors with x-obs-error-code', async () => {
    const { server, get } = await setup();
    server.createBucket('photos');
    const missing = await get('/photos/none');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-obs-request-id']).toMatch(/^[0-9A-F]{32}$/);
    expect(parseObsError(missing.data, missing.headers)).toMatchObject({ code: 'NoSuchKey', resource: 'none' });
    expect((await get('/nobucket/k')).data).toContain('<Code>NoSuchBucket</Code>');
    const agent = createLoopbackAgent();
    agents.push(agent);
    const head = await axios.head(`${server.url}/photos/none`, { httpAgent: agent, validateStatus: () => true });
    expect([head.status, head.headers['x-obs-error-code'], head.data]).toEqual([404, 'NoSuchKey', '']);
  });

  it('plays scripted steps in order, honouring match and times', async () => {
    const { server, get } = await setup();
    server.putObject('b', 'k', 'v');
    server.enqueue(
      { error: 'SlowDown', retryAfter: 2, match: { path: '/b/k' }, times: 2 },
      { error: 'AccessDenied', json: true },
      { error: 'InternalError', amz: true },
      html502(),
      truncatedXml('InternalError'),
      copyFailure('InternalError'),
      { redirect: 307, location: 'http://elsewhere.test/b/k' },
      { error: 'PermanentRedirect', endpoint: 'b.obs.other.test' },
    );
    const first = await get('/b/k');
    expect([first.status, first.headers['retry-after']]).toEqual([503, '2']);
    expect((await get('/b/k')).status).toBe(503);
    const json = await get('/b/k');
    expect([json.status, json.headers['content-type'], parseObsError(json.data)?.code]).toEqual([403, 'application/json', 'AccessDenied']);
    const amz = await get('/b/k');
    expect([amz.headers['x-amz-request-id'] !== undefined, amz.headers['x-obs-request-id']]).toEqual([true, undefined]);
    expect((await get('/b/k')).data).toContain('502 Bad Gateway');
    expect(parseObsError((await get('/b/k')).data)?.code).toBe('InternalError');
    const copy = await get('/b/k');
    expect([copy.status, parseObsError(copy.data)?.code]).toEqual([200, 'InternalError']);
    const temporary = await get('/b/k');
    expect([temporary.status, temporary.headers.location]).toEqual([307, 'http://elsewhere.test/b/k']);
    const permanent = await get('/b/k');
    expect(parseObsError(permanent.data)).toMatchObject({ code: 'PermanentRedirect', endpoint: 'b.obs.other.test' });
    expect((await get('/b/k')).data).toBe('v');
  });

  it('resets sockets before and after the response head', async () => {
    const { server, get } = await setup();
    server.putObject('b', 'k', 'v');
    server.enqueue({ reset: 'before-head' }, { reset: 'after-head' });
    await expect(get('/b/k')).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(get('/b/k')).rejects.toThrow();
    expect(server.requests.map((r) => r.response)).toEqual(['reset', 'reset']);
  });

  it('throttles to a rate and runs outage windows on an injected clock', async () => {
    let now = 1_000_000;
    const { server, get } = await setup({ now: () => now });
    server.putObject('b', 'k', 'v');
    server.scenario(throttle({ ratePerSec: 2, burst: 2, match: { path: '/b/' } }));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get('/b/k')).status);
    now += 1000;
    statuses.push((await get('/b/k')).status);
    expect(statuses).toEqual([200, 200, 503, 200]);
    server.clearScenarios();
    server.scenario(outage({ startMs: 100, durationMs: 50 }));
    const during: number[] = [];
    for (const step of [0, 120, 60]) {
      now += step;
      during.push((await get('/b/k')).status);
    }
    expect(during).toEqual([200, 500, 200]);
  });

  it('lets a custom scenario decide per request', async () => {
    const { server, get } = await setup();
    server.putObject('b', 'k', 'v');
    server.scenario(custom((request) => (request.key === 'k' ? { error: 'ServiceUnavailable' } : undefined)));
    expect((await get('/b/k')).status).toBe(503);
    expect((await get('/b/other')).status).toBe(404);
  });

  it('appends at the right position only, and copies with x-obs-copy-source', async () => {
    const { server } = await setup();
    server.putObject('b', 'src', 'S');
    const client = axios.create({ baseURL: server.url, validateStatus: () => true });
    const first = await client.post('/b/log?append&position=0', 'ab');
    expect([first.status, first.headers['x-obs-next-append-position']]).toEqual([200, '2']);
    expect(parseObsError((await client.post('/b/log?append&position=0', 'cd')).data)?.code).toBe('PositionNotEqualToLength');
    expect((await client.post('/b/log?append&position=2', 'cd')).status).toBe(200);
    expect(server.getObject('b', 'log')?.toString()).toBe('abcd');
    const copy = await client.put('/b/dst', undefined, { headers: { 'x-obs-copy-source': '/b/src' } });
    expect([copy.status, String(copy.data).includes('<CopyObjectResult>')]).toEqual([200, true]);
    expect(server.getObject('b', 'dst')?.toString()).toBe('S');
    expect(server.countRequests({ method: 'POST' })).toBe(3);
    expect(server.requests[0]?.body.toString()).toBe('ab');
  });

  it('closes cleanly with a hanging request and idle keep-alive sockets', async () => {
    const { server, get } = await setup();
    server.putObject('b', 'k', 'v');
    await get('/b/k');
    server.enqueue({ hang: true });
    const hanging = get('/b/k').catch((error: unknown) => error);
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.close();
    await server.close();
    expect(await hanging).toBeInstanceOf(Error);
  });
});
