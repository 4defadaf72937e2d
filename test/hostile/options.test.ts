/**
 * Properties of hostile options: numbers at and past every bound, wrong types,
 * frozen and null-prototype objects, own `__proto__` / `constructor` keys,
 * getters and proxies that throw.
 * - attachObsPolicies either returns a handle or throws a TypeError whose
 *   message starts with `obs-axios-policies:`; it never throws anything else,
 *   and never accepts a duration larger than 2³¹−1 ms;
 * - a call whose `obs` key is invalid rejects with such a TypeError and sends
 *   nothing; a call whose `obs` key is valid goes through the policies (a
 *   response, or an ObsError: a redirect its allowHosts refuses), on both adapters;
 * - a call whose `obs` key is valid but exotic (frozen, null-prototype, frozen or
 *   global RegExps in allowHosts) is never refused and never throws: it ends
 *   with the response or an ObsError;
 * - nothing of either pollutes Object.prototype.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import axios from 'axios';
import fc from 'fast-check';
import { attachObsPolicies, isObsError, type ObsPolicyOptions } from '../../src/index.js';
import { OWN_HOST, ALLOWED_HOST } from './answer-arbitraries.js';
import { describeError, settleWithin } from './call-outcome.js';
import { closeHostileClients, HOSTILE_ADAPTERS, hostileClient } from './hostile-clients.js';
import { startHostileServer } from './hostile-server.js';
import { buildOptions, optionSpec, oversizedDurations } from './option-arbitraries.js';
import { letRejectionsSurface } from './process-faults.js';
import { PLAIN_OK } from './scenario-runner.js';
import { useHostileSuite } from './suite-lifecycle.js';

const SEED = 20_240_614;
const ATTACH_RUNS = 300;
const CALL_RUNS: Record<string, number> = { http: 25, fetch: 10 };
const VALID_RUNS = 20;
const PREFIX = 'obs-axios-policies:';
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

/** What is wrong with how attach or a call refused (empty when it refused properly). */
function refusalProblems(error: unknown): string[] {
  if (!(error instanceof TypeError)) return [`refused with ${describeError(error)}, not a TypeError`];
  if (!error.message.startsWith(PREFIX)) return [`a TypeError whose message does not start with "${PREFIX}": ${error.message.slice(0, 200)}`];
  return [];
}

afterAll(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('hostile options at attach', () => {
  it('attach succeeds or throws an obs-axios-policies TypeError, and refuses every duration past 2³¹−1 ms', () => {
    fc.assert(
      fc.property(optionSpec(false), (spec) => {
        const options = buildOptions(spec);
        let problems: string[];
        try {
          const handle = attachObsPolicies(axios.create(), options as ObsPolicyOptions);
          handle.detach();
          problems = oversizedDurations(spec).map((duration) => `accepted the duration ${duration}`);
        } catch (error) {
          problems = refusalProblems(error);
        }
        expect(problems).toEqual([]);
      }),
      { seed: SEED, numRuns: ATTACH_RUNS },
    );
  });
});

describe('hostile options per call', () => {
  const suite = useHostileSuite(startHostileServer);

  it.each(HOSTILE_ADAPTERS)('on the %s adapter, an invalid obs key rejects with an obs-axios-policies TypeError and sends nothing', async (adapter) => {
    await fc.assert(
      fc.asyncProperty(optionSpec(true), async (spec) => {
        suite.server.reset();
        // A redirect to a host only the call's own allowHosts may admit, so entries (frozen or global RegExps) are matched.
        suite.server.script(
          [{ ...PLAIN_OK, status: 307, headers: [['Location', `http://${ALLOWED_HOST}:${String(suite.server.port)}/moved`]] }],
          PLAIN_OK,
        );
        const { client } = hostileClient(adapter, `http://${OWN_HOST}:${String(suite.server.port)}`, { retry: { retries: 1, minDelayMs: 0, maxDelayMs: 1 }, random: () => 0.5 });
        const faultsBefore = suite.faults.seen.length;
        const obs = buildOptions(spec);
        let request: Promise<unknown>;
        try {
          request = client.get('/k.bin', { obs: obs as never, timeout: 2_000 });
        } catch (error) {
          request = Promise.reject(new Error(`client.get threw synchronously: ${describeError(error)}`));
        }
        const { outcome } = await settleWithin(request, 10_000);
        await letRejectionsSurface();
        const problems: string[] = [];
        if (outcome.type === 'hung') problems.push('the call never settled');
        // axios deep-merges the obs key into its own config before any interceptor runs: a value it cannot
        // read rejects the call with the caller's own error there, before the policies see it.
        const axiosRefusesFirst = ((): boolean => {
          try {
            axios.mergeConfig(client.defaults as never, { obs } as never);
            return false;
          } catch {
            return true;
          }
        })();
        if (outcome.type === 'rejected' && !isObsError(outcome.error)) {
          if (!axiosRefusesFirst) problems.push(...refusalProblems(outcome.error));
          if (suite.server.arrivals.length > 0) problems.push(`the call rejected with a non-ObsError after sending ${String(suite.server.arrivals.length)} request(s)`);
        }
        problems.push(...suite.faults.seen.slice(faultsBefore));
        await closeHostileClients();
        expect(problems).toEqual([]);
      }),
      { seed: SEED, numRuns: CALL_RUNS[adapter] ?? 15 },
    );
  });

  it('a valid but exotic obs key (frozen, null-prototype, frozen or global RegExps) works: a response or an ObsError', async () => {
    await fc.assert(
      fc.asyncProperty(optionSpec(true, true), async (spec) => {
        suite.server.reset();
        suite.server.script([{ ...PLAIN_OK, status: 307, headers: [['Location', `http://${ALLOWED_HOST}:${String(suite.server.port)}/moved`]] }], PLAIN_OK);
        const { client } = hostileClient('http', `http://${OWN_HOST}:${String(suite.server.port)}`, { retry: { retries: 1, minDelayMs: 0, maxDelayMs: 1 }, random: () => 0.5 });
        const faultsBefore = suite.faults.seen.length;
        const { outcome } = await settleWithin(client.get('/k.bin', { obs: buildOptions(spec) as never, timeout: 2_000 }), 10_000);
        await letRejectionsSurface();
        const problems: string[] = [];
        if (outcome.type === 'hung') problems.push('the call never settled');
        if (outcome.type === 'rejected' && !isObsError(outcome.error)) problems.push(`a valid obs key made the call reject with ${describeError(outcome.error)}`);
        problems.push(...suite.faults.seen.slice(faultsBefore));
        await closeHostileClients();
        expect(problems).toEqual([]);
      }),
      { seed: SEED, numRuns: VALID_RUNS },
    );
  });
});
