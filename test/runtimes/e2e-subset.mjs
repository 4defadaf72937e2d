// A representative e2e subset of the BUILT package, written to run unchanged on Node, Bun and Deno:
// plain JavaScript, node:assert, no jest. It starts the local OBS server from
// `obs-axios-policies/testing` in this process and drives axios clients with the policies attached
// on one adapter, named by the first argument (`http` or `fetch`).
//
// Checks: a SlowDown then 200 (one retry event); a 404 NoSuchKey failing fast with its obsCode; a
// 307 and a remembered 301 followed; InternalError opening the breaker, then CircuitOpenError
// without I/O; the two signers of `obs-axios-policies/sign` against the server's signature checks;
// an abort during a backoff wait; isObsError across the ESM and CJS builds.
//
// Run by scripts/other-runtimes.mjs from a scratch project that installed the packed tarball.
// Usage: <runtime> e2e-subset.mjs http|fetch   (Deno: deno run --allow-net=127.0.0.1 --allow-read --allow-env …)
// Prints one line per check and a closing line; exits 1 when a check fails.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import axios from 'axios';
import { attachObsPolicies, CircuitOpenError, isObsError, ObsError } from 'obs-axios-policies';
import { obsSigner, sigV4Signer } from 'obs-axios-policies/sign';
import { createObsServer } from 'obs-axios-policies/testing';

const adapter = process.argv[2];
if (adapter !== 'http' && adapter !== 'fetch') {
  console.error('usage: e2e-subset.mjs http|fetch');
  process.exit(2);
}

/** The runtime this program runs on, as `name version`. */
function runtimeName() {
  if (typeof globalThis.Bun !== 'undefined') return `bun ${globalThis.Bun.version}`;
  if (typeof globalThis.Deno !== 'undefined') return `deno ${globalThis.Deno.version.deno}`;
  return `node ${process.versions.node}`;
}

/** Short waits and a fixed draw of the jitter, so no check waits on a real backoff. */
const FAST = { retry: { minDelayMs: 1, maxDelayMs: 20 }, random: () => 0.5 };
/** The longest one check may take before it counts as hung (a bound, never a measurement). */
const CHECK_BOUND_MS = 20_000;

const servers = [];
const handles = [];

/** A local OBS server on 127.0.0.1 with the bucket `photos`, closed after the check. */
async function startServer(options = {}) {
  const server = await createObsServer(options);
  servers.push(server);
  server.createBucket('photos');
  return server;
}

/** An axios client on this run's adapter with the policies attached, detached after the check. */
function policyClient(baseURL, options = FAST) {
  const client = axios.create({ baseURL, adapter, proxy: false });
  const handle = attachObsPolicies(client, options);
  handles.push(handle);
  return { client, handle };
}

/** Every event the handle emits, in order, as `[name, payload]`. */
function recordEvents(handle) {
  const names = ['retry', 'redirect', 'failFast', 'giveUp', 'circuitOpen', 'circuitHalfOpen', 'circuitClose', 'circuitReject'];
  const seen = [];
  for (const name of names) handle.on(name, (payload) => seen.push([name, payload]));
  return seen;
}

/** What `promise` rejects with; fails the check when it resolves. */
async function rejectionOf(promise) {
  let value;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  assert.fail(`expected a rejection, got ${String(value?.status ?? value)}`);
}

const checks = [
  ['SlowDown then 200: one retry', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' });
    const response = await client.get('/photos/a.txt');
    assert.equal(response.data, 'A');
    assert.equal(response.request instanceof Request, adapter === 'fetch', `the ${adapter} adapter sent it`);
    assert.deepEqual(events.map(([name]) => name), ['retry']);
    assert.equal(events[0][1].error.obsCode, 'SlowDown');
    assert.equal(server.requests.length, 2);
  }],

  ['404 NoSuchKey fails fast with its obsCode', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    const error = await rejectionOf(client.get('/photos/missing.txt'));
    assert.ok(isObsError(error) && error instanceof ObsError && axios.isAxiosError(error));
    assert.equal(error.obsCode, 'NoSuchKey');
    assert.equal(error.status, 404);
    assert.equal(error.attempts, 1);
    assert.deepEqual(events.map(([name]) => name), ['failFast']);
    assert.equal(server.requests.length, 1);
  }],

  ['307 followed with method, headers and body; 301 remembered', async () => {
    const [a, b] = [await startServer(), await startServer()];
    b.putObject('photos', 'y.txt', 'Y');
    const { client, handle } = policyClient(a.url);
    const events = recordEvents(handle);
    a.enqueue({ redirect: 307, location: `${b.url}/photos/doc.txt` });
    await client.put('/photos/doc.txt', 'body-bytes', { headers: { 'x-obs-meta-color': 'blue' } });
    const [hop] = b.requests;
    assert.deepEqual([hop.method, hop.body.toString(), hop.headers['x-obs-meta-color']], ['PUT', 'body-bytes', 'blue']);
    assert.equal(b.getObject('photos', 'doc.txt')?.toString(), 'body-bytes');
    a.enqueue({ redirect: 301, location: `${b.url}/photos/doc.txt` });
    assert.equal((await client.get('/photos/doc.txt')).data, 'body-bytes');
    assert.equal((await client.get('/photos/y.txt')).data, 'Y');
    assert.equal(a.requests.length, 2, 'the call after the 301 goes straight to the new endpoint');
    const redirects = events.filter(([name]) => name === 'redirect').map(([, event]) => [event.status, event.permanent]);
    assert.deepEqual(redirects, [[307, false], [301, true]]);
  }],

  ['InternalError opens the breaker, then CircuitOpenError without I/O', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, {
      ...FAST,
      breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 },
    });
    const events = recordEvents(handle);
    server.enqueue({ error: 'InternalError', times: 10 });
    const first = await rejectionOf(client.get('/photos/a'));
    assert.equal(first.obsCode, 'InternalError');
    assert.equal(first.status, 500);
    const sent = server.requests.length;
    const refused = await rejectionOf(client.get('/photos/b'));
    assert.ok(refused instanceof CircuitOpenError && isObsError(refused));
    assert.equal(refused.obsCode, 'CircuitOpen');
    assert.equal(refused.attempts, 0);
    assert.equal(server.requests.length, sent, 'a refused call sends nothing');
    assert.deepEqual(events.map(([name]) => name), ['retry', 'circuitOpen', 'giveUp', 'circuitReject']);
  }],

  ['sign hooks from /sign pass the server signature checks', async () => {
    const credentials = { accessKeyId: 'AKRUNTIME', secretAccessKey: 'runtime-secret' };
    const server = await startServer({ credentials });
    const obs = policyClient(server.url, { ...FAST, sign: obsSigner(credentials) });
    await obs.client.put('/photos/signed.txt', 'S');
    const v4 = policyClient(server.url, { ...FAST, sign: sigV4Signer({ ...credentials, region: 'cn-north-4' }) });
    assert.equal((await v4.client.get('/photos/signed.txt')).data, 'S');
    assert.match(String(server.requests[0].headers.authorization), /^OBS AKRUNTIME:/);
    assert.match(String(server.requests[1].headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKRUNTIME\//);
    const wrong = policyClient(server.url, { ...FAST, sign: obsSigner({ ...credentials, secretAccessKey: 'not-the-secret' }) });
    const denied = await rejectionOf(wrong.client.get('/photos/signed.txt'));
    assert.equal(denied.obsCode, 'SignatureDoesNotMatch');
    assert.equal(denied.status, 403);
  }],

  ['abort during a backoff wait rejects with a cancel, nothing more sent', async () => {
    const server = await startServer();
    // A wait far longer than the check's bound: only the abort can end the call in time.
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 600_000, maxDelayMs: 600_000 }, random: () => 0.99 });
    server.enqueue({ error: 'SlowDown' });
    const controller = new AbortController();
    // The retry event comes just before the wait starts: once it is delivered, the call is waiting.
    const retrying = new Promise((resolve) => handle.once('retry', resolve));
    const call = rejectionOf(client.get('/photos/a', { signal: controller.signal }));
    await retrying;
    controller.abort();
    const error = await call;
    assert.ok(axios.isCancel(error), `a cancel, got ${String(error?.code)}`);
    assert.equal(server.requests.length, 1);
  }],

  ['isObsError across the ESM and CJS builds', async () => {
    const cjs = createRequire(import.meta.url)('obs-axios-policies');
    assert.notEqual(cjs.ObsError, ObsError, 'import and require load distinct builds');
    const server = await startServer();
    const client = axios.create({ baseURL: server.url, adapter, proxy: false });
    handles.push(cjs.attachObsPolicies(client, FAST));
    const error = await rejectionOf(client.get('/photos/missing.txt'));
    assert.ok(isObsError(error) && cjs.isObsError(error));
    assert.ok(error instanceof cjs.ObsError && !(error instanceof ObsError));
    assert.equal(error.obsCode, 'NoSuchKey');
  }],
];

/** Runs `check`, bounded by {@link CHECK_BOUND_MS}; closes what it opened either way. */
async function runBounded(check) {
  let timer;
  const bound = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no outcome within ${CHECK_BOUND_MS} ms`)), CHECK_BOUND_MS);
  });
  try {
    await Promise.race([check(), bound]);
  } finally {
    clearTimeout(timer);
    for (const handle of handles.splice(0)) handle.detach();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  }
}

const label = `${runtimeName()}, ${adapter} adapter`;
let failed = 0;
for (const [name, check] of checks) {
  try {
    await runBounded(check);
    console.log(`  ok   ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`  FAIL ${name}`);
    console.error(error);
  }
}
console.log(`e2e subset (${label}): ${checks.length - failed} of ${checks.length} checks ok`);
process.exit(failed === 0 ? 0 : 1);
