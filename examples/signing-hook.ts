/**
 * A signing hook: OBS header signatures (`Authorization: OBS AK:signature`) computed
 * for every attempt and redirect hop, with a fresh date — and the clock offset the
 * handle learns from a RequestTimeTooSkewed answer.
 *
 * The signature follows the OBS scheme: HMAC-SHA1 over
 * VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedHeaders CanonicalizedResource.
 */
import { createHmac } from 'node:crypto';
import axios, { type InternalAxiosRequestConfig } from 'axios';
import { attachObsPolicies, type SignContext } from 'obs-axios-policies';
import { createLoopbackAgent, createObsServer } from 'obs-axios-policies/testing';

const ACCESS_KEY = 'EXAMPLEAK';
const SECRET_KEY = 'example-secret-key';

/** Virtual-hosted style: the bucket is the first label of the host. */
function canonicalResource(url: URL): string {
  const bucket = url.hostname.split('.')[0] ?? '';
  return `/${bucket}${decodeURIComponent(url.pathname)}`;
}

function signObs(config: InternalAxiosRequestConfig, context: SignContext): InternalAxiosRequestConfig {
  const url = new URL(config.url ?? '');
  const date = new Date(Date.now() + context.clockOffsetMs).toUTCString();
  const headers = config.headers;
  headers.set('Date', date);
  const obsHeaders = Object.entries(headers.toJSON())
    .filter(([name]) => name.toLowerCase().startsWith('x-obs-'))
    .map(([name, value]) => `${name.toLowerCase()}:${String(value)}\n`)
    .sort()
    .join('');
  const contentType = headers.getContentType();
  const stringToSign = [
    (config.method ?? 'get').toUpperCase(),
    headers.get('Content-MD5') ?? '',
    typeof contentType === 'string' ? contentType : '',
    date,
    `${obsHeaders}${canonicalResource(url)}`,
  ].join('\n');
  const signature = createHmac('sha1', SECRET_KEY).update(stringToSign).digest('base64');
  headers.set('Authorization', `OBS ${ACCESS_KEY}:${signature}`);
  return config;
}

const obs = await createObsServer();
obs.putObject('photos', 'cat.jpg', Buffer.from('meow'));
// The loopback agent resolves photos.obs.test to 127.0.0.1, so virtual-hosted names work offline.
const agent = createLoopbackAgent();
const client = axios.create({ baseURL: `http://photos.obs.test:${obs.port}`, httpAgent: agent });
const handle = attachObsPolicies(client, { sign: signObs, retry: { minDelayMs: 5 } });
handle.on('clockSkew', (e) => {
  console.log(`server clock is ${Math.round(e.offsetMs / 1000)} s ahead; re-signed`);
});

// The server says our clock is off by 20 minutes; the hook re-signs with the learned offset.
obs.enqueue({ error: 'RequestTimeTooSkewed', headers: { date: new Date(Date.now() + 20 * 60_000).toUTCString() } });
const response = await client.get<string>('/cat.jpg');
console.log(response.data);
for (const request of obs.requests) console.log(request.method, request.path, request.headers.date, `${String(request.headers.authorization).split(':')[0] ?? ''}:<signature>`);

handle.detach();
agent.destroy();
await obs.close();
