// Requires the BUILT package through its package.json "exports" (CommonJS), as a user would: the
// main entry, `/testing`, `/sign` and `/redis`. Checks isObsError across the two builds (an ESM-made error
// seen by the CJS copy). The CJS build carries its own copy of the ESM-only p-retry, so this runs
// on every Node line `engines` claims, with or without require(esm) (see tsup.config.ts).
const assert = require('node:assert/strict');
const axios = require('axios');
const pkg = require('obs-axios-policies');
const { obsSigner, sigV4Signer } = require('obs-axios-policies/sign');
const { createObsServer } = require('obs-axios-policies/testing');
const { createRedisStore } = require('obs-axios-policies/redis');
// The Redis store's entry loads without ioredis (an optional peer: only its types are imported).

async function main() {
  assert.equal(typeof createRedisStore, 'function');
  for (const name of ['attachObsPolicies', 'ObsError', 'CircuitOpenError', 'isObsError', 'parseObsError', 'OBS_ERROR_CODES', 'DEFAULT_POLICIES']) {
    assert.ok(name in pkg, `missing export ${name}`);
  }
  assert.equal(pkg.parseObsError('<Error><Code>SlowDown</Code></Error>').code, 'SlowDown');
  assert.equal(typeof sigV4Signer, 'function');
  const esm = await import('obs-axios-policies');
  assert.notEqual(esm.ObsError, pkg.ObsError, 'the ESM and CJS builds are distinct copies');
  const server = await createObsServer();
  try {
    const client = axios.create({ baseURL: server.url });
    const handle = esm.attachObsPolicies(client);
    const err = await client.get('/b/missing').catch((e) => e);
    assert.ok(pkg.isObsError(err), 'isObsError works across builds');
    assert.ok(axios.isAxiosError(err));
    handle.detach();

    // The CJS build's retry loop (its own p-retry copy) and the OBS signer, end to end.
    server.putObject('b', 'k', Buffer.from('v'));
    server.clearRecords();
    const signedClient = axios.create({ baseURL: server.url });
    const signedHandle = pkg.attachObsPolicies(signedClient, {
      retry: { minDelayMs: 1 },
      sign: obsSigner({ accessKeyId: 'AKSMOKE', secretAccessKey: 'smoke-secret' }),
    });
    server.enqueue({ error: 'InternalError' });
    assert.equal((await signedClient.get('/b/k')).data, 'v');
    const signed = server.requests.map((request) => String(request.headers.authorization));
    assert.equal(signed.length, 2, 'one retry after InternalError');
    for (const authorization of signed) assert.match(authorization, /^OBS AKSMOKE:/);
    signedHandle.detach();
  } finally {
    await server.close();
  }
  console.log('cjs require smoke: ok');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
