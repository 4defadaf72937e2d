/**
 * The adapter matrix itself: the harness really puts clients on the adapter of
 * this jest project, reaches virtual-hosted names on both, and no e2e test
 * bypasses it (a client made with `axios.create` would silently run on http
 * in both legs).
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ADAPTER, bareClient, policyClient, startServer } from '../support/harness.js';

/** Every `*.test.ts` under test/e2e, subfolders included (the e2e projects' testMatch). */
function e2eTestFiles(dir: string = __dirname): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return e2eTestFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe(`adapter matrix (${String(ADAPTER)})`, () => {
  it('knows the adapter of this project (the setup file sets it; outside the e2e projects there is none)', () => {
    expect(['http', 'fetch']).toContain(ADAPTER);
  });

  it('runs harness clients, bare and with policies, on this project’s adapter', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client } = policyClient(server.url);
    const responses = [await client.get('/photos/a.txt'), await bareClient(server.url).get('/photos/a.txt')];
    for (const response of responses) {
      expect(response.data).toBe('A');
      // What each adapter hands back as `request`: a fetch Request, or Node's ClientRequest.
      expect(response.request instanceof Request).toBe(ADAPTER === 'fetch');
      expect(response.request instanceof http.ClientRequest).toBe(ADAPTER === 'http');
    }
    // And on the wire: undici's fetch sends the Fetch metadata header, Node's http client does not.
    expect(server.requests.map((r) => r.headers['sec-fetch-mode'] !== undefined)).toEqual([ADAPTER === 'fetch', ADAPTER === 'fetch']);
  });

  it('reaches a virtual-hosted name on 127.0.0.1 without DNS', async () => {
    const server = await startServer();
    server.putObject('photos', 'cat.txt', 'meow');
    const { client } = policyClient(`http://photos.obs.test:${String(server.port)}`);
    expect((await client.get('/cat.txt')).data).toBe('meow');
    expect(server.requests[0]?.host).toBe(`photos.obs.test:${String(server.port)}`);
  });

  it('finds no e2e test that creates an axios client, an agent or a server outside the harness', () => {
    // rawClient is the harness's http-only client for the local server's own tests: it bypasses the matrix too.
    const outsideHarness = /axios\.create\s*\(|\brawClient\s*\(|\bnew\s+(?:https?\.)?Agent\s*\(|\bhttps?Agent\s*:|\bcreateObsServer\s*\(|\bcreateServer\s*\(/;
    const offenders = e2eTestFiles()
      .map((file) => [path.relative(__dirname, file), readFileSync(file, 'utf8')] as const)
      .filter(([, source]) => outsideHarness.test(source))
      .map(([name]) => name);
    expect(offenders).toEqual([]);
  });
});
