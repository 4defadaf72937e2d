/**
 * The README's quick start, runnable: retry a throttled GET, fail fast on a
 * missing key, read the OBS identity of the error.
 */
import axios from 'axios';
import { attachObsPolicies, isObsError } from 'obs-axios-policies';
import { createObsServer } from 'obs-axios-policies/testing';

// A local stand-in for https://<bucket>.obs.<region>.myhuaweicloud.com
const obs = await createObsServer();
obs.putObject('photos', 'cat.jpg', Buffer.from('meow'));

const client = axios.create({ baseURL: obs.url, timeout: 10_000 });
const handle = attachObsPolicies(client, { retry: { retries: 3 } });
handle.on('retry', (e) => {
  console.log(`retry #${e.attempt} in ${e.delayMs} ms after ${e.error.obsCode}`);
});

obs.enqueue({ error: 'SlowDown' }); // the next request is throttled once
const { data } = await client.get<string>('/photos/cat.jpg', { responseType: 'text' });
console.log(data); // "meow", after one retry

try {
  await client.get('/photos/dog.jpg');
} catch (err) {
  if (isObsError(err)) console.log(err.obsCode, err.status, err.requestId, err.hint);
}

handle.detach();
await obs.close();
