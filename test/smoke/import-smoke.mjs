// Imports the BUILT package through its package.json "exports" (ESM), as a user would: the main
// entry, `/testing`, `/sign` and `/redis`. Also run by scripts/packaging-consumers.mjs from a scratch
// consumer that installed the packed tarball, and by scripts/packaging-node-lines.mjs on every
// Node line that `engines` claims.
import assert from 'node:assert/strict';
import axios from 'axios';
import * as pkg from 'obs-axios-policies';
import { obsSigner, sigV4Signer } from 'obs-axios-policies/sign';
import { createObsServer } from 'obs-axios-policies/testing';
import { createRedisStore } from 'obs-axios-policies/redis';
// The Redis store's entry loads without ioredis (an optional peer: only its types are imported).

const expected = ['attachObsPolicies', 'ObsError', 'CircuitOpenError', 'isObsError', 'parseObsError', 'OBS_ERROR_CODES', 'DEFAULT_POLICIES'];
for (const name of expected) assert.ok(name in pkg, `missing export ${name}`);
assert.ok(pkg.OBS_ERROR_CODES.filter((row) => row.source === 'seed').length === 78);
assert.equal(typeof obsSigner, 'function');
assert.equal(typeof createRedisStore, 'function');

const server = await createObsServer();
try {
  server.putObject('b', 'k', Buffer.from('v'));
  const client = axios.create({ baseURL: server.url });
  const handle = pkg.attachObsPolicies(client, {
    retry: { minDelayMs: 1 },
    sign: sigV4Signer({ accessKeyId: 'AKSMOKE', secretAccessKey: 'smoke-secret', region: 'cn-north-4' }),
  });
  server.enqueue({ error: 'SlowDown' });
  assert.equal((await client.get('/b/k')).data, 'v');
  const signed = server.requests.map((request) => String(request.headers.authorization));
  assert.equal(signed.length, 2, 'one retry after SlowDown');
  for (const authorization of signed) assert.match(authorization, /^AWS4-HMAC-SHA256 Credential=AKSMOKE\//);
  await client.get('/b/missing').then(
    () => assert.fail('expected NoSuchKey'),
    (err) => {
      assert.ok(pkg.isObsError(err) && axios.isAxiosError(err) && err instanceof pkg.ObsError);
      assert.equal(err.obsCode, 'NoSuchKey');
    },
  );
  handle.detach();
} finally {
  await server.close();
}
console.log('esm import smoke: ok');
