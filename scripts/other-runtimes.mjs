// The built package on Bun and Deno, as their users get it: `npm pack`, the tarball (and the peer
// axios, at the repository's version) installed into a scratch project in a temporary folder, and
// there, on each runtime:
//   import   test/smoke/import-smoke.mjs: ESM import of `.`, `/testing` and `/sign`, the exported
//            names, a signed retry and a NoSuchKey against the local OBS server
//   require  test/smoke/require-smoke.cjs: CJS require of the three entries, isObsError across the
//            builds, the CJS build's retry loop and OBS signer (on Deno loaded through
//            test/runtimes/require-entry.mjs, which says why)
//   e2e      test/runtimes/e2e-subset.mjs, once on axios's http adapter and once on its fetch adapter
// The machine's own Node runs the e2e subset first, as the baseline that tells a fault of the
// subset from a fault of a runtime.
//
// The runtimes come from the npm packages `bun` and `deno`, installed once per version into
// node_modules/.runtimes/<name>-<version>/ (gone with the next `npm ci`) with --ignore-scripts:
// each binary ships inside the platform package that npm picks from the package's
// optionalDependencies (@oven/bun-linux-x64, @deno/linux-x64-glibc), so no install script and no
// download from outside the registry is needed. x64 Linux (glibc) only.
//
// Usage: node scripts/other-runtimes.mjs [--runtimes=bun,deno]
// Needs `npm run build` first. Set KEEP_RUNTIMES=1 to keep the scratch project; it is kept anyway
// when a step fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'node_modules', '.runtimes');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const installedVersion = (name) => JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

/** The longest one step (one program on one runtime) may run before it counts as failed. */
const STEP_TIMEOUT_MS = 120_000;

/**
 * Each runtime's version is pinned (the newest on the registry when chosen). `binary` is where the
 * executable sits inside the prefix the package was installed into; `args` builds the command line
 * of one program run from the scratch project `work`.
 */
const RUNTIMES = [
  {
    name: 'bun',
    version: '1.4.5',
    binary: ['node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun'],
    reported: (stdout) => stdout.trim(),
    // --no-install: resolve from the scratch project's node_modules only, never auto-install.
    args: (program) => ['--no-install', ...program],
    // Bun's caches (its transpiler cache lives in the install cache) stay in the prefix, not in $HOME.
    env: (prefix) => ({ DO_NOT_TRACK: '1', BUN_INSTALL_CACHE_DIR: path.join(prefix, 'cache'), BUN_RUNTIME_TRANSPILER_CACHE_PATH: path.join(prefix, 'transpiler-cache') }),
  },
  {
    name: 'deno',
    version: '2.9.6',
    binary: ['node_modules', '@deno', 'linux-x64-glibc', 'deno'],
    reported: (stdout) => /^deno (\S+)/.exec(stdout)?.[1] ?? stdout.trim(),
    // npm packages from the scratch project's node_modules as they are (manual), nothing fetched
    // (--cached-only), no lockfile written; permissions: loopback sockets for the local server,
    // reads inside the scratch project, and the environment (axios's http adapter loads
    // follow-redirects, whose `debug` enumerates process.env at load).
    args: (program, work) => [
      'run', '--node-modules-dir=manual', '--cached-only', '--no-lock', '--no-prompt',
      '--allow-net=127.0.0.1', `--allow-read=${work}`, '--allow-env',
      ...program,
    ],
    env: (prefix) => ({ DENO_DIR: path.join(prefix, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }),
    // Deno 2.9 resolves `import()` in a .cjs main module with the "require" condition.
    requireVia: 'require-entry.mjs',
  },
];

const only = process.argv.slice(2).find((arg) => arg.startsWith('--runtimes='))?.slice('--runtimes='.length).split(',');
const runtimes = only ? RUNTIMES.filter((runtime) => only.includes(runtime.name)) : RUNTIMES;

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`other runtimes: skipped (the binaries used here are for x64 Linux, this is ${process.platform}-${process.arch})`);
  process.exit(0);
}
if (runtimes.length === 0) {
  console.error(`other runtimes: none matches ${String(only)}; known: ${RUNTIMES.map((runtime) => runtime.name).join(', ')}`);
  process.exit(2);
}
for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/testing.js', 'dist/testing.cjs', 'dist/sign.js', 'dist/sign.cjs']) {
  if (!existsSync(path.join(root, file))) {
    console.error(`other runtimes: ${file} is missing; run \`npm run build\` first`);
    process.exit(2);
  }
}

/**
 * Runs a command (output passed through, or shown only on failure when quiet), bounded by
 * `timeoutMs`.
 * @param {string} command
 * @param {string[]} commandArgs
 * @param {{ cwd: string, timeoutMs: number, quiet?: boolean, env?: Record<string, string> }} options
 * @returns {{ ok: boolean, ms: number, stdout: string }}
 */
function run(command, commandArgs, { cwd, timeoutMs, quiet = false, env = {} }) {
  const started = Date.now();
  const result = spawnSync(command, commandArgs, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  const ok = result.status === 0;
  if (!ok && quiet) process.stdout.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.error) console.error(`  ${String(result.error)}${result.error.code === 'ETIMEDOUT' ? ` (bound: ${timeoutMs} ms)` : ''}`);
  return { ok, ms: Date.now() - started, stdout: result.stdout ?? '' };
}

/** The runtime's binary, installed into the cache on first use; checked to report its version. */
function binaryOf(runtime) {
  const prefix = path.join(cacheDir, `${runtime.name}-${runtime.version}`);
  const bin = path.join(prefix, ...runtime.binary);
  if (!existsSync(bin)) {
    const spec = `${runtime.name}@${runtime.version}`;
    const installArgs = ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--loglevel=error', '--prefix', prefix, spec];
    const { ok, ms } = run(npm, installArgs, { cwd: root, timeoutMs: 300_000, quiet: true });
    if (!ok || !existsSync(bin)) throw new Error(`could not install ${spec} into ${prefix} (expected ${bin})`);
    console.log(`  installed ${spec} (${ms} ms)`);
  }
  const reported = runtime.reported(spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 }).stdout ?? '');
  if (reported !== runtime.version) throw new Error(`${bin} reports ${reported}, expected ${runtime.version}`);
  return { bin, prefix };
}

// ---------------------------------------------------------------------------------------------
// The scratch project: the packed tarball and the peer axios.

const startedAll = Date.now();
const work = mkdtempSync(path.join(tmpdir(), 'obs-axios-policies-runtimes-'));
const packed = run(npm, ['pack', '--json', '--loglevel=error', '--pack-destination', work], { cwd: root, timeoutMs: 120_000, quiet: true });
if (!packed.ok) {
  console.error(`other runtimes: npm pack failed (kept ${work})`);
  process.exit(1);
}
const [tarball] = JSON.parse(packed.stdout);
writeFileSync(path.join(work, 'package.json'), `${JSON.stringify({ name: 'scratch-runtimes', version: '0.0.0', private: true }, null, 2)}\n`);
const deps = [path.join(work, tarball.filename), `axios@${installedVersion('axios')}`];
const installed = run(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--loglevel=error', ...deps], { cwd: work, timeoutMs: 300_000, quiet: true });
if (!installed.ok) {
  console.error(`other runtimes: npm install of ${tarball.filename} failed (kept ${work})`);
  process.exit(1);
}
for (const file of ['test/smoke/import-smoke.mjs', 'test/smoke/require-smoke.cjs', 'test/runtimes/e2e-subset.mjs', 'test/runtimes/require-entry.mjs']) {
  copyFileSync(path.join(root, file), path.join(work, path.basename(file)));
}
console.log(`scratch project: ${tarball.filename} and axios@${installedVersion('axios')} in ${work}`);

// ---------------------------------------------------------------------------------------------
// The runs.

/** One program run in the scratch project (its output passed through), bounded by {@link STEP_TIMEOUT_MS}. */
function step(name, command, args, env) {
  const result = run(command, args, { cwd: work, timeoutMs: STEP_TIMEOUT_MS, env });
  return { name, ...result };
}

const results = [];

console.log(`\n== node ${process.versions.node} (baseline: the e2e subset on the machine's Node)`);
results.push({
  label: `node ${process.versions.node}`,
  steps: ['http', 'fetch'].map((adapter) => step(`e2e ${adapter}`, process.execPath, ['e2e-subset.mjs', adapter], {})),
});

for (const runtime of runtimes) {
  console.log(`\n== ${runtime.name} ${runtime.version} (smoke + e2e subset)`);
  const row = { label: `${runtime.name} ${runtime.version}`, steps: [] };
  results.push(row);
  let installedRuntime;
  try {
    installedRuntime = binaryOf(runtime);
  } catch (error) {
    console.error(`  ${String(error)}`);
    row.steps.push({ name: 'install', ok: false, ms: 0 });
    continue;
  }
  const { bin, prefix } = installedRuntime;
  const env = runtime.env(prefix);
  const programRun = (name, program) => step(name, bin, runtime.args(program, work), env);
  row.steps.push(programRun('import', ['import-smoke.mjs']));
  row.steps.push(programRun('require', runtime.requireVia ? [runtime.requireVia, 'require-smoke.cjs'] : ['require-smoke.cjs']));
  for (const adapter of ['http', 'fetch']) row.steps.push(programRun(`e2e ${adapter}`, ['e2e-subset.mjs', adapter]));
}

console.log('\nother runtimes:');
let failures = 0;
for (const row of results) {
  const steps = row.steps.map((each) => `${each.name} ${each.ok ? 'ok' : 'FAILED'} (${(each.ms / 1000).toFixed(1)} s)`);
  failures += row.steps.filter((each) => !each.ok).length;
  console.log(`  ${row.label.padEnd(14)} ${steps.join(', ')}`);
}
const seconds = ((Date.now() - startedAll) / 1000).toFixed(0);
if (failures === 0 && process.env.KEEP_RUNTIMES !== '1') rmSync(work, { recursive: true, force: true });
else console.log(`  scratch project kept: ${work}`);
const names = results.map((row) => row.label).join(', ');
console.log(failures === 0 ? `other runtimes: all ok on ${names} in ${seconds} s` : `other runtimes: ${failures} step(s) failed (${seconds} s)`);
process.exit(failures === 0 ? 0 : 1);
