/**
 * Exercises every row of DEFAULT_POLICIES against the local OBS server: what
 * the table says is what the engine does, by request count and final action.
 */
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICIES, OBS_ERROR_CODES, type PolicyAction } from '../../src/index.js';
import type { ObsServerStep } from '../../src/testing/index.js';
import { obsRejection, policyClient, startServer } from '../support/harness.js';

const OPTIONS = { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 }, breaker: false as const, random: () => 0 };

/** Requests a GET sends for a failing outcome of each action (retries: 1; a followed redirect lands on a 404). */
const EXPECTED_REQUESTS: Record<PolicyAction, number> = { fail: 1, retry: 2, circuit: 2, redirect: 2 };

function actionOf(code: string): PolicyAction {
  const entry = DEFAULT_POLICIES[code];
  if (entry === undefined) throw new Error(`no entry for ${code}`);
  return typeof entry === 'string' ? entry : entry.action;
}

/** The scripted answer that produces each stand-in code. */
function standInStep(code: string, url: string): ObsServerStep {
  switch (code) {
    case 'HTTP_304':
      return { status: 304 };
    case 'HTTP_408':
      return { status: 408, body: '' };
    case 'HTTP_429':
      return { status: 429, body: '' };
    case 'HTTP_503':
      return { status: 503, body: '' };
    case 'HTTP_3xx':
      return { status: 302, headers: { location: `${url}/photos/elsewhere` } };
    case 'HTTP_4xx':
      return { status: 418, body: '<html>teapot</html>', headers: { 'content-type': 'text/html' } };
    case 'HTTP_5xx':
      return { status: 502, body: '<html><body>502 Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } };
    case 'NetworkError':
      return { reset: 'before-head' };
    case 'Timeout':
      return { hang: true };
    default:
      throw new Error(`no scripted answer for the stand-in code ${code}: add one here`);
  }
}

describe('default policy table, row by row', () => {
  it.each(OBS_ERROR_CODES.map((row) => [row.code, row.status, actionOf(row.code)] as const))(
    '%s (%i) → %s',
    async (code, status, action) => {
      const server = await startServer();
      const { client } = policyClient(server.url, OPTIONS);
      const location = action === 'redirect' ? `${server.url}/photos/moved` : undefined;
      const times = action === 'retry' || action === 'circuit' ? 2 : 1;
      server.enqueue({ error: code, times, ...(location !== undefined ? { location } : {}) });
      const error = await obsRejection(client.get('/photos/a'));
      expect(server.requests).toHaveLength(EXPECTED_REQUESTS[action]);
      expect(server.requests[0]?.response).toMatchObject({ status });
      // A followed redirect ends on the store's answer at the target; every other action on the code itself.
      const expected = action === 'redirect' ? ['NoSuchKey', 'fail'] : [code, action];
      expect([error.obsCode, error.action]).toEqual(expected);
    },
  );

  const standIns = Object.keys(DEFAULT_POLICIES).filter((code) => !OBS_ERROR_CODES.some((row) => row.code === code));
  it.each(standIns.map((code) => [code, actionOf(code)] as const))('stand-in %s → %s', async (code, action) => {
    const server = await startServer();
    const { client } = policyClient(server.url, OPTIONS, { timeout: 150 });
    server.enqueue({ ...standInStep(code, server.url), times: 2 });
    const error = await obsRejection(client.get('/photos/a'));
    expect(server.requests).toHaveLength(EXPECTED_REQUESTS[action]);
    // The followed 302 meets the second scripted 302, whose hop would loop: refused, the call ends on it.
    const expectedCode = action === 'redirect' ? 'HTTP_302' : code;
    // HTTP_4xx / HTTP_5xx stand for any status of their class: compare by class.
    const byClass = (obsCode: string): string => obsCode.replace(/\d\d$/, 'xx');
    expect([byClass(error.obsCode), error.action]).toEqual([byClass(expectedCode), action]);
  });
});
