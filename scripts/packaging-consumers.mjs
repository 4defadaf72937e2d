// The packed package as its users get it: `npm pack`, check what the tarball holds, install it
// into scratch consumers in a temporary folder, and run them:
//   esm/        test/smoke/import-smoke.mjs (import of `.`, `/testing`, `/sign`)
//   cjs/        test/smoke/require-smoke.cjs (require of the same three)
//   ts-node16-esm, ts-node16-cjs, ts-bundler, ts-node10/
//               one TypeScript program (below) type-checked with the repository's tsc under that
//               moduleResolution (skipLibCheck off, so the shipped .d.ts are checked too),
//               emitted, and run with node
//   ts-no-node-types/
//               the main entry and `/sign` type-check without @types/node (browser projects)
// publint and attw run before this, from `npm run check:package`. Needs `npm run build` first.
// Set KEEP_CONSUMERS=1 to keep the temporary folder; it is kept anyway when a step fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const installedVersion = (name) => JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

const work = mkdtempSync(path.join(tmpdir(), 'obs-axios-policies-consumers-'));
const failures = [];
const started = Date.now();

function fail(message) {
  failures.push(message);
  console.log(`FAIL ${message}`);
}

/** Runs a command; prints its output only when it fails. */
function run(label, command, args, cwd) {
  const t0 = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NODE_OPTIONS: '' } });
  const ms = Date.now() - t0;
  if (result.status === 0) {
    console.log(`ok   ${label} (${ms} ms)`);
    return result.stdout;
  }
  fail(`${label} (exit ${String(result.status)}${result.error ? `, ${String(result.error)}` : ''})`);
  console.log(`${result.stdout ?? ''}${result.stderr ?? ''}`.trim());
  return undefined;
}

function write(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

// ---------------------------------------------------------------------------------------------
// 1. Pack, and check what ships.

for (const file of [pkg.main, pkg.module, pkg.types]) {
  if (!existsSync(path.join(root, file))) {
    console.error(`packaging: ${file} is missing; run \`npm run build\` first`);
    process.exit(2);
  }
}
const packed = run('npm pack', npm, ['pack', '--json', '--loglevel=error', '--pack-destination', work], root);
if (packed === undefined) process.exit(1);
const [tarball] = JSON.parse(packed);
const shipped = new Set(tarball.files.map((file) => file.path));
console.log(`     ${tarball.filename}: ${tarball.entryCount} files, ${(tarball.size / 1024).toFixed(0)} KB packed, ${(tarball.unpackedSize / 1024).toFixed(0)} KB unpacked`);

const allowed = /^(?:dist\/[^/]+|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/;
const unexpected = [...shipped].filter((file) => !allowed.test(file));
if (unexpected.length > 0) fail(`the tarball holds files outside dist/ and the docs: ${unexpected.join(', ')}`);
for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
  if (!shipped.has(file)) fail(`the tarball lacks ${file}`);
}

/** Every file path that package.json points at: main, module, types, exports, typesVersions. */
function pointedAt() {
  const targets = [pkg.main, pkg.module, pkg.types];
  const walk = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.typesVersions);
  return [...new Set(targets.map((target) => target.replace(/^\.\//, '')))];
}
for (const target of pointedAt()) {
  if (!shipped.has(target)) fail(`package.json points at ${target}, which the tarball lacks`);
}
for (const subpath of ['.', './testing', './sign', './redis']) {
  if (!pkg.exports?.[subpath]) fail(`package.json "exports" lacks ${subpath}`);
}
for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
  if (!/^\^\d/.test(range)) fail(`runtime dependency ${name} is not a caret range: ${range}`);
}

// ---------------------------------------------------------------------------------------------
// 2. One install of the tarball (plus the peer axios and @types/node, at the repository's
//    versions) that every consumer below resolves from.

write(path.join(work, 'package.json'), `${JSON.stringify({ name: 'scratch-consumers', version: '0.0.0', private: true }, null, 2)}\n`);
const deps = [path.join(work, tarball.filename), `axios@${installedVersion('axios')}`, `@types/node@${installedVersion('@types/node')}`];
if (run('npm install of the tarball', npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--loglevel=error', ...deps], work) === undefined) {
  console.log(`packaging: kept ${work}`);
  process.exit(1);
}

// Source maps: at most one reference per file, each to a map that ships; no map without one.
const dist = path.join(work, 'node_modules', pkg.name, 'dist');
const maps = new Set(readdirSync(dist).filter((file) => file.endsWith('.map')));
const referenced = new Set();
for (const file of readdirSync(dist).filter((name) => /\.(?:c|m)?js$/.test(name))) {
  const refs = [...readFileSync(path.join(dist, file), 'utf8').matchAll(/^\/\/# sourceMappingURL=(\S+)$/gm)].map((m) => m[1]);
  if (refs.length > 1) fail(`dist/${file} has ${refs.length} sourceMappingURL comments`);
  for (const ref of refs) {
    referenced.add(ref);
    if (!maps.has(ref)) fail(`dist/${file} points at ${ref}, which does not ship`);
  }
}
for (const map of maps) if (!referenced.has(map)) fail(`dist/${map} ships but no file points at it`);

// ---------------------------------------------------------------------------------------------
// 3. Plain JavaScript consumers: the smoke checks, from outside the repository.

mkdirSync(path.join(work, 'esm'));
mkdirSync(path.join(work, 'cjs'));
copyFileSync(path.join(root, 'test/smoke/import-smoke.mjs'), path.join(work, 'esm', 'import-smoke.mjs'));
copyFileSync(path.join(root, 'test/smoke/require-smoke.cjs'), path.join(work, 'cjs', 'require-smoke.cjs'));
run('esm consumer: import', process.execPath, ['import-smoke.mjs'], path.join(work, 'esm'));
run('cjs consumer: require', process.execPath, ['require-smoke.cjs'], path.join(work, 'cjs'));

// ---------------------------------------------------------------------------------------------
// 4. TypeScript consumers.

/** Uses the three entries and their types as a user would, then runs against the local server. */
const program = `import axios from 'axios';
import { attachObsPolicies, DEFAULT_POLICIES, isObsError } from 'obs-axios-policies';
import type { ObsPolicyEvents, ObsPolicyOptions, SignHook } from 'obs-axios-policies';
import { obsSigner, sigV4Signer } from 'obs-axios-policies/sign';
import { createObsServer } from 'obs-axios-policies/testing';
import type { ObsTestServer } from 'obs-axios-policies/testing';

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function main(label: string): Promise<void> {
  const server: ObsTestServer = await createObsServer();
  try {
    server.putObject('b', 'k', 'v');
    const client = axios.create({ baseURL: server.url });
    const sign: SignHook = sigV4Signer({ accessKeyId: 'AKTS', secretAccessKey: 'ts-secret', region: 'cn-north-4' });
    const options: ObsPolicyOptions = { retry: { retries: 2, minDelayMs: 1 }, sign };
    const handle = attachObsPolicies(client, options);
    const retries: ObsPolicyEvents['retry'][] = [];
    handle.on('retry', (event) => retries.push(event));
    server.enqueue({ error: 'SlowDown' });
    const response = await client.get<string>('/b/k', { obs: { retry: { retries: 1 } } });
    check(response.data === 'v', 'the object after one SlowDown');
    check(retries.length === 1, 'one retry event');
    check(server.requests.every((request) => String(request.headers.authorization).startsWith('AWS4-HMAC-SHA256 ')), 'SigV4-signed');
    const failure: unknown = await client.get('/b/missing').catch((error: unknown) => error);
    check(isObsError(failure) && failure.obsCode === 'NoSuchKey', 'NoSuchKey as an ObsError');
    handle.detach();
    const obs: SignHook = obsSigner({ accessKeyId: 'AKTS', secretAccessKey: 'ts-secret' });
    check(typeof obs === 'function' && DEFAULT_POLICIES['NoSuchKey'] !== undefined, 'the OBS signer and the policy table');
  } finally {
    await server.close();
  }
  console.log(label + ': ok');
}

main(process.argv[2] ?? 'ts consumer').catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** What a browser project checks: no @types/node, DOM lib, the main entry and the signers. */
const browserProgram = `import axios from 'axios';
import { attachObsPolicies, isObsError, OBS_ERROR_CODES } from 'obs-axios-policies';
import { obsSigner } from 'obs-axios-policies/sign';

const client = axios.create({ baseURL: 'https://photos.obs.cn-north-4.myhuaweicloud.com' });
const handle = attachObsPolicies(client, { retry: { retries: 1 }, sign: obsSigner({ accessKeyId: 'AK', secretAccessKey: 'SK' }) });

export async function exists(key: string): Promise<boolean> {
  try {
    await client.head(key, { obs: { retry: { retries: 0 } } });
    return true;
  } catch (error: unknown) {
    if (isObsError(error) && error.obsCode === 'NoSuchKey') return false;
    throw error;
  } finally {
    handle.detach();
  }
}
export const codes: number = OBS_ERROR_CODES.length;
`;

const common = { target: 'ES2022', lib: ['ES2022'], strict: true, esModuleInterop: true, skipLibCheck: false, outDir: 'out', types: ['node'] };
const tsConsumers = [
  { dir: 'ts-node16-esm', type: 'module', options: { module: 'node16', moduleResolution: 'node16' } },
  { dir: 'ts-node16-cjs', type: 'commonjs', options: { module: 'node16', moduleResolution: 'node16' } },
  { dir: 'ts-bundler', type: 'module', options: { module: 'esnext', moduleResolution: 'bundler' } },
  { dir: 'ts-node10', type: 'commonjs', options: { module: 'commonjs', moduleResolution: 'node10' } },
  {
    dir: 'ts-no-node-types',
    type: 'module',
    source: browserProgram,
    run: false,
    options: { module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [], noEmit: true },
  },
];
for (const consumer of tsConsumers) {
  const dir = path.join(work, consumer.dir);
  write(path.join(dir, 'package.json'), `${JSON.stringify({ name: consumer.dir, private: true, type: consumer.type }, null, 2)}\n`);
  write(path.join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: { ...common, ...consumer.options }, files: ['index.ts'] }, null, 2)}\n`);
  write(path.join(dir, 'index.ts'), consumer.source ?? program);
  const label = `${consumer.dir} consumer`;
  if (run(`${label}: tsc`, process.execPath, [tsc, '-p', '.'], dir) === undefined || consumer.run === false) continue;
  run(`${label}: run`, process.execPath, [path.join('out', 'index.js'), consumer.dir], dir);
}

// ---------------------------------------------------------------------------------------------

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length > 0) {
  console.log(`packaging: ${failures.length} check(s) failed in ${seconds} s; kept ${work}`);
  process.exit(1);
}
if (process.env.KEEP_CONSUMERS) console.log(`packaging: kept ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`packaging: the tarball installs, type-checks and runs in ${2 + tsConsumers.length} consumers (${seconds} s)`);
