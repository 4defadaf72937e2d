/**
 * Bending the policy table: per handle (`policies`) and per request (`obs`).
 */
import axios from 'axios';
import { attachObsPolicies, type ObsError } from 'obs-axios-policies';
import { createObsServer } from 'obs-axios-policies/testing';

const obs = await createObsServer();
const client = axios.create({ baseURL: obs.url });
const handle = attachObsPolicies(client, {
  retry: { retries: 3, minDelayMs: 20 },
  policies: {
    // A freshly written object may not be visible yet on a replicated read path: retry NoSuchKey twice.
    NoSuchKey: { action: 'retry', retries: 2, minDelayMs: 50 },
    // Never retry OperationAborted in this application: surface it at once.
    OperationAborted: 'fail',
    // Treat any 5xx without an OBS code as plain retry (no breaker accounting).
    HTTP_5xx: 'retry',
  },
});

let retries = 0;
handle.on('retry', () => {
  retries++;
});

obs.enqueue({ error: 'NoSuchKey' });
obs.putObject('docs', 'fresh.txt', Buffer.from('visible now'));
console.log((await client.get<string>('/docs/fresh.txt')).data, `(after ${retries} retry)`);

// Per request: this batch job must not wait; one attempt only.
obs.enqueue({ error: 'SlowDown' });
const failed = await client.get('/docs/fresh.txt', { obs: { retry: { retries: 0 } } }).catch((e: unknown) => e as ObsError);
console.log('per-request retries 0 →', (failed as ObsError).obsCode, 'after', (failed as ObsError).attempts, 'attempt');

// Per request: turn the policies off entirely.
obs.enqueue({ error: 'SlowDown' });
const raw = await client.get('/docs/fresh.txt', { obs: false }).catch((e: unknown) => e as Error);
console.log('obs: false →', raw instanceof Error ? raw.message : 'ok');

handle.detach();
await obs.close();
