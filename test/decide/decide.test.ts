/**
 * decide() from tables: every row of the default policy table × method ×
 * body replayability × retry budget × breaker state, each with the decision
 * the contract (../shared/API.md) names. The expectations are written from the
 * contract's rules, not from the implementation's helpers.
 */
import { describe, expect, it } from '@jest/globals';
import { makeFault, type FaultKind, type ObsFault } from '../../src/classify/fault.js';
import { KIND_BY_CODE, kindForStatus } from '../../src/classify/kinds.js';
import { afterBudgetTake, decide } from '../../src/decide/decide.js';
import type { BudgetView, CallState, DecideInput, Decision } from '../../src/decide/decision.js';
import { DEFAULT_POLICIES, OBS_ERROR_CODES } from '../../src/index.js';
import { resolvePolicy } from '../../src/policy/resolve-policy.js';

/** Outcomes after which the contract lets a POST/PATCH go again: the server provably did not process it. */
const POST_SAFE = new Set(['SlowDown', 'ServiceUnavailable', 'TooManyRequests', 'RequestTimeout', 'HTTP_503', 'HTTP_429', 'HTTP_408']);
const START = new URL('https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg');

const statusOf = new Map(OBS_ERROR_CODES.map((row) => [row.code, row.status]));

/** A fault for a table row: catalog status, or the status a stand-in names (`HTTP_503` → 503, `HTTP_5xx` → 599). */
function faultFor(code: string): ObsFault {
  const stand = /^HTTP_(\d)(\d\d|xx)$/.exec(code);
  const status = statusOf.get(code) ?? (stand !== null ? Number(`${stand[1] ?? ''}${stand[2] === 'xx' ? '99' : (stand[2] ?? '')}`) : undefined);
  const kind: FaultKind = code === 'NetworkError' ? 'network' : code === 'Timeout' ? 'timeout' : (KIND_BY_CODE[code] ?? kindForStatus(status ?? 500));
  // Redirects point at another bucket of the official domain (allowed by default).
  const location = status !== undefined && status >= 300 && status < 400 ? 'https://photos.obs.eu-west-101.myhuaweicloud.eu/cat.jpg' : undefined;
  return makeFault(kind, code, { status, location });
}

function call(over: Partial<CallState> = {}): CallState {
  return {
    method: 'GET',
    unreplayableBody: undefined,
    startUrl: START,
    retriesUsed: 0,
    hops: 0,
    visited: new Set([START.href]),
    elapsedMs: 0,
    skewCorrected: false,
    credentialsRefreshed: false,
    hasFailed: false,
    detached: false,
    ...over,
  };
}

const PLENTY: BudgetView = { tokens: 500, retryCost: 5, timeoutRetryCost: 10 };
const EMPTY: BudgetView = { tokens: 0, retryCost: 5, timeoutRetryCost: 10 };

function input(code: string, over: { call?: Partial<CallState>; budget?: BudgetView | undefined; breakerOpen?: boolean; canSign?: boolean; paced?: boolean } = {}): DecideInput {
  const fault = faultFor(code);
  return {
    outcome: { type: 'fault', fault, policy: resolvePolicy(code, fault.status, {}), url: START },
    call: call(over.call),
    settings: { maxRedirects: 3, allowHosts: [/\.myhuaweicloud\.(com|eu)$/], maxElapsedMs: undefined, canSign: over.canSign ?? false },
    budget: 'budget' in over ? over.budget : PLENTY,
    breakerOpen: over.breakerOpen ?? false,
    paced: over.paced ?? false,
    random: () => 0.5,
    nowMs: 1_000_000,
  };
}

/** The decision type the contract names for one combination. */
function expected(code: string, method: string, replayable: boolean, budget: 'plenty' | 'empty' | 'none', breakerOpen: boolean): Decision['type'] {
  const entry = DEFAULT_POLICIES[code];
  const action = typeof entry === 'string' ? entry : entry?.action;
  if (action === 'fail') return 'failFast';
  if (action === 'redirect') return replayable ? 'redirect' : 'failFast';
  // retry / circuit
  if ((method === 'POST' || method === 'PATCH') && !POST_SAFE.has(code)) return 'giveUp';
  if (!replayable) return 'giveUp';
  if (breakerOpen) return 'giveUp';
  if (budget === 'empty') return 'giveUp';
  return 'retry';
}

const rows = Object.keys(DEFAULT_POLICIES);
const METHODS = ['GET', 'PUT', 'POST'] as const;
const BUDGETS = ['plenty', 'empty', 'none'] as const;

/** One combination of a row's dimensions. */
interface Combination {
  method: (typeof METHODS)[number];
  replayable: boolean;
  budget: (typeof BUDGETS)[number];
  breakerOpen: boolean;
}

/** All 36 combinations of method × body × budget × breaker state, checked for every row. */
const combinations: Combination[] = METHODS.flatMap((method) =>
  [true, false].flatMap((replayable) => BUDGETS.flatMap((budget) => [false, true].map((breakerOpen) => ({ method, replayable, budget, breakerOpen })))),
);

/** What is wrong with decide()'s answer for one combination of a row (`undefined`: it is what the contract names). */
function mismatch(code: string, { method, replayable, budget, breakerOpen }: Combination): string | undefined {
  const decision = decide(
    input(code, {
      call: { method, unreplayableBody: replayable ? undefined : 'request body is a stream' },
      budget: budget === 'plenty' ? PLENTY : budget === 'empty' ? EMPTY : undefined,
      breakerOpen,
    }),
  );
  const where = `${method}, replayable ${String(replayable)}, budget ${budget}, breaker open ${String(breakerOpen)}`;
  const want = expected(code, method, replayable, budget, breakerOpen);
  if (decision.type !== want) return `${where}: ${decision.type} instead of ${want}`;
  if (decision.type !== 'retry') return undefined;
  const cost = budget === 'none' ? 0 : ['NetworkError', 'Timeout'].includes(code) ? 10 : 5;
  if (decision.delayMs < 0 || decision.delayMs > 20_000) return `${where}: delay ${String(decision.delayMs)} ms outside 0..20000`;
  if (decision.cost !== cost) return `${where}: cost ${String(decision.cost)} instead of ${String(cost)}`;
  return undefined;
}

describe('decide() over the whole default table', () => {
  it(`covers ${String(rows.length)} rows × 3 methods × 2 bodies × 3 budgets × 2 breaker states`, () => {
    expect(combinations).toHaveLength(36);
    expect(new Set(combinations.map((c) => JSON.stringify(c))).size).toBe(36);
    expect(rows.length).toBeGreaterThan(OBS_ERROR_CODES.length);
  });

  // One test per row; each checks all 36 combinations and names every one that is wrong.
  it.each(rows)('%s: every method × body × budget × breaker state', (code) => {
    expect(combinations.map((combination) => mismatch(code, combination)).filter((problem) => problem !== undefined)).toEqual([]);
  });
});

describe('decide() reasons and the rarer branches', () => {
  it('gives up with the first reason that applies, in the contract order', () => {
    const reason = (d: Decision): string => (d.type === 'giveUp' || d.type === 'failFast' ? d.reason : d.type);
    expect(reason(decide(input('InternalError', { call: { method: 'POST' } })))).toMatch(/^not replayable: POST may have been processed/);
    expect(reason(decide(input('InternalError', { call: { unreplayableBody: 'request body is a stream' } })))).toBe('not replayable: request body is a stream');
    expect(reason(decide(input('InternalError', { call: { retriesUsed: 3 } })))).toBe('retries exhausted (3)');
    expect(reason(decide(input('InternalError', { breakerOpen: true })))).toMatch(/^circuit open/);
    expect(reason(decide(input('InternalError', { budget: EMPTY })))).toBe('retry budget exhausted');
    expect(reason(decide(input('InternalError', { call: { detached: true } })))).toBe('detached');
  });

  it('a throttling answer from a paced endpoint retries for free (the pace bounds the load), even with the budget empty; nothing else does', () => {
    for (const code of ['SlowDown', 'ServiceUnavailable', 'RequestTimeout']) {
      expect(decide(input(code, { paced: true, budget: EMPTY }))).toMatchObject({ type: 'retry', cost: 0 });
      expect(decide(input(code, { paced: true }))).toMatchObject({ type: 'retry', cost: 0 });
      // Not paced (throttle off, or detached): the budget prices it as before.
      expect(decide(input(code, { paced: false }))).toMatchObject({ type: 'retry', cost: 5 });
      expect(decide(input(code, { paced: false, budget: EMPTY }))).toEqual({ type: 'giveUp', code: 'budgetExhausted', reason: 'retry budget exhausted' });
    }
    // A paced endpoint's failures that are not throttling still cost, and still run out.
    expect(decide(input('InternalError', { paced: true }))).toMatchObject({ type: 'retry', cost: 5 });
    expect(decide(input('NetworkError', { paced: true }))).toMatchObject({ type: 'retry', cost: 10 });
    expect(decide(input('InternalError', { paced: true, budget: EMPTY }))).toEqual({ type: 'giveUp', code: 'budgetExhausted', reason: 'retry budget exhausted' });
    // The other limits still apply to a free retry.
    expect(decide(input('SlowDown', { paced: true, budget: EMPTY, call: { retriesUsed: 3 } }))).toEqual({ type: 'giveUp', code: 'retriesExhausted', reason: 'retries exhausted (3)' });
  });

  it('gives up before a wait that would pass maxElapsedMs', () => {
    const base = input('SlowDown', { call: { elapsedMs: 990 } });
    const decision = decide({ ...base, settings: { ...base.settings, maxElapsedMs: 1000 } });
    expect(decision).toEqual({ type: 'giveUp', code: 'deadline', reason: expect.stringMatching(/^maxElapsedMs \(1000\)/) as unknown as string });
  });

  it('refuses a call the breaker turned away before anything failed, and gives up after a failure', () => {
    const refusal = { ...input('InternalError'), outcome: { type: 'refused' as const, endpoint: START.origin, by: 'breaker' as const } };
    expect(decide(refusal)).toEqual({ type: 'refuse' });
    expect(decide({ ...refusal, call: call({ hasFailed: true }) })).toEqual({ type: 'giveUp', code: 'circuitOpen', reason: 'circuit open: the endpoint breaker opened during retries' });
  });

  it('gives up when the pace would start a request past maxElapsedMs', () => {
    const paced = { ...input('SlowDown'), outcome: { type: 'refused' as const, endpoint: START.origin, by: 'pace' as const } };
    expect(decide(paced)).toEqual({ type: 'giveUp', code: 'paceDeadline', reason: "maxElapsedMs reached while waiting for the endpoint's pace" });
  });

  it('re-signs a RequestTimeTooSkewed once, only with a sign hook and a server Date', () => {
    const skewed = (canSign: boolean, skewCorrected: boolean, serverDateMs: number | undefined): Decision => {
      const base = input('RequestTimeTooSkewed', { canSign, call: { skewCorrected } });
      const outcome = base.outcome.type === 'fault' ? { ...base.outcome, fault: { ...base.outcome.fault, serverDateMs } } : base.outcome;
      return decide({ ...base, outcome });
    };
    expect(skewed(true, false, 1_600_000)).toEqual({ type: 'resign', offsetMs: 600_000 });
    expect(skewed(false, false, 1_600_000).type).toBe('failFast');
    expect(skewed(true, true, 1_600_000).type).toBe('failFast');
    expect(skewed(true, false, undefined).type).toBe('failFast');
  });

  it('re-signs with fresh credentials once after an answer refusing them, only with a sign hook', () => {
    for (const code of ['InvalidAccessKeyId', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired']) {
      expect(decide(input(code, { canSign: true }))).toEqual({ type: 'refreshCredentials' });
      expect(decide(input(code, { canSign: false })).type).toBe('failFast');
      expect(decide(input(code, { canSign: true, call: { credentialsRefreshed: true } })).type).toBe('failFast');
    }
    // A wrong signature is not mended by fresh credentials.
    expect(decide(input('SignatureDoesNotMatch', { canSign: true })).type).toBe('failFast');
    expect(decide(input('AccessDenied', { canSign: true })).type).toBe('failFast');
  });

  it('refuses redirects: hop limit, loop, foreign host, non-replayable body', () => {
    const target = faultFor('TemporaryRedirect').location ?? '';
    expect(decide(input('TemporaryRedirect', { call: { hops: 3 } }))).toEqual({ type: 'failFast', code: 'tooManyRedirects', reason: 'redirect refused: more than maxRedirects (3) hops' });
    expect(decide(input('TemporaryRedirect', { call: { visited: new Set([target]) } }))).toEqual({ type: 'failFast', code: 'redirectLoop', reason: 'redirect refused: redirect loop' });
    expect(decide(input('TemporaryRedirect', { call: { unreplayableBody: 'request body is a stream' } }))).toEqual({
      type: 'failFast',
      code: 'notReplayable',
      reason: 'redirect refused: not replayable: request body is a stream',
    });
    const foreign = input('TemporaryRedirect');
    const outcome = foreign.outcome.type === 'fault' ? { ...foreign.outcome, fault: { ...foreign.outcome.fault, location: 'https://evil.example/x' } } : foreign.outcome;
    const refused = decide({ ...foreign, outcome });
    expect(refused).toMatchObject({ type: 'failFast', code: 'redirectRefused' });
    expect(refused.type === 'failFast' ? refused.reason : '').toMatch(/^redirect refused: .*evil\.example/);
  });

  it('fails fast on a 302 or 303 to anything but GET and HEAD: a processed write is never sent again', () => {
    const seeOther = (status: number, method: string): Decision => {
      const base = input(`HTTP_${String(status)}`, { call: { method } });
      const outcome = base.outcome.type === 'fault' ? { ...base.outcome, fault: { ...base.outcome.fault, status } } : base.outcome;
      return decide({ ...base, outcome });
    };
    for (const status of [302, 303]) {
      for (const method of ['GET', 'HEAD']) expect(seeOther(status, method)).toMatchObject({ type: 'redirect', permanent: false });
      for (const method of ['PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']) {
        expect(seeOther(status, method)).toEqual({
          type: 'failFast',
          code: 'writeRedirect',
          reason: `redirect refused: ${String(status)} to a ${method}: the request is not sent again (it may have been processed); the answer's Location says where to GET the result`,
        });
      }
    }
    // 301, 307 and 308 move the request itself: it was not processed, so it goes with its method and body.
    for (const status of [301, 307, 308]) {
      const base = input('TemporaryRedirect', { call: { method: 'PUT' } });
      const outcome = base.outcome.type === 'fault' ? { ...base.outcome, fault: { ...base.outcome.fault, status } } : base.outcome;
      expect(decide({ ...base, outcome }).type).toBe('redirect');
    }
  });

  it('follows a 301 as permanent and a 307 as temporary', () => {
    expect(decide(input('PermanentRedirect'))).toMatchObject({ type: 'redirect', permanent: true });
    expect(decide(input('TemporaryRedirect'))).toMatchObject({ type: 'redirect', permanent: false });
  });
});

describe('decide() draws the jitter once per backoff', () => {
  /** A random source that counts its draws. */
  function counting(): { random: () => number; draws: () => number } {
    let draws = 0;
    return {
      random: () => {
        draws++;
        return 0.25;
      },
      draws: () => draws,
    };
  }

  it('draws exactly once for a retry, and the wait is that draw times the ceiling', () => {
    const source = counting();
    const decision = decide({ ...input('InternalError'), random: source.random });
    expect(decision).toEqual({ type: 'retry', delayMs: 25, cost: 5 });
    expect(source.draws()).toBe(1);
  });

  it('draws once for a backoff that would pass maxElapsedMs (it is computed), and never when no backoff is computed', () => {
    const late = counting();
    const base = input('SlowDown', { call: { elapsedMs: 999 } });
    expect(decide({ ...base, settings: { ...base.settings, maxElapsedMs: 1000 }, random: late.random })).toMatchObject({ type: 'giveUp', code: 'deadline' });
    expect(late.draws()).toBe(1);
    const cases: [string, Parameters<typeof input>[1]][] = [
      ['NoSuchKey', {}],
      ['TemporaryRedirect', {}],
      ['InternalError', { call: { retriesUsed: 3 } }],
      ['InternalError', { call: { method: 'POST' } }],
      ['InternalError', { breakerOpen: true }],
      ['InternalError', { call: { detached: true } }],
    ];
    for (const [code, over] of cases) {
      const source = counting();
      decide({ ...input(code, over), random: source.random });
      expect([code, source.draws()]).toEqual([code, 0]);
    }
  });
});

describe('afterBudgetTake', () => {
  it('keeps the retry when the budget gave the tokens, and gives up as decide() does for an empty budget when it did not', () => {
    const retry = decide(input('InternalError'));
    if (retry.type !== 'retry') throw new Error('expected a retry');
    expect(afterBudgetTake(retry, true)).toBe(retry);
    expect(afterBudgetTake(retry, false)).toEqual(decide(input('InternalError', { budget: EMPTY })));
    expect(afterBudgetTake(retry, false)).toEqual({ type: 'giveUp', code: 'budgetExhausted', reason: 'retry budget exhausted' });
  });
});
