/**
 * Subscribing to the events for logs and metrics: counters by event and code,
 * a structured log line per event (no secrets are ever in a payload).
 */
import axios from 'axios';
import { attachObsPolicies, type ObsPolicyEventName } from 'obs-axios-policies';
import { createObsServer } from 'obs-axios-policies/testing';

const obs = await createObsServer();
obs.putObject('logs', 'app.log', Buffer.from('hello'));
const client = axios.create({ baseURL: obs.url });
const handle = attachObsPolicies(client, {
  retry: { minDelayMs: 5 },
  breaker: { volumeThreshold: 3, resetTimeoutMs: 200 },
});

const counters = new Map<string, number>();
const count = (key: string): void => {
  counters.set(key, (counters.get(key) ?? 0) + 1);
};
const log = (event: ObsPolicyEventName, fields: Record<string, unknown>): void => {
  console.log(JSON.stringify({ level: 'info', event, ...fields }));
};

handle.on('retry', (e) => {
  count(`obs.retry.${e.error.obsCode}`);
  log('retry', { method: e.method, url: e.url, attempt: e.attempt, delayMs: e.delayMs, code: e.error.obsCode, requestId: e.error.requestId });
});
handle.on('giveUp', (e) => {
  count('obs.giveUp');
  log('giveUp', { url: e.url, attempts: e.attempts, reason: e.reason, code: e.error.obsCode });
});
handle.on('failFast', (e) => {
  count(`obs.failFast.${e.error.obsCode}`);
  log('failFast', { url: e.url, reason: e.reason });
});
handle.on('circuitOpen', (e) => {
  count('obs.circuit.open');
  log('circuitOpen', { endpoint: e.endpoint });
});
handle.on('circuitReject', (e) => {
  count('obs.circuit.reject');
  log('circuitReject', { endpoint: e.endpoint });
});

obs.enqueue({ error: 'SlowDown' }, { error: 'InternalError' });
await client.get('/logs/app.log');
await client.get('/logs/missing.log').catch(() => undefined);
obs.enqueue({ error: 'InternalError', times: 10 });
for (let i = 0; i < 3; i++) await client.get('/logs/app.log').catch(() => undefined);

console.log('counters:', Object.fromEntries(counters));
handle.detach();
await obs.close();
