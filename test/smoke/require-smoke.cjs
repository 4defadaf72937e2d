// Requires the BUILT package through its package.json "exports" (CommonJS), as a user would,
// and checks isObsError across the two builds (an ESM-made error seen by the CJS copy).
const assert = require('node:assert/strict');
const axios = require('axios');
const pkg = require('obs-axios-policies');
const { createObsServer } = require('obs-axios-policies/testing');

async function main() {
  for (const name of ['attachObsPolicies', 'ObsError', 'CircuitOpenError', 'isObsError', 'parseObsError', 'OBS_ERROR_CODES', 'DEFAULT_POLICIES']) {
    assert.ok(name in pkg, `missing export ${name}`);
  }
  assert.equal(pkg.parseObsError('<Error><Code>SlowDown</Code></Error>').code, 'SlowDown');
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
  } finally {
    await server.close();
  }
  console.log('cjs require smoke: ok');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
