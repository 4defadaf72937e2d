/**
 * Properties of hostile listeners, against the local OBS server on both
 * adapters: whatever listeners on any event do — return, throw (an Error or
 * not), return a rejecting promise or a thenable whose `then` throws,
 * unsubscribe themselves — the call ends exactly as it does without listeners
 * (same response, or same error code, status, action, attempts and reason),
 * the server sees the same requests, and nothing goes unhandled. A listener
 * that detaches the handle may end the call early, but the call still settles
 * with at most one closing event and nothing unhandled.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CircuitOpenError, isObsError, type ObsPolicyHandle } from '../../src/index.js';
import { createObsServer, type ObsServerStep } from '../../src/testing/index.js';
import type { TestAdapter } from '../support/adapter.js';
import { EVENT_NAMES } from '../support/event-names.js';
import { CLOSING_EVENTS, recordInto, settleWithin, type Outcome, type Recorded } from './call-outcome.js';
import { closeHostileClients, HOSTILE_ADAPTERS, hostileClient } from './hostile-clients.js';
import { harmlessListeners, subscribe } from './listener-behaviours.js';
import { letRejectionsSurface } from './process-faults.js';
import { useHostileSuite } from './suite-lifecycle.js';

const SEED = 20_240_615;
const RUNS: Record<string, number> = { http: 20, fetch: 10 };
const DETACH_RUNS = 15;
const BOUND_MS = 10_000;

/** Answers with a deterministic outcome (no timing in them): throttling, errors, a redirect, a reset, success. */
const step = fc.constantFrom<ObsServerStep>(
  { error: 'SlowDown' },
  { error: 'InternalError' },
  { error: 'NoSuchKey' },
  { error: 'AccessDenied' },
  { redirect: 307, location: '/k.txt' },
  { reset: 'before-head' },
  { status: 502, body: '<html>bad gateway</html>', obsHeaders: false },
);
const steps = fc.array(step, { minLength: 0, maxLength: 4 });

const suite = useHostileSuite(createObsServer);

/** The parts of an outcome that listeners must not change. */
function summary(outcome: Outcome): unknown {
  if (outcome.type === 'resolved') {
    const response = outcome.value as { status: number; data: unknown };
    return { resolved: response.status, data: response.data };
  }
  if (outcome.type === 'hung') return 'hung';
  const error = outcome.error;
  if (!isObsError(error)) return { rejected: error instanceof Error ? error.name : typeof error };
  return { rejected: error.name, obsCode: error.obsCode, status: error.status, action: error.action, attempts: error.attempts, reason: error.reason };
}

/** Runs one GET on a fresh handle; `listen` subscribes the hostile listeners. */
async function runCall(adapter: TestAdapter, script: readonly ObsServerStep[], listen: (handle: ObsPolicyHandle) => void): Promise<{ outcome: Outcome; requests: number; events: Recorded[] }> {
  suite.server.reset(true);
  suite.server.createBucket('photos');
  suite.server.putObject('photos', 'k.txt', 'hello');
  suite.server.enqueue(...script);
  const { client, handle } = hostileClient(adapter, `http://photos.obs.test:${String(suite.server.port)}`, {
    retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 },
    throttle: false,
    random: () => 0.5,
  });
  const events: Recorded[] = [];
  recordInto(handle, () => events);
  listen(handle);
  const { outcome } = await settleWithin(client.get('/k.txt', { responseType: 'text', timeout: 5_000 }), BOUND_MS);
  await letRejectionsSurface();
  const requests = suite.server.requests.length;
  await closeHostileClients();
  return { outcome, requests, events };
}

describe('hostile listeners', () => {
  it.each(HOSTILE_ADAPTERS)('on the %s adapter, listeners that throw, reject or unsubscribe change nothing about the call', async (adapter) => {
    await fc.assert(
      fc.asyncProperty(steps, harmlessListeners, async (script, listeners) => {
        const faultsBefore = suite.faults.seen.length;
        const quiet = await runCall(adapter, script, () => undefined);
        const hostile = await runCall(adapter, script, (handle) => {
          for (const [event, behaviours] of listeners) subscribe(handle, event, behaviours);
        });
        expect({ outcome: summary(hostile.outcome), requests: hostile.requests }).toEqual({ outcome: summary(quiet.outcome), requests: quiet.requests });
        expect(suite.faults.seen.slice(faultsBefore)).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS[adapter] ?? 15 },
    );
  });

  it('a listener that detaches the handle ends the call with at most one closing event and nothing unhandled', async () => {
    await fc.assert(
      fc.asyncProperty(steps, fc.constantFrom(...EVENT_NAMES), async (script, event) => {
        const faultsBefore = suite.faults.seen.length;
        const { outcome, events } = await runCall('http', script, (handle) => {
          subscribe(handle, event, ['detach']);
        });
        const closing = events.filter(([name]) => CLOSING_EVENTS.includes(name));
        expect(outcome.type).not.toBe('hung');
        expect(closing.length).toBeLessThanOrEqual(1);
        if (outcome.type === 'rejected' && outcome.error instanceof CircuitOpenError) expect(closing.map(([name]) => name)).toEqual(['circuitReject']);
        expect(suite.faults.seen.slice(faultsBefore)).toEqual([]);
      }),
      { seed: SEED, numRuns: DETACH_RUNS },
    );
  });
});
