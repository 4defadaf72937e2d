/**
 * The reason codes and their messages: one message per code, worded as events
 * and errors have always shown them (users and logs match on these strings too).
 */
import { describe, expect, it } from '@jest/globals';
import { endReason, type ReasonCode } from '../../src/decide/reasons.js';

describe('endReason', () => {
  it('builds each code with its message', () => {
    const built = [
      endReason('policyFail'),
      endReason('writeRedirect', { status: 303, method: 'POST' }),
      endReason('redirectRefused', { why: 'redirect to host evil.test refused' }),
      endReason('tooManyRedirects', { maxRedirects: 2 }),
      endReason('redirectLoop'),
      endReason('notReplayable', { why: 'request body is a stream', redirect: true }),
      endReason('notReplayable', { why: 'request body is a stream', redirect: false }),
      endReason('retriesExhausted', { retries: 3 }),
      endReason('circuitOpen'),
      endReason('deadline', { maxElapsedMs: 500, delayMs: 800 }),
      endReason('paceDeadline'),
      endReason('budgetExhausted'),
      endReason('detached'),
    ];
    expect(built).toEqual([
      { code: 'policyFail', reason: 'policy: fail' },
      {
        code: 'writeRedirect',
        reason: "redirect refused: 303 to a POST: the request is not sent again (it may have been processed); the answer's Location says where to GET the result",
      },
      { code: 'redirectRefused', reason: 'redirect refused: redirect to host evil.test refused' },
      { code: 'tooManyRedirects', reason: 'redirect refused: more than maxRedirects (2) hops' },
      { code: 'redirectLoop', reason: 'redirect refused: redirect loop' },
      { code: 'notReplayable', reason: 'redirect refused: not replayable: request body is a stream' },
      { code: 'notReplayable', reason: 'not replayable: request body is a stream' },
      { code: 'retriesExhausted', reason: 'retries exhausted (3)' },
      { code: 'circuitOpen', reason: 'circuit open: the endpoint breaker opened during retries' },
      { code: 'deadline', reason: 'maxElapsedMs (500) would be exceeded by a 800 ms wait' },
      { code: 'paceDeadline', reason: "maxElapsedMs reached while waiting for the endpoint's pace" },
      { code: 'budgetExhausted', reason: 'retry budget exhausted' },
      { code: 'detached', reason: 'detached' },
    ]);
    // Every code is covered above.
    const codes: Record<ReasonCode, true> = {
      policyFail: true,
      writeRedirect: true,
      redirectRefused: true,
      tooManyRedirects: true,
      redirectLoop: true,
      notReplayable: true,
      retriesExhausted: true,
      circuitOpen: true,
      deadline: true,
      paceDeadline: true,
      budgetExhausted: true,
      detached: true,
    };
    expect(new Set(built.map((b) => b.code))).toEqual(new Set(Object.keys(codes)));
  });
});
