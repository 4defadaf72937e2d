/**
 * One run of the hostile-server property: a fresh policy handle on one adapter,
 * a few sequential calls with planted credentials against a scripted hostile
 * server, and every invariant of the suite checked on what happened. Returns
 * the problems found (empty when the run kept every invariant), so a property
 * fails with all of them at once.
 */
import type { AxiosResponse, Method, ResponseType } from 'axios';
import fc from 'fast-check';
import { isObsError, type ObsPolicyOptions } from '../../src/index.js';
import type { TestAdapter } from '../support/adapter.js';
import { ALLOWED_HOST, OWN_HOST, materialize, pointsToAllowedHttps, trickleMs } from './answer-arbitraries.js';
import { hostnameOf, mayReach } from './allowed-hosts.js';
import { closingProblems, describeError, recordInto, settleWithin, type Recorded } from './call-outcome.js';
import { closeHostileClients, hostileClient } from './hostile-clients.js';
import type { HostileAnswer, HostileServer, RespondAnswer } from './hostile-server.js';
import { PLANTED, plantedHeaders, secretsShown } from './printed-secrets.js';
import { letRejectionsSurface, type ProcessFaults } from './process-faults.js';

/** axios `timeout` of every call: small, so silence costs little; the invariants hold whatever fires first. */
const TIMEOUT_MS = 150;
/** Slack on top of a call's own budget before it counts as hung: wide, so a busy machine never trips it. */
const MARGIN_MS = 8_000;
/** Raw control characters (C0 but TAB, DEL, C1 CSI) that must not reach a message from the server. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u009b]/;
/** The answer after the script: a plain 200. */
export const PLAIN_OK: RespondAnswer = { type: 'respond', status: 200, reason: 'OK', headers: [], body: 'ok', framing: 'length', pieces: 1, pauseMs: 0 };

/** The handle's `allowHosts` (string entries only; `undefined`: the default list). */
const handleAllowHosts = fc.constantFrom<string[] | undefined>(undefined, [ALLOWED_HOST], [`.${ALLOWED_HOST}`], []);

/** Handle options: small retry counts and waits, redirect limits, allow-lists, breaker and pacing on or off. */
export function handleOptions(allowHosts: fc.Arbitrary<string[] | undefined> = handleAllowHosts) {
  return fc.record({
    retries: fc.integer({ min: 0, max: 2 }),
    minDelayMs: fc.constantFrom(0, 1, 3),
    maxDelayMs: fc.constantFrom(1, 10, 30),
    maxRedirects: fc.integer({ min: 0, max: 3 }),
    allowHosts,
    breaker: fc.constantFrom<ObsPolicyOptions['breaker']>(undefined, false, { consecutiveFailures: 2 }),
    throttle: fc.constantFrom<ObsPolicyOptions['throttle']>(undefined, false),
  });
}

/** One call: method, response type, and the call's own `allowHosts` and retries. */
export const callSpec = fc.record({
  method: fc.constantFrom<Method>('GET', 'GET', 'HEAD', 'PUT', 'POST', 'DELETE'),
  responseType: fc.constantFrom<ResponseType>('json', 'text', 'arraybuffer', 'stream'),
  allowHosts: fc.constantFrom<string[] | undefined>(undefined, undefined, [], [ALLOWED_HOST], [`.${ALLOWED_HOST}`]),
  retries: fc.constantFrom<number | undefined>(undefined, 0, 1),
});

/** How {@link scenarioOf} shapes a scenario beyond its answers. */
export interface ScenarioShape {
  minCalls?: number;
  maxCalls?: number;
  /** The handle's `allowHosts`. */
  allowHosts?: fc.Arbitrary<string[] | undefined>;
}

/** A scenario: handle options, the server's script (answers, then `fallback` forever) and the calls. */
export function scenarioOf(answer: fc.Arbitrary<HostileAnswer>, { minCalls = 1, maxCalls = 3, allowHosts }: ScenarioShape = {}): fc.Arbitrary<Scenario> {
  return fc.record({
    options: handleOptions(allowHosts),
    answers: fc.array(answer, { minLength: 1, maxLength: 6 }),
    fallback: fc.oneof({ weight: 3, arbitrary: fc.constant(PLAIN_OK) }, answer),
    calls: fc.array(callSpec, { minLength: minCalls, maxLength: maxCalls }),
  });
}

/** What {@link scenarioOf} generates. */
export interface Scenario {
  options: ReturnType<typeof handleOptions> extends fc.Arbitrary<infer T> ? T : never;
  answers: HostileAnswer[];
  fallback: HostileAnswer;
  calls: (typeof callSpec extends fc.Arbitrary<infer T> ? T : never)[];
}

function release(value: unknown): void {
  const data = (value as Partial<AxiosResponse> | undefined)?.data as { destroy?: () => void; cancel?: () => Promise<void> } | undefined;
  data?.destroy?.();
  data?.cancel?.().catch(() => undefined);
}

/** Runs scenario `s` on `adapter` against `server`; returns every broken invariant, as text. */
export async function runScenario(adapter: TestAdapter, server: HostileServer, faults: ProcessFaults, s: Scenario): Promise<string[]> {
  server.reset();
  const answers = s.answers.map((reply) => materialize(reply, server.port));
  server.script(answers, materialize(s.fallback, server.port));
  const { options } = s;
  const { client, handle } = hostileClient(adapter, `http://${OWN_HOST}:${String(server.port)}`, {
    retry: { retries: options.retries, minDelayMs: options.minDelayMs, maxDelayMs: options.maxDelayMs },
    redirect: { maxRedirects: options.maxRedirects, ...(options.allowHosts === undefined ? {} : { allowHosts: options.allowHosts }) },
    ...(options.breaker === undefined ? {} : { breaker: options.breaker }),
    ...(options.throttle === undefined ? {} : { throttle: options.throttle }),
    random: () => 0.5,
  });
  let current: Recorded[] = [];
  recordInto(handle, () => current);
  const problems: string[] = [];
  const faultsBefore = faults.seen.length;
  const slowest = Math.max(...[...answers, s.fallback].map(trickleMs));
  const attemptsAtMost = (options.retries + 2) * (options.maxRedirects + 2);
  const boundMs = attemptsAtMost * (TIMEOUT_MS + slowest + options.maxDelayMs) + MARGIN_MS;
  const attemptsOf = new Map<string, number>();

  for (const [index, call] of s.calls.entries()) {
    current = [];
    const obs = {
      ...(call.allowHosts === undefined ? {} : { redirect: { allowHosts: call.allowHosts } }),
      ...(call.retries === undefined ? {} : { retry: { retries: call.retries } }),
    };
    const { outcome } = await settleWithin(
      client.request({
        method: call.method,
        url: `/k${String(index)}.bin${PLANTED.query}`,
        headers: { ...plantedHeaders(), 'x-hostile-call': String(index) },
        data: call.method === 'PUT' || call.method === 'POST' ? 'payload' : undefined,
        responseType: call.responseType,
        timeout: TIMEOUT_MS,
        obs,
      }),
      boundMs,
    );
    const label = `call ${String(index)} (${call.method})`;
    if (outcome.type === 'resolved') release(outcome.value);
    problems.push(...closingProblems(outcome, current).map((problem) => `${label}: ${problem}`));
    if (outcome.type === 'rejected') {
      problems.push(...secretsShown(`${label} rejection`, outcome.error));
      if (isObsError(outcome.error)) {
        attemptsOf.set(String(index), outcome.error.attempts);
        if (RAW_CONTROL.test(outcome.error.message)) problems.push(`${label}: raw control character in message ${JSON.stringify(outcome.error.message.slice(0, 300))}`);
      } else if (!(outcome.error instanceof Error)) {
        problems.push(`${label}: rejected with a non-Error ${describeError(outcome.error)}`);
      }
    }
    for (const [name, payload] of current) problems.push(...secretsShown(`${label} ${name} event`, payload));
  }
  await letRejectionsSurface();
  problems.push(...faults.seen.slice(faultsBefore));

  const httpsAllowed = [...answers, s.fallback].some((reply) =>
    pointsToAllowedHttps(reply, (host) => mayReach(host, options.allowHosts) || s.calls.some((call) => mayReach(host, call.allowHosts))),
  );
  for (const arrival of server.arrivals) {
    if (arrival.tls) {
      if (!httpsAllowed) problems.push(`a TLS handshake reached the server, though no https target was allowed`);
      continue;
    }
    const marker = arrival.headers['x-hostile-call'];
    const call = marker === undefined ? undefined : s.calls[Number(marker)];
    const allowHosts = call?.allowHosts ?? options.allowHosts;
    const hostname = hostnameOf(arrival.host ?? '');
    if (!mayReach(hostname, allowHosts)) problems.push(`call ${String(marker)} sent ${arrival.method} ${arrival.target} to host ${String(arrival.host)}`);
  }
  for (const [marker, attempts] of attemptsOf) {
    const seen = server.arrivals.filter((arrival) => arrival.headers['x-hostile-call'] === marker).length;
    if (seen > attempts) problems.push(`call ${marker}: the server saw ${String(seen)} requests, the error says attempts ${String(attempts)}`);
  }
  await closeHostileClients();
  return problems;
}
