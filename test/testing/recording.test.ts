/**
 * What the local OBS server records of each request, and counting records.
 */
import { describe, expect, it } from '@jest/globals';
import { hostedUrl, rawClient, startServer } from '../support/harness.js';

describe('local OBS server: recording', () => {
  it('records method, target, host, addressing, headers, body and arrival time', async () => {
    let now = 42_000;
    const server = await startServer({ buckets: [], now: () => now });
    await rawClient(hostedUrl(server, 'logs')).post('/app%20log?append&position=0', 'line 1\n', { headers: { 'X-Obs-Meta-Who': 'me', 'content-type': 'text/plain' } });
    now += 5;
    await rawClient(server.url).get('/logs/app%20log', { headers: { Range: 'bytes=0-3' } });
    const [append, read] = server.requests;
    expect(append).toMatchObject({
      seq: 1,
      method: 'POST',
      url: '/app%20log?append&position=0',
      path: '/app%20log',
      host: `logs.obs.test:${server.port}`,
      bucket: 'logs',
      key: 'app log',
      receivedAt: 42_000,
      response: { status: 200 },
    });
    expect([append?.query.has('append'), append?.query.get('position'), append?.body.toString()]).toEqual([true, '0', 'line 1\n']);
    expect([append?.headers['x-obs-meta-who'], append?.headers['content-type']]).toEqual(['me', 'text/plain']);
    expect(read).toMatchObject({ seq: 2, method: 'GET', bucket: 'logs', key: 'app log', host: `127.0.0.1:${server.port}`, receivedAt: 42_005 });
    expect([read?.headers.range, read?.body.length]).toEqual(['bytes=0-3', 0]);
  });

  it('counts requests by method, path, host or predicate', async () => {
    const server = await startServer({ buckets: [] });
    server.putObject('b', 'k', 'v');
    const pathStyle = rawClient(server.url);
    const hosted = rawClient(hostedUrl(server, 'b'));
    await pathStyle.get('/b/k');
    await pathStyle.put('/b/k2', 'x');
    await hosted.get('/k');
    await hosted.head('/missing');
    expect(server.countRequests()).toBe(4);
    expect(server.countRequests({ method: 'get' })).toBe(2);
    expect(server.countRequests({ path: '/b/' })).toBe(2);
    expect(server.countRequests({ host: 'b.obs.test' })).toBe(2);
    expect(server.countRequests({ host: 'b.obs.test', method: 'HEAD' })).toBe(1);
    expect(server.countRequests((r) => typeof r.response === 'object' && r.response.status === 404)).toBe(1);
  });

  it('keeps seq unique across clearRecords()', async () => {
    const server = await startServer({ buckets: [] });
    const http = rawClient(server.url);
    await http.get('/b/k');
    server.clearRecords();
    await http.get('/b/k');
    expect(server.requests.map((r) => r.seq)).toEqual([2]);
  });
});
