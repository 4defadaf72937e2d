/**
 * Property: an abort at any point of a call — before it starts, when one of its
 * requests reaches the server, inside a `retry` or `redirect` listener, inside
 * a sync or async `sign` hook — ends the call with axios's CanceledError, with
 * no closing event, and nothing more reaches the server after the abort. The
 * server counts arrivals; the count at the moment of the abort is the most it
 * may ever see for that call. Runs on both adapters.
 */
import { describe, expect, it } from '@jest/globals';
import axios, { type InternalAxiosRequestConfig } from 'axios';
import fc from 'fast-check';
import type { TestAdapter } from '../support/adapter.js';
import { OWN_HOST } from './answer-arbitraries.js';
import { closingProblems, describeError, recordInto, settleWithin, type Recorded } from './call-outcome.js';
import { closeHostileClients, HOSTILE_ADAPTERS, hostileClient } from './hostile-clients.js';
import { startHostileServer, type HostileAnswer } from './hostile-server.js';
import { plantedHeaders } from './printed-secrets.js';
import { letRejectionsSurface } from './process-faults.js';
import { useHostileSuite } from './suite-lifecycle.js';

const SEED = 20_240_613;
const RUNS = 25;
/** Generous: every wait here is a few ms, every request answered at once. */
const BOUND_MS = 10_000;

const respond = (status: number, body: string, headers: readonly (readonly [string, string])[] = []): HostileAnswer => ({
  type: 'respond',
  status,
  reason: 'X',
  headers,
  body,
  framing: 'length',
  pieces: 1,
  pauseMs: 0,
});

/** Answers that lead to another request: throttling, server errors, resets, a same-host redirect; and a success. */
const answer = fc.constantFrom<HostileAnswer>(
  respond(503, '<Error><Code>SlowDown</Code></Error>'),
  respond(500, '<Error><Code>InternalError</Code></Error>'),
  respond(307, '', [['Location', '/next{target}']]),
  respond(301, '', [['Location', `http://${OWN_HOST}:{port}/moved{target}`]]),
  { type: 'resetInHead' },
  respond(200, 'ok'),
);

/** Where the abort happens. */
const abortPoint = fc.oneof(
  fc.constant({ at: 'before' as const }),
  fc.record({ at: fc.constant('arrival' as const), nth: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ at: fc.constant('event' as const), event: fc.constantFrom('retry' as const, 'redirect' as const), nth: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ at: fc.constant('sign' as const), mode: fc.constantFrom('sync' as const, 'async' as const), nth: fc.integer({ min: 1, max: 4 }) }),
);

type AbortPoint = typeof abortPoint extends fc.Arbitrary<infer T> ? T : never;

const suite = useHostileSuite(startHostileServer);

async function runAbort(adapter: TestAdapter, answers: HostileAnswer[], point: AbortPoint, method: 'GET' | 'PUT'): Promise<string[]> {
  suite.server.reset();
  const port = suite.server.port;
  const fill = (reply: HostileAnswer): HostileAnswer =>
    reply.type === 'respond' ? { ...reply, headers: reply.headers.map(([name, value]) => [name, value.replaceAll('{port}', String(port))] as const) } : reply;
  suite.server.script(answers.map(fill), fill(respond(503, '<Error><Code>SlowDown</Code></Error>')));
  const controller = new AbortController();
  let arrivalsAtAbort: number | undefined;
  const abort = (): void => {
    if (arrivalsAtAbort !== undefined) return;
    arrivalsAtAbort = suite.server.arrivals.length;
    controller.abort();
  };
  let signed = 0;
  const sign = async (config: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> => {
    signed++;
    if (point.at === 'sign' && signed === point.nth) {
      if (point.mode === 'async') await new Promise<void>((resolve) => setImmediate(resolve));
      abort();
      if (point.mode === 'async') await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return config;
  };
  const { client, handle } = hostileClient(adapter, `http://${OWN_HOST}:${String(port)}`, {
    retry: { retries: 4, minDelayMs: 1, maxDelayMs: 5 },
    breaker: false,
    redirect: { maxRedirects: 3 },
    random: () => 0.5,
    ...(point.at === 'sign' ? { sign } : {}),
  });
  const events: Recorded[] = [];
  recordInto(handle, () => events);
  if (point.at === 'arrival') {
    suite.server.onArrival = (arrival) => {
      if (arrival.index + 1 === point.nth) abort();
    };
  }
  if (point.at === 'event') {
    let seen = 0;
    handle.on(point.event, () => {
      seen++;
      if (seen === point.nth) abort();
    });
  }
  if (point.at === 'before') abort();

  const { outcome } = await settleWithin(
    client.request({ method, url: '/k.bin', data: method === 'PUT' ? 'payload' : undefined, headers: plantedHeaders(), signal: controller.signal, timeout: 2_000 }),
    BOUND_MS,
  );
  await letRejectionsSurface();
  await new Promise<void>((resolve) => setTimeout(resolve, 20));
  const problems = closingProblems(outcome, events);
  if (arrivalsAtAbort !== undefined) {
    if (suite.server.arrivals.length > arrivalsAtAbort) {
      const late = suite.server.arrivals.slice(arrivalsAtAbort).map((arrival) => `${arrival.method} ${arrival.target}`);
      problems.push(`sent after the abort (${String(arrivalsAtAbort)} had arrived): ${late.join(', ')}`);
    }
    if (outcome.type !== 'rejected' || !axios.isCancel(outcome.error)) {
      problems.push(`an aborted call ended ${outcome.type === 'rejected' ? `with ${describeError(outcome.error)}` : outcome.type}, not with a CanceledError`);
    }
  }
  return problems;
}

describe('abort at any point', () => {
  it.each(HOSTILE_ADAPTERS)('on the %s adapter, nothing is sent after the abort and the call ends canceled', async (adapter) => {
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 5 }), abortPoint, fc.constantFrom('GET' as const, 'PUT' as const), async (answers, point, method) => {
        const faultsBefore = suite.faults.seen.length;
        const problems = await runAbort(adapter, answers, point, method);
        await closeHostileClients();
        expect([...problems, ...suite.faults.seen.slice(faultsBefore)]).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
