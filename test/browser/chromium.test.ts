/**
 * The main entry in a real browser: a page bundled by esbuild for the browser
 * (the package's main entry plus axios's browser build, no polyfills) runs in
 * headless Chromium (Debian's, driven by playwright-core) against the local
 * OBS server on another origin, with CORS, on both of axios's browser
 * adapters: SlowDown retried then success, NoSuchKey failing fast with its
 * code and hint, the breaker opening on InternalError, and a presigned PUT of
 * a Blob retried after SlowDown with upload progress reported. And what
 * differs from Node, as the README says: a CORS refusal is a NetworkError,
 * redirects with a Location belong to the browser, timeouts and error bodies
 * of stream calls work as in Node, and fetch streams an upload with progress.
 *
 * Chromium missing is a failure, not a skip: CI installs it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { OBS_ERROR_CODES } from '../../src/index.js';
import type { ObsTestServer } from '../../src/testing/index.js';
import { startServer } from '../support/harness.js';
import { bundlePage, launchChromium, startPageServer, within, type PageServer } from './browser-env.js';
import type { PageAdapter, ScenarioFacts } from './page/obs-page.js';

/** Bounds: launching and bundling, one scenario in the page, one whole test. */
const SETUP_MS = 60_000;
const SCENARIO_MS = 15_000;
const TEST_MS = 30_000;

let browser: Browser | undefined;
let pageServer: PageServer | undefined;
const pages = new Map<PageAdapter, Page>();
/** What each step took, printed once at the end (the timings of the browser test). */
const timings: string[] = [];

function mark(what: string, started: number): void {
  timings.push(`${what}: ${String(Math.round(performance.now() - started))} ms`);
}

beforeAll(async () => {
  let started = performance.now();
  const bundle = await bundlePage();
  mark(`bundle the page (${String(Math.round(bundle.length / 1024))} KiB)`, started);
  pageServer = await startPageServer(bundle);
  started = performance.now();
  browser = await launchChromium(SETUP_MS);
  mark(`launch Chromium ${browser.version()}`, started);
}, SETUP_MS);

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  if (process.env.OBS_TEST_TIMINGS !== undefined) console.warn(`browser test timings\n  ${timings.join('\n  ')}`);
}, SETUP_MS);

/** What each page said: console errors, uncaught errors, failed requests (for failure messages). */
const pageLogs = new Map<PageAdapter, string[]>();

/** The page for `adapter` (one per adapter, loaded once), with its console errors kept for failure messages. */
async function pageFor(adapter: PageAdapter): Promise<Page> {
  const existing = pages.get(adapter);
  if (existing !== undefined) return existing;
  if (browser === undefined || pageServer === undefined) throw new Error('the browser did not start (see beforeAll)');
  const started = performance.now();
  const page = await browser.newPage();
  page.setDefaultTimeout(SCENARIO_MS);
  const logs: string[] = [];
  pageLogs.set(adapter, logs);
  page.on('console', (message) => {
    if (message.type() === 'error') logs.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => logs.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => logs.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`));
  await page.goto(`${pageServer.origin}/`);
  await page.waitForFunction(() => window.obsPage !== undefined);
  mark(`load the page (${adapter})`, started);
  pages.set(adapter, page);
  return page;
}

/** An OBS server for one test, allowing the page's origin only. */
async function obsServer(): Promise<ObsTestServer> {
  if (pageServer === undefined) throw new Error('the page server did not start (see beforeAll)');
  return startServer({ cors: { origins: [pageServer.origin] } });
}

/** Runs `scenario` in the page (bounded in time), recording how long it took. */
async function inPage(adapter: PageAdapter, what: string, scenario: (page: Page) => Promise<ScenarioFacts>): Promise<ScenarioFacts> {
  const page = await pageFor(adapter);
  const started = performance.now();
  try {
    const facts = await within(SCENARIO_MS, `${what} (${adapter}) in Chromium`, scenario(page));
    mark(`${what} (${adapter})`, started);
    return facts;
  } catch (error) {
    const logs = pageLogs.get(adapter) ?? [];
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nthe page said:\n  ${logs.join('\n  ') || '(nothing)'}`, { cause: error });
  }
}

const names = (facts: ScenarioFacts): string[] => facts.events.map((event) => event.name);

const NO_SUCH_KEY_HINT = OBS_ERROR_CODES.find((entry) => entry.code === 'NoSuchKey')?.solution;

describe.each<PageAdapter>(['xhr', 'fetch'])('in Chromium, on axios’s %s adapter', (adapter) => {
  it(
    'retries SlowDown, then succeeds',
    async () => {
      const server = await obsServer();
      server.putObject('photos', 'a.txt', 'hello from OBS');
      server.enqueue({ error: 'SlowDown', match: { path: '/photos/a.txt' } });
      const facts = await inPage(adapter, 'SlowDown then 200', (page) =>
        page.evaluate(([base, on]) => window.obsPage?.get(base, on, ['/photos/a.txt']) ?? Promise.reject(new Error('no obsPage')), [server.url, adapter] as const),
      );
      expect(facts.calls).toEqual([{ ok: true, status: 200, data: 'hello from OBS' }]);
      expect(names(facts)).toEqual(['retry']);
      expect(server.requests.map((r) => [r.method, r.response])).toEqual([
        ['GET', { status: 503, code: 'SlowDown' }],
        ['GET', { status: 200 }],
      ]);
    },
    TEST_MS,
  );

  it(
    'fails fast on NoSuchKey with its code, status, hint and ids, after one request',
    async () => {
      const server = await obsServer();
      const facts = await inPage(adapter, 'NoSuchKey', (page) =>
        page.evaluate(([base, on]) => window.obsPage?.get(base, on, ['/photos/missing.txt']) ?? Promise.reject(new Error('no obsPage')), [server.url, adapter] as const),
      );
      const [call] = facts.calls;
      if (call === undefined || call.ok) throw new Error(`expected a rejection, got ${JSON.stringify(call)}`);
      expect(call.error).toMatchObject({ isObsError: true, isCircuitOpenError: false, obsCode: 'NoSuchKey', status: 404, action: 'fail', attempts: 1 });
      expect(call.error.hint).toBe(NO_SUCH_KEY_HINT);
      // The ids: from the XML body, and x-obs-id-2 only because the server exposes it (CORS).
      expect(call.error.requestId).toMatch(/^[0-9A-F]{32}$/);
      expect(call.error.id2).toEqual(expect.any(String));
      expect(names(facts)).toEqual(['failFast']);
      expect(server.requests).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    'opens the breaker on InternalError, then refuses without a request',
    async () => {
      const server = await obsServer();
      server.enqueue({ error: 'InternalError', times: 10 });
      const facts = await inPage(adapter, 'breaker', (page) =>
        page.evaluate(
          ([base, on]) => window.obsPage?.getWithBreaker(base, on, ['/photos/a', '/photos/b'], 2) ?? Promise.reject(new Error('no obsPage')),
          [server.url, adapter] as const,
        ),
      );
      const [first, second] = facts.calls;
      if (first === undefined || first.ok || second === undefined || second.ok) throw new Error(`expected two rejections, got ${JSON.stringify(facts.calls)}`);
      // The first call: two InternalErrors in a row open the breaker, which cuts its retries short.
      expect(first.error).toMatchObject({ isObsError: true, obsCode: 'InternalError', status: 500, attempts: 2 });
      // The second: refused by the open breaker, nothing sent.
      expect(second.error).toMatchObject({ isObsError: true, isCircuitOpenError: true, obsCode: 'CircuitOpen', action: 'circuit', attempts: 0 });
      expect(names(facts)).toEqual(['retry', 'circuitOpen', 'giveUp', 'circuitReject']);
      expect(server.requests.map((r) => r.path)).toEqual(['/photos/a', '/photos/a']);
    },
    TEST_MS,
  );

  it(
    'sees an answer CORS does not allow as a NetworkError, indistinguishable from a network failure, and retries it',
    async () => {
      const server = await startServer();
      server.putObject('photos', 'a.txt', 'A');
      // `no-store`: without it, an answer whose Last-Modified is a second old is fresh for 100 ms by the
      // browser's heuristic, and the retries inside that time are answered from its cache, never sent.
      const facts = await inPage(adapter, 'no CORS', (page) =>
        page.evaluate(
          ([base, on]) => window.obsPage?.get(base, on, ['/photos/a.txt?response-cache-control=no-store']) ?? Promise.reject(new Error('no obsPage')),
          [server.url, adapter] as const,
        ),
      );
      const [call] = facts.calls;
      if (call === undefined || call.ok) throw new Error(`expected a rejection, got ${JSON.stringify(call)}`);
      expect(call.error).toMatchObject({ isObsError: true, obsCode: 'NetworkError', action: 'circuit', attempts: 4, status: undefined, requestId: undefined });
      expect(names(facts)).toEqual(['retry', 'retry', 'retry', 'giveUp']);
      // The server answered every one of them with 200: the browser withheld the answers from the page.
      expect(server.requests.map((r) => r.response)).toEqual(Array.from({ length: 4 }, () => ({ status: 200 })));
    },
    TEST_MS,
  );

  it(
    'reports an attempt that outlives axios’s timeout as Timeout',
    async () => {
      const server = await obsServer();
      server.enqueue({ hang: true, times: Infinity });
      const facts = await inPage(adapter, 'timeout', (page) =>
        page.evaluate(
          ([base, on]) => window.obsPage?.get(base, on, ['/photos/slow.txt'], { timeoutMs: 150 }) ?? Promise.reject(new Error('no obsPage')),
          [server.url, adapter] as const,
        ),
      );
      const [call] = facts.calls;
      if (call === undefined || call.ok) throw new Error(`expected a rejection, got ${JSON.stringify(call)}`);
      expect(call.error).toMatchObject({ isObsError: true, obsCode: 'Timeout', action: 'circuit', attempts: 4 });
      expect(call.error.message).toContain('timeout of 150ms exceeded');
      expect(server.requests).toHaveLength(4);
    },
    TEST_MS,
  );

  it(
    'leaves a 3xx with Location to the browser (no redirect event), and follows a 301 with only <Endpoint> itself',
    async () => {
      // Two endpoints that allow every origin: after a cross-origin hop the browser sends `Origin: null`.
      const [first, moved] = [await startServer({ cors: true }), await startServer({ cors: true })];
      // Two keys: the browser may answer a second GET of the same URL from its cache (heuristic freshness
      // from Last-Modified once a second has passed since the PUT), and the hop must reach the server.
      moved.putObject('photos', 'a.txt', 'from the other endpoint');
      moved.putObject('photos', 'b.txt', 'from the other endpoint');
      first.enqueue({ redirect: 307, location: `${moved.url}/photos/a.txt` }, { redirect: 301, endpoint: `127.0.0.1:${String(moved.port)}` });
      const facts = await inPage(adapter, 'redirects', (page) =>
        page.evaluate(
          ([base, on]) => window.obsPage?.get(base, on, ['/photos/a.txt', '/photos/b.txt']) ?? Promise.reject(new Error('no obsPage')),
          [first.url, adapter] as const,
        ),
      );
      expect(facts.calls).toEqual([
        { ok: true, status: 200, data: 'from the other endpoint' },
        { ok: true, status: 200, data: 'from the other endpoint' },
      ]);
      // Only the 301 without Location reached the policy; the 307 never did.
      expect(facts.events.map((event) => event.name)).toEqual(['redirect']);
      expect(first.requests.map((r) => r.response)).toEqual([
        { status: 307, code: 'TemporaryRedirect' },
        { status: 301, code: 'PermanentRedirect' },
      ]);
      expect(moved.requests.map((r) => r.headers.origin)).toEqual(['null', pageServer?.origin]);
    },
    TEST_MS,
  );

  it(
    'reads the code of an error answered to a responseType stream call',
    async () => {
      const server = await obsServer();
      server.putObject('photos', 'a.txt', 'streamed');
      server.enqueue({ error: 'NoSuchKey', match: { path: '/photos/gone.txt' } });
      const facts = await inPage(adapter, 'stream', (page) =>
        page.evaluate(
          ([base, on]) => window.obsPage?.get(base, on, ['/photos/gone.txt', '/photos/a.txt'], { responseType: 'stream' }) ?? Promise.reject(new Error('no obsPage')),
          [server.url, adapter] as const,
        ),
      );
      const [missing, found] = facts.calls;
      if (missing === undefined || missing.ok) throw new Error(`expected a rejection, got ${JSON.stringify(missing)}`);
      expect(missing.error).toMatchObject({ obsCode: 'NoSuchKey', status: 404, attempts: 1, requestId: expect.stringMatching(/^[0-9A-F]{32}$/) });
      expect(found).toEqual({ ok: true, status: 200, data: 'streamed' });
    },
    TEST_MS,
  );
});

/** A presigned-style URL: the signature travels in the query, and no sign hook runs. */
const PRESIGNED = '/photos/upload.bin?AccessKeyId=AKTEST&Expires=4102444800&Signature=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';
const SIGNATURE = 'c2VjcmV0LXNpZ25hdHVyZQ==';
const UPLOAD_BYTES = 256 * 1024;
/** What the page uploads: byte i is i mod 251. */
const UPLOADED = Buffer.from(Uint8Array.from({ length: UPLOAD_BYTES }, (_, i) => i % 251));

/** PUTs the Blob to the presigned URL from the page, the first answer being SlowDown. */
async function presignedPut(adapter: PageAdapter, withProgress: boolean): Promise<{ server: ObsTestServer; facts: ScenarioFacts }> {
  const server = await obsServer();
  server.enqueue({ error: 'SlowDown', match: { method: 'PUT' } });
  const facts = await inPage(adapter, `presigned PUT of a Blob${withProgress ? ' with progress' : ''}`, (page) =>
    page.evaluate(
      ([base, on, target, bytes, progress]) => window.obsPage?.putBlob(base, on, target, bytes, progress) ?? Promise.reject(new Error('no obsPage')),
      [server.url, adapter, PRESIGNED, UPLOAD_BYTES, withProgress] as const,
    ),
  );
  return { server, facts };
}

/** The PUT succeeded after one SlowDown, and the server stored every byte from the second request. */
function expectRetriedUpload(server: ObsTestServer, facts: ScenarioFacts): void {
  expect(facts.calls).toMatchObject([{ ok: true, status: 200 }]);
  expect(names(facts)).toEqual(['retry']);
  // Event URLs never carry the signature.
  expect(facts.events[0]?.url).not.toContain('c2VjcmV0');
  expect(server.getObject('photos', 'upload.bin')?.equals(UPLOADED)).toBe(true);
  expect(server.requests.map((r) => [r.method, r.query.get('Signature'), r.body.length, r.response])).toEqual([
    ['PUT', SIGNATURE, UPLOAD_BYTES, { status: 503, code: 'SlowDown' }],
    ['PUT', SIGNATURE, UPLOAD_BYTES, { status: 200 }],
  ]);
}

describe('in Chromium, a presigned PUT of a Blob', () => {
  it(
    'xhr: is retried after SlowDown, every byte is stored, and onUploadProgress reports up to the last byte',
    async () => {
      const { server, facts } = await presignedPut('xhr', true);
      expectRetriedUpload(server, facts);
      // XHR reports the browser's own upload events (xhr.upload): the last one says everything went.
      expect(facts.progress.length).toBeGreaterThan(0);
      expect(facts.progress.at(-1)).toEqual({ loaded: UPLOAD_BYTES, total: UPLOAD_BYTES, upload: true });
    },
    TEST_MS,
  );

  it(
    'fetch: is retried after SlowDown and every byte is stored',
    async () => {
      const { server, facts } = await presignedPut('fetch', false);
      expectRetriedUpload(server, facts);
    },
    TEST_MS,
  );

  it(
    'fetch with onUploadProgress: axios streams the Blob, which Chromium sends only over HTTP/2, so an HTTP/1.1 endpoint never gets it (NetworkError)',
    async () => {
      const { server, facts } = await presignedPut('fetch', true);
      const [call] = facts.calls;
      if (call === undefined || call.ok) throw new Error(`expected a rejection, got ${JSON.stringify(call)}`);
      // Every attempt fails inside the browser (net::ERR_ALPN_NEGOTIATION_FAILED: "Failed to fetch"):
      // a NetworkError, retried as a circuit outcome, and nothing reached the server, not even the SlowDown.
      expect(call.error).toMatchObject({ isObsError: true, obsCode: 'NetworkError', action: 'circuit', attempts: 4 });
      expect(names(facts)).toEqual(['retry', 'retry', 'retry', 'giveUp']);
      expect([server.requests, server.pendingSteps]).toEqual([[], 1]);
      // What axios reports meanwhile: bytes it read from the Blob into the request stream, 64 KiB at a
      // time, not bytes the server received.
      expect(facts.progress.length).toBeGreaterThan(0);
      for (const report of facts.progress) {
        expect(report).toEqual({ loaded: expect.any(Number), total: UPLOAD_BYTES, upload: true });
        expect(report.loaded).toBeLessThanOrEqual(UPLOAD_BYTES);
      }
    },
    TEST_MS,
  );
});
