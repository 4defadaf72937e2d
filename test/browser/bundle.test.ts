/**
 * The main entry (and `./sign`) bundle for the browser with no polyfills:
 * esbuild with `platform: 'browser'` and no plugins (any `node:` or Node
 * builtin import left is an error there) succeeds on the sources and, when it
 * has been built, on the package as published (by name, through the `exports`
 * map: `dist/index.js`, `dist/sign.js`); none of the Node-only `/testing` code
 * comes along, opossum's `events` is the npm package, and the package's own
 * code names no Node global (`Buffer`, `process`, …), which would bundle fine
 * and then throw in the browser.
 */
import { describe, expect, it } from '@jest/globals';
import { build, transform, type BuildResult, type Message, type Metafile } from 'esbuild';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROWSER_BUILD, ROOT } from './browser-env.js';

/** Node globals a browser does not have. Guarded uses (`typeof Buffer`) count too: our code needs none. */
const NODE_GLOBALS = ['Buffer', 'process', 'global', 'setImmediate', 'clearImmediate', '__dirname', '__filename', 'require', 'module', 'exports'];

/** A marker esbuild's `define` puts where a free Node global was: it replaces identifiers only (not properties, strings, comments or locals). */
const MARK = '__NODE_GLOBAL__';

function formatted(messages: readonly Message[]): string {
  return messages.map((m) => `${m.text}${m.location === null ? '' : ` (${m.location.file}:${String(m.location.line)})`}`).join('\n');
}

/** Bundles `contents` (an entry importing the package) for the browser; on failure, the esbuild errors as one message. */
async function bundle(contents: string, resolveDir: string, extra: { nodePaths?: string[] } = {}): Promise<BuildResult & { metafile: Metafile }> {
  try {
    const result = await build({ ...BROWSER_BUILD, ...extra, stdin: { contents, resolveDir, loader: 'ts', sourcefile: 'browser-entry.ts' } });
    if (result.metafile === undefined) throw new Error('esbuild returned no metafile');
    return { ...result, metafile: result.metafile };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    throw new Error(`the browser bundle failed:\n${errors === undefined ? String(error) : formatted(errors)}`, { cause: error });
  }
}

/** The free Node globals `file` (TypeScript or JavaScript) refers to, comments and strings aside. */
async function nodeGlobalsIn(file: string): Promise<string[]> {
  const define = Object.fromEntries(NODE_GLOBALS.map((name) => [name, `${MARK}${name}`]));
  const { code } = await transform(readFileSync(file, 'utf8'), { loader: file.endsWith('.ts') ? 'ts' : 'js', define });
  return [...new Set(code.match(new RegExp(`${MARK}\\w+`, 'g')) ?? [])].map((found) => found.slice(MARK.length));
}

/** The checks every browser bundle must pass; `own` picks the package's own inputs. */
async function expectBrowserSafe(result: BuildResult & { metafile: Metafile }, own: (input: string) => boolean): Promise<void> {
  expect(formatted(result.warnings)).toBe('');
  const inputs = Object.keys(result.metafile.inputs);
  // Nothing of Node: no `node:` module and no builtin (esbuild would have failed on one; a disabled one shows here).
  expect(inputs.filter((input) => input.startsWith('node:') || input.includes('(disabled)'))).toEqual([]);
  // No /testing code: the local OBS server is Node-only.
  expect(inputs.filter((input) => /(^|\/)testing(\/|\.|$)/.test(input))).toEqual([]);
  const ownInputs = inputs.filter(own);
  expect(ownInputs.length).toBeGreaterThan(0);
  const offenders: string[] = [];
  for (const input of ownInputs) {
    const globals = await nodeGlobalsIn(path.join(ROOT, input));
    if (globals.length > 0) offenders.push(`${input}: ${globals.join(', ')}`);
  }
  expect(offenders).toEqual([]);
}

/** The newest source file of the main entry (src/, /testing aside), to tell a stale dist/. */
function newestSourceMs(dir = path.join(ROOT, 'src')): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'testing' ? 0 : newestSourceMs(full);
      return statSync(full).mtimeMs;
    }),
  );
}

/** The entries that must work in browsers: every one but `./testing`. */
interface Entry {
  /** The subpath of `exports`. */
  subpath: string;
  /** Its source, under ROOT. */
  source: string;
  /** Its ESM build, under ROOT. */
  built: string;
  /** Inputs the bundle must contain (checks that the right things were resolved). */
  contains: string[];
}

const ENTRIES: Entry[] = [
  {
    subpath: '.',
    source: 'src/index.ts',
    built: 'dist/index.js',
    // opossum came along, with the npm `events` (Node's builtin in Node, the package in bundles).
    contains: ['node_modules/events/events.js', 'node_modules/opossum/index.js'],
  },
  { subpath: './sign', source: 'src/sign/index.ts', built: 'dist/sign.js', contains: [] },
];

/** `obs-axios-policies` or `obs-axios-policies/sign`. */
const specifierOf = (entry: Entry): string => (entry.subpath === '.' ? 'obs-axios-policies' : `obs-axios-policies/${entry.subpath.slice(2)}`);

/**
 * The built package is checked by `npm run check:browser-bundle` (OBS_CHECK_DIST=1), which `npm test`
 * runs right after `npm run build`; the jest run before the build checks the sources only.
 */
const CHECK_DIST = process.env.OBS_CHECK_DIST === '1';

describe.each(ENTRIES)('browser bundle of $subpath (esbuild, platform browser, no polyfills)', (entry) => {
  it(`bundles ${entry.source} with nothing of Node and no /testing code`, async () => {
    const result = await bundle(`export * from ${JSON.stringify(path.join(ROOT, entry.source))};`, ROOT);
    expect(Object.keys(result.metafile.inputs)).toEqual(expect.arrayContaining([entry.source, ...entry.contains]));
    await expectBrowserSafe(result, (input) => input.startsWith('src/'));
  });

  // The package as a browser app imports it: by name, through `exports` with the browser conditions.
  if (!CHECK_DIST) return;
  it(`bundles the built package (${specifierOf(entry)} → ${entry.built}) the same way`, async () => {
    if (!existsSync(path.join(ROOT, entry.built))) throw new Error(`${entry.built} is missing: run \`npm run build\` first`);
    const stale = statSync(path.join(ROOT, entry.built)).mtimeMs < newestSourceMs() ? ' (dist/ is older than src/: run `npm run build` first)' : '';
    // esbuild does not resolve a package's own name from inside it: a node_modules of one link does.
    const modules = mkdtempSync(path.join(os.tmpdir(), 'obs-browser-'));
    try {
      symlinkSync(ROOT, path.join(modules, 'obs-axios-policies'), 'dir');
      let result: BuildResult & { metafile: Metafile };
      try {
        result = await bundle(`export * from '${specifierOf(entry)}';`, modules, { nodePaths: [modules] });
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}${stale}`, { cause: error });
      }
      expect(Object.keys(result.metafile.inputs)).toEqual(expect.arrayContaining([entry.built, ...entry.contains]));
      await expectBrowserSafe(result, (input) => input.startsWith('dist/'));
    } finally {
      rmSync(modules, { recursive: true, force: true });
    }
  });
});

describe('browser bundle of the main entry with axios', () => {
  it('takes axios’s browser side: the XHR and fetch adapters, not the http one', async () => {
    const result = await bundle(`export * from ${JSON.stringify(path.join(ROOT, 'src', 'index.ts'))};\nexport { default as axios } from 'axios';`, ROOT);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toEqual(expect.arrayContaining(['node_modules/axios/lib/adapters/xhr.js', 'node_modules/axios/lib/adapters/fetch.js']));
    expect(inputs).not.toContain('node_modules/axios/lib/adapters/http.js');
    await expectBrowserSafe(result, (input) => input.startsWith('src/'));
  });
});
