/**
 * Reading the scripts' answers: cjson's `{}` for an empty list, records that
 * do not read back left out, an estimator state that does not read back
 * taken as none, and an answer that is not the script's at all an error.
 */
import { describe, expect, it } from '@jest/globals';
import { decodeFleetState, decodePaceAnswer, decodePaceState, decodeStreakAnswer, UnexpectedAnswer } from '../../src/redis/answer-codec.js';
import { unpacedState } from '../../src/throttle/pace-estimator.js';

describe('decodeFleetState', () => {
  it('reads an empty fleet written by cjson (empty lists as objects)', () => {
    expect(decodeFleetState('{"breakers":{},"paces":{},"holds":{},"redirects":{}}')).toEqual({ breakers: [], paces: [], holds: [], redirects: [], serverMinusStoreMs: undefined });
  });

  it('leaves out the records that do not read back', () => {
    const state = decodeFleetState(JSON.stringify({
      breakers: [{ endpoint: 'e', waitMs: 5, intervalMs: 10 }, { endpoint: 'e', waitMs: 'x', intervalMs: 1 }],
      paces: [{ endpoint: 'e', class: 'read', fleetRatePerSec: null, live: 2 }, { endpoint: 'e', class: 'all', fleetRatePerSec: 1, live: 1 }],
      holds: [null],
      redirects: [{ from: 'a', to: 'b' }, { from: 'a' }],
      serverMinusStoreMs: 'soon',
    }));
    expect(state).toEqual({
      breakers: [{ endpoint: 'e', waitMs: 5, intervalMs: 10 }],
      paces: [{ endpoint: 'e', class: 'read', fleetRatePerSec: null, live: 2 }],
      holds: [],
      redirects: [{ from: 'a', to: 'b' }],
      serverMinusStoreMs: undefined,
    });
  });

  it.each([[null], [42], ['not json'], ['[]']])('throws UnexpectedAnswer on %j', (reply) => {
    expect(() => decodeFleetState(reply)).toThrow(UnexpectedAnswer);
  });
});

describe('decodePaceState', () => {
  it('reads a state written by JSON.stringify back', () => {
    const state = { ...unpacedState(), ratePerSec: 4.5, learnedRate: 4.5, verifying: { share: 0.2, cuts: 2, throttled: 9 }, quietMs: 250 };
    expect(decodePaceState(JSON.stringify(state))).toEqual(state);
    expect(decodePaceState(JSON.stringify(unpacedState()))).toEqual(unpacedState());
  });

  it.each([
    ['not JSON', '{'],
    ['a negative rate', JSON.stringify({ ...unpacedState(), ratePerSec: -1 })],
    ['a noise floor above 1', JSON.stringify({ ...unpacedState(), noiseFloor: 2 })],
    ['a broken verification', JSON.stringify({ ...unpacedState(), verifying: { share: 0.1 } })],
    ['a missing field', JSON.stringify({ ratePerSec: null })],
  ])('takes %s as no state', (_what, text) => {
    expect(decodePaceState(text)).toBeUndefined();
  });
});

describe('the other answers', () => {
  it('reads a streak answer', () => {
    expect(decodeStreakAnswer('')).toEqual({ opened: undefined });
    expect(decodeStreakAnswer('{"endpoint":"e","waitMs":1,"intervalMs":2}')).toEqual({ opened: { endpoint: 'e', waitMs: 1, intervalMs: 2 } });
    expect(() => decodeStreakAnswer('{"endpoint":"e"}')).toThrow(UnexpectedAnswer);
  });

  it('reads a pace answer, with a state that does not read back as none', () => {
    const reply = JSON.stringify({ rate: 3, live: 2, judge: { sent: 10, throttled: 1, waited: 0, durationMs: 300 }, state: '{"ratePerSec":"fast"}' });
    expect(decodePaceAnswer(reply, 'e', 'list')).toEqual({
      pace: { endpoint: 'e', class: 'list', fleetRatePerSec: 3, live: 2 },
      judge: { window: { sent: 10, throttled: 1, waited: 0, durationMs: 300 }, state: undefined },
    });
    expect(() => decodePaceAnswer('{"rate":null,"live":0}', 'e', 'list')).toThrow(UnexpectedAnswer);
  });

  it('reads the count a pace is shared among only when it is a count above the live count', () => {
    const pace = (sharedAmong: unknown) => decodePaceAnswer(JSON.stringify({ rate: 300, live: 2, sharedAmong }), 'e', 'read').pace;
    expect(pace(32)).toEqual({ endpoint: 'e', class: 'read', fleetRatePerSec: 300, live: 2, sharedAmong: 32 });
    for (const garbage of [2, 1, -3, 2.5, 'many', null, [32]]) expect(pace(garbage)).toEqual({ endpoint: 'e', class: 'read', fleetRatePerSec: 300, live: 2 });
    const loaded = decodeFleetState(JSON.stringify({ paces: [{ endpoint: 'e', class: 'read', fleetRatePerSec: 300, live: 1, sharedAmong: 8 }, { endpoint: 'f', class: 'read', fleetRatePerSec: 300, live: 1, sharedAmong: 'x' }] }));
    expect(loaded.paces).toEqual([
      { endpoint: 'e', class: 'read', fleetRatePerSec: 300, live: 1, sharedAmong: 8 },
      { endpoint: 'f', class: 'read', fleetRatePerSec: 300, live: 1 },
    ]);
  });

  it("reads a judge's reporters and live count before, and leaves out each that does not read as a count", () => {
    const window = { sent: 10, throttled: 1, waited: 0, durationMs: 300 };
    const answer = (reporters: unknown, liveBefore: unknown) => decodePaceAnswer(JSON.stringify({ rate: 3, live: 2, judge: { ...window, reporters, liveBefore } }), 'e', 'read').judge;
    expect(answer(5, 2)).toStrictEqual({ window, state: undefined, reporters: 5, liveBefore: 2 });
    expect(answer(0, 0)).toStrictEqual({ window, state: undefined, reporters: 0, liveBefore: 0 });
    expect(answer(5, -1)).toStrictEqual({ window, state: undefined, reporters: 5 });
    expect(answer(5, 2.5)).toStrictEqual({ window, state: undefined, reporters: 5 });
    expect(answer(5, '2')).toStrictEqual({ window, state: undefined, reporters: 5 });
    expect(answer(-1, 2)).toStrictEqual({ window, state: undefined, liveBefore: 2 });
    expect(answer(1.5, 2)).toStrictEqual({ window, state: undefined, liveBefore: 2 });
    expect(answer('5', 2)).toStrictEqual({ window, state: undefined, liveBefore: 2 });
    expect(answer(undefined, null)).toStrictEqual({ window, state: undefined });
  });
});
