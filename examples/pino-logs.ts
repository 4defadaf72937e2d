/**
 * Structured logs with pino: every event of the handle logged as it comes (the
 * payload as is), and the final error with `logger.error({ err }, …)`. The sign
 * hook puts an `Authorization` header and an `x-obs-security-token` on every
 * request; a presigned URL (`Signature=` in the query) is sent unsigned
 * (`obs: { sign: false }`) and redirected to another presigned URL. The collected
 * output is checked to hold none of those values, and to hold what support asks
 * for: the OBS code and the request id.
 */
import assert from 'node:assert/strict';
import axios from 'axios';
import { pino } from 'pino';
import { attachObsPolicies, isObsError, type ObsPolicyEventName } from 'obs-axios-policies';
import { createObsServer } from 'obs-axios-policies/testing';

// Letters and digits only, so they read the same percent-encoded or not.
const SECRETS = {
  authorizationSignature: 'AuthSig0SECRET0aW5zaWRlSGVhZGVy',
  securityToken: 'SecurityToken0SECRET0c2Vzc2lvbg',
  urlSignature: 'UrlSig0SECRET0cHJlc2lnbmVkUXVlcnk',
};

const lines: string[] = [];
// No pid/hostname; an in-memory destination (any object with write() will do).
const logger = pino({ base: null }, { write: (line: string) => void lines.push(line) });

const obs = await createObsServer();
obs.putObject('photos', 'cat.jpg', 'meow');
const client = axios.create({ baseURL: obs.url });
const handle = attachObsPolicies(client, {
  retry: { minDelayMs: 5 },
  sign: (config) => {
    config.headers.set('Authorization', `OBS EXAMPLEAK:${SECRETS.authorizationSignature}`);
    config.headers.set('x-obs-security-token', SECRETS.securityToken);
    return config;
  },
});
const presigned = (key: string): string => `${obs.url}/photos/${key}?AccessKeyId=EXAMPLEAK&Expires=1900000000&Signature=${SECRETS.urlSignature}`;

const EVENTS: ObsPolicyEventName[] = ['retry', 'redirect', 'failFast', 'giveUp', 'circuitOpen', 'circuitHalfOpen', 'circuitClose', 'circuitReject', 'clockSkew', 'rateChange'];
for (const event of EVENTS) {
  handle.on(event, (payload) => {
    logger.warn({ event, ...payload }, `obs ${event}`);
  });
}

// A signed read whose connection is reset once (the error's cause chain holds the signed request).
obs.enqueue({ reset: 'before-head', match: { path: '/photos/cat.jpg' } });
await client.get('/photos/cat.jpg');
// A presigned read, throttled, then redirected to another presigned URL.
obs.enqueue({ error: 'SlowDown', match: { path: '/photos/kitten.jpg' } }, { redirect: 307, location: presigned('cat.jpg'), match: { path: '/photos/kitten.jpg' } });
await client.get(presigned('kitten.jpg'), { obs: { sign: false } });
// Two failed calls, logged by the app: a missing key, and a read that never gets an answer.
obs.enqueue({ reset: 'before-head', match: { path: '/photos/lost.jpg' }, times: 2 });
const requestIds: string[] = [];
for (const key of ['dog.jpg', 'lost.jpg']) {
  try {
    await client.get(`/photos/${key}`, { obs: { retry: { retries: 1 } } });
  } catch (err) {
    if (isObsError(err) && err.requestId !== undefined) requestIds.push(err.requestId);
    logger.error({ err }, `download of ${key} failed`);
  }
}

const output = lines.join('');
console.log(output);

// The server did get every credential: the check below means something.
const sent = JSON.stringify(obs.requests.map((r) => [r.url, r.headers]));
for (const secret of Object.values(SECRETS)) assert.ok(sent.includes(secret), `the requests carried ${secret}`);
// None of them reached the logs.
for (const secret of Object.values(SECRETS)) assert.ok(!output.includes(secret), `a secret leaked into the logs: ${secret}`);
// What support needs did.
const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const expected = ['retry', 'retry', 'redirect', 'failFast', 'download of dog.jpg failed', 'retry', 'giveUp', 'download of lost.jpg failed'];
assert.deepEqual(records.map((r) => r.event ?? r.msg), expected);
assert.ok(requestIds.length === 1 && output.includes(`"requestId":"${requestIds[0] ?? ''}"`), 'the request id is logged');
for (const code of ['NetworkError', 'SlowDown', 'NoSuchKey']) assert.ok(output.includes(`"obsCode":"${code}"`), `${code} is logged`);

handle.detach();
await obs.close();
