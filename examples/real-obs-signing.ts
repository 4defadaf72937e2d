/**
 * Against real OBS: a ready signer. `obsSigner` signs every attempt and
 * redirect hop (params, x-obs-* headers and the security token included) with
 * OBS's own `Authorization: OBS AK:signature`; `sigV4Signer` does the same with
 * AWS Signature V4. Here the local OBS server checks the signatures exactly as
 * OBS does, so the whole thing runs offline: swap the URL and the credentials
 * for real ones and nothing else changes.
 */
import axios from 'axios';
import { attachObsPolicies, isObsError } from 'obs-axios-policies';
import { obsSigner } from 'obs-axios-policies/sign';
import { createLoopbackAgent, createObsServer } from 'obs-axios-policies/testing';

// Stand-ins for your credentials (from the environment, a secret store, or temporary IAM credentials).
const credentials = { accessKeyId: 'AKEXAMPLE', secretAccessKey: 'example/secret/key', securityToken: 'temporary-token' };

// A local OBS that refuses anything not signed with these credentials, and whose clock is 20 minutes ahead.
const obs = await createObsServer({ credentials, now: () => Date.now() + 20 * 60_000 });
obs.putObject('photos', 'cats/tom.txt', 'meow');

// Virtual-hosted style, as on https://photos.obs.<region>.myhuaweicloud.com (resolved to 127.0.0.1 here).
const agent = createLoopbackAgent();
const client = axios.create({ baseURL: `http://photos.obs.test:${obs.port}`, httpAgent: agent, timeout: 10_000 });
const handle = attachObsPolicies(client, { sign: obsSigner(credentials) });
handle.on('clockSkew', (e) => {
  console.log(`the server clock is ${Math.round(e.offsetMs / 60_000)} min ahead: re-signed with it`);
});

// The first request is refused as RequestTimeTooSkewed; the handle learns the offset and re-signs.
const listing = await client.get<string>('/', { params: { prefix: 'cats/' }, responseType: 'text' });
console.log(listing.data.includes('<Key>cats/tom.txt</Key>') ? 'listed cats/tom.txt' : 'missing cats/tom.txt');

// Metadata headers (x-obs-*) and the body are signed too.
await client.put('/cats/felix.txt', 'purr', { headers: { 'Content-Type': 'text/plain', 'x-obs-meta-owner': 'felix' } });
console.log(obs.getObject('photos', 'cats/felix.txt')?.toString());

// A wrong secret is refused with SignatureDoesNotMatch, and the policies fail fast on it
// (this new handle first learns the clock too: two requests).
const wrong = axios.create({ baseURL: `http://photos.obs.test:${obs.port}`, httpAgent: agent });
const wrongHandle = attachObsPolicies(wrong, { sign: obsSigner({ ...credentials, secretAccessKey: 'not-the-secret' }) });
try {
  await wrong.get('/cats/tom.txt');
} catch (err) {
  if (isObsError(err)) console.log(err.obsCode, err.status, `requests sent: ${err.attempts}`);
}

for (const request of obs.requests) console.log(request.method, request.url, request.response);

wrongHandle.detach();
handle.detach();
agent.destroy();
await obs.close();
