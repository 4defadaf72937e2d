/**
 * What the browser tests share: the esbuild options of a browser bundle (no
 * polyfills), the page bundle, a tiny static server for it, and Debian's
 * Chromium driven by playwright-core (never a downloaded browser).
 */
import { build, type BuildOptions } from 'esbuild';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * How a browser app bundles the package: esbuild for `platform: 'browser'` (the
 * `browser` field and condition, no Node builtins: an unresolved one is an error),
 * and no plugins, so no polyfills.
 */
export const BROWSER_BUILD: BuildOptions = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  write: false,
  metafile: true,
  logLevel: 'silent',
  absWorkingDir: ROOT,
};

/** The page of the Chromium test, bundled: the package's main entry, axios's browser build and the page code. */
export async function bundlePage(): Promise<string> {
  const result = await build({ ...BROWSER_BUILD, entryPoints: [path.join(__dirname, 'page', 'obs-page.ts')] });
  const output = result.outputFiles?.[0];
  if (output === undefined) throw new Error('esbuild produced no page bundle');
  return output.text;
}

/** A static server for the page: `/` the HTML, `/obs-page.js` the bundle. */
export interface PageServer {
  /** `http://127.0.0.1:<port>`: the page's origin. */
  origin: string;
  close(): Promise<void>;
}

const PAGE_HTML =
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>obs-axios-policies in a browser</title><script type="module" src="/obs-page.js"></script>';

/** Serves the page and its bundle on 127.0.0.1 (any free port), another origin than the OBS server's. */
export async function startPageServer(bundle: string): Promise<PageServer> {
  const server = http.createServer((req, res) => {
    const [type, body] = req.url === '/obs-page.js' ? ['text/javascript', bundle] : req.url === '/' ? ['text/html', PAGE_HTML] : ['text/plain', 'not found'];
    res.writeHead(body === 'not found' ? 404 : 200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** Debian's Chromium (`apt-get install chromium`); `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The flags Chromium needs on this machine: headless without a sandbox or GPU, and none of
 * its own network traffic (the network is closed: background, component, sync and QUIC
 * connections would only be refused). playwright-core adds a new empty `--user-data-dir`
 * itself (and refuses one in `args`).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; throws, with what to do, when it is not installed. */
export async function launchChromium(timeoutMs: number): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need Debian's chromium ` +
        '(`apt-get install -y chromium`; .ci/run installs it), or CHROMIUM_PATH pointing at a Chromium binary. ' +
        'playwright-core never downloads one.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true, timeout: timeoutMs });
}

/** `promise`, or a rejection naming `what` after `ms` (page.evaluate has no timeout of its own). */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not finish within ${String(ms)} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
