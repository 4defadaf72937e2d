/**
 * Properties of redirects from a hostile server, on either adapter:
 * - redirect-heavy scripts (301/302/303/307/308 to every kind of Location or
 *   `<Endpoint>`, over several calls with different per-call `allowHosts`, so
 *   remembered 301s meet calls that may not follow them) keep every invariant of
 *   the server-answers property, above all: no request reaches a host the call
 *   may not reach;
 * - an https call is never downgraded: whatever Location or `<Endpoint>` an https
 *   server sends, no cleartext request reaches the plain server behind it (nor
 *   the https server's own port in cleartext).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestAdapter } from '../support/adapter.js';
import { ALLOWED_HOST, code, location, materialize, OWN_HOST } from './answer-arbitraries.js';
import { closingProblems, recordInto, settleWithin, type Recorded } from './call-outcome.js';
import { closeHostileClients, HOSTILE_ADAPTERS, hostileClient } from './hostile-clients.js';
import { startHostileServer, type HostileAnswer, type HostileServer } from './hostile-server.js';
import { plantedHeaders, secretsShown } from './printed-secrets.js';
import { letRejectionsSurface } from './process-faults.js';
import { PLAIN_OK, runScenario, scenarioOf, type Scenario } from './scenario-runner.js';
import { useHostileSuite } from './suite-lifecycle.js';

const SEED = 20_240_612;
const RUNS: Record<string, number> = { http: 20, fetch: 12 };
const DOWNGRADE_RUNS = 12;
const TLS_DIR = path.join(__dirname, '..', 'fixtures', 'tls');
const TLS = { key: readFileSync(path.join(TLS_DIR, 'localhost.key')), cert: readFileSync(path.join(TLS_DIR, 'localhost.crt')) };

const redirectStatus = fc.constantFrom(301, 301, 301, 302, 303, 307, 308);
/** Locations biased to the hosts whose allowance differs between calls, so a remembered 301 meets a call that may not follow it. */
const redirectLocation = fc.oneof(
  { weight: 4, arbitrary: fc.constant(`http://${ALLOWED_HOST}:{port}{target}`) },
  { weight: 2, arbitrary: fc.constantFrom(`http://sub.${ALLOWED_HOST}:{port}{target}`, `http://${ALLOWED_HOST}:{port}/allowed`, `http://${OWN_HOST}:{port}/own`) },
  { weight: 2, arbitrary: location },
);
const endpointBody = fc
  .tuple(fc.constantFrom('PermanentRedirect', 'TemporaryRedirect', 'Redirect'), redirectLocation)
  .map(([c, target]) => `<Error><Code>${c}</Code><Endpoint>${target.replace(/^[a-z]+:\/\//i, '').replace('{target}', '').replace(/[/?][^]*$/, '')}</Endpoint></Error>`);

/** A redirect with a Location, an `<Endpoint>`, both, or neither. */
const redirect: fc.Arbitrary<HostileAnswer> = fc.record({
  type: fc.constant('respond' as const),
  status: redirectStatus,
  reason: fc.constant('Moved'),
  headers: fc.oneof({ weight: 3, arbitrary: fc.tuple(fc.constant('Location'), redirectLocation).map((line) => [line]) }, fc.constant([])),
  body: fc.oneof(endpointBody, fc.constant(''), code.map((c) => `<Error><Code>${c}</Code></Error>`)),
  framing: fc.constant('length' as const),
  pieces: fc.constant(1),
  pauseMs: fc.constant(0),
});
const redirectHeavy = fc.oneof({ weight: 5, arbitrary: redirect }, fc.constant(PLAIN_OK), fc.constant<HostileAnswer>({ ...PLAIN_OK, status: 503, body: '<Error><Code>SlowDown</Code></Error>' }));

/** Mostly a handle that allows the redirect host, so later calls that do not are the ones that matter. */
const handleAllowHosts = fc.constantFrom<string[] | undefined>([ALLOWED_HOST], [ALLOWED_HOST], [`.${ALLOWED_HOST}`], [], undefined);

/** Always tried first: the handle may follow a 301 to allowed.test and remembers it; the next call may not go there. */
const REMEMBERED_301_THEN_STRICTER_CALL: Scenario = {
  options: { retries: 0, minDelayMs: 0, maxDelayMs: 1, maxRedirects: 3, allowHosts: [ALLOWED_HOST], breaker: false, throttle: false },
  answers: [{ type: 'respond', status: 301, reason: 'Moved', headers: [['Location', `http://${ALLOWED_HOST}:{port}{target}`]], body: '', framing: 'length', pieces: 1, pauseMs: 0 }],
  fallback: PLAIN_OK,
  calls: [
    { method: 'GET', responseType: 'json', allowHosts: undefined, retries: undefined },
    { method: 'GET', responseType: 'json', allowHosts: [], retries: undefined },
  ],
};

const suite = useHostileSuite(startHostileServer);

describe('hostile redirects', () => {
  it.each(HOSTILE_ADAPTERS)('on the %s adapter, redirects and remembered 301s never take a call to a host it may not reach', async (adapter) => {
    await fc.assert(
      fc.asyncProperty(scenarioOf(redirectHeavy, { minCalls: 2, maxCalls: 4, allowHosts: handleAllowHosts }), async (s) => {
        expect(await runScenario(adapter, suite.server, suite.faults, s)).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS[adapter] ?? 15, examples: [[REMEMBERED_301_THEN_STRICTER_CALL]] },
    );
  });
});

/** Where an https server may try to send a call in cleartext (`{plain}`: the plain server, `{tls}`: its own port). */
const downgrade = fc.constantFrom(
  'http://127.0.0.1:{plain}/down',
  'HTTP://127.0.0.1:{plain}/down-upper-case',
  'http:/127.0.0.1:{plain}/one-slash',
  'http:\\\\127.0.0.1:{plain}/backslashes',
  'http://localhost:{plain}/down-localhost',
  'http://127.0.0.1:{tls}/down-same-port',
  '//127.0.0.1:{plain}/protocol-relative',
  'https://127.0.0.1:{plain}/https-to-plain-port',
  '/same-origin',
);
const downgradeAnswer: fc.Arbitrary<HostileAnswer> = fc.record({
  type: fc.constant('respond' as const),
  status: redirectStatus,
  reason: fc.constant('Moved'),
  headers: fc.oneof(downgrade.map((target) => [['Location', target] as const]), fc.constant([])),
  body: fc.oneof(
    fc.constant(''),
    downgrade.map((target) => `<Error><Code>PermanentRedirect</Code><Endpoint>${target.replace(/^[a-z]+:[/\\]*/i, '')}</Endpoint></Error>`),
  ),
  framing: fc.constant('length' as const),
  pieces: fc.constant(1),
  pauseMs: fc.constant(0),
});

describe('https downgrade', () => {
  let secure: HostileServer;
  let cleartextOnTls = 0;

  beforeAll(async () => {
    secure = await startHostileServer({ tls: TLS });
  });

  afterAll(async () => {
    await secure.close();
  });

  it.each(HOSTILE_ADAPTERS)('on the %s adapter, no cleartext request leaves an https call', async (adapter: TestAdapter) => {
    await fc.assert(
      fc.asyncProperty(fc.array(downgradeAnswer, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 3 }), async (answers, maxRedirects) => {
        suite.server.reset();
        secure.reset();
        cleartextOnTls = secure.cleartextAttempts;
        const faultsBefore = suite.faults.seen.length;
        const ports = { plain: suite.server.port, tls: secure.port };
        secure.script(
          answers.map((reply) => materialize(reply, secure.port, ports)),
          PLAIN_OK,
        );
        const { client, handle } = hostileClient(
          adapter,
          `https://127.0.0.1:${String(secure.port)}`,
          { retry: { retries: 1, minDelayMs: 0, maxDelayMs: 1 }, redirect: { maxRedirects, allowHosts: ['127.0.0.1', 'localhost'] }, random: () => 0.5 },
          {},
          { ca: TLS.cert },
        );
        const events: Recorded[] = [];
        recordInto(handle, () => events);
        const { outcome } = await settleWithin(client.get('/start', { headers: plantedHeaders(), timeout: 2_000 }), 30_000);
        await letRejectionsSurface();
        const problems = [
          ...closingProblems(outcome, events),
          ...suite.server.arrivals.filter((arrival) => !arrival.tls).map((arrival) => `cleartext ${arrival.method} ${arrival.target} reached the plain server`),
          ...(secure.cleartextAttempts > cleartextOnTls ? ['a cleartext request reached the https port'] : []),
          ...(outcome.type === 'rejected' ? secretsShown('rejection', outcome.error) : []),
          ...suite.faults.seen.slice(faultsBefore),
        ];
        await closeHostileClients();
        expect(problems).toEqual([]);
      }),
      { seed: SEED, numRuns: DOWNGRADE_RUNS },
    );
  });
});
