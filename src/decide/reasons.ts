/**
 * Why a call ends early: the code of every `failFast` and `giveUp` decision and the one map from
 * each code to the message events and errors show. Code matches on the code; the message is for
 * people and may say more (the status, the host, the limit).
 */

/** What each fail-fast code's message is built from (`undefined`: the code says it all). */
interface FailFastDetails {
  /** The policy table says `fail` for the outcome. */
  policyFail: undefined;
  /** A 302 or 303 answered a method other than GET or HEAD: a processed write is not sent again. */
  writeRedirect: { status: number; method: string };
  /** The redirect target is refused (no usable Location, a host outside `allowHosts`, a scheme downgrade…). */
  redirectRefused: { why: string };
  /** Following the redirect would pass `maxRedirects`. */
  tooManyRedirects: { maxRedirects: number };
  /** The redirect leads back to a URL this chain of hops has visited. */
  redirectLoop: undefined;
  /** The request cannot be sent again (its method may have been processed, or its body is a stream). */
  notReplayable: { why: string; redirect: boolean };
}

/** What each give-up code's message is built from (`undefined`: the code says it all). */
interface GiveUpDetails {
  /** The request cannot be sent again (its method may have been processed, or its body is a stream). */
  notReplayable: { why: string; redirect: boolean };
  /** The outcome's `retries` are used up. */
  retriesExhausted: { retries: number };
  /** The endpoint's breaker opened while the call was retrying. */
  circuitOpen: undefined;
  /** The next wait would pass `maxElapsedMs`. */
  deadline: { maxElapsedMs: number; delayMs: number };
  /** The endpoint's pace would start the request past `maxElapsedMs`. */
  paceDeadline: undefined;
  /** The handle's retry budget has no tokens for this retry. */
  budgetExhausted: undefined;
  /** The handle was detached: calls in flight do not retry. */
  detached: undefined;
}

/** Why a call fails fast: the table says `fail`, or a redirect may not be followed. */
export type FailFastCode = keyof FailFastDetails;

/** Why a call gives up on a retryable outcome. */
export type GiveUpCode = keyof GiveUpDetails;

/** Every code a call can end early with. */
export type ReasonCode = FailFastCode | GiveUpCode;

type ReasonDetails = FailFastDetails & GiveUpDetails;

/** The arguments of a code's message: its detail, or none. */
type DetailArgs<C extends ReasonCode> = ReasonDetails[C] extends undefined ? [] : [detail: ReasonDetails[C]];

/** The message of each code: the one place a reason's wording lives. */
const MESSAGES: { readonly [C in ReasonCode]: (...args: DetailArgs<C>) => string } = {
  policyFail: () => 'policy: fail',
  writeRedirect: ({ status, method }) =>
    `redirect refused: ${String(status)} to a ${method}: the request is not sent again (it may have been processed); the answer's Location says where to GET the result`,
  redirectRefused: ({ why }) => `redirect refused: ${why}`,
  tooManyRedirects: ({ maxRedirects }) => `redirect refused: more than maxRedirects (${maxRedirects}) hops`,
  redirectLoop: () => 'redirect refused: redirect loop',
  notReplayable: ({ why, redirect }) => `${redirect ? 'redirect refused: ' : ''}not replayable: ${why}`,
  retriesExhausted: ({ retries }) => `retries exhausted (${retries})`,
  circuitOpen: () => 'circuit open: the endpoint breaker opened during retries',
  deadline: ({ maxElapsedMs, delayMs }) => `maxElapsedMs (${maxElapsedMs}) would be exceeded by a ${delayMs} ms wait`,
  paceDeadline: () => "maxElapsedMs reached while waiting for the endpoint's pace",
  budgetExhausted: () => 'retry budget exhausted',
  detached: () => 'detached',
};

/** Why a call ends early: the code to match on and the message (`reason`) events and errors show. */
export interface EndReason<C extends ReasonCode = ReasonCode> {
  /** The code. */
  code: C;
  /** The message built from the code and its detail. */
  reason: string;
}

/**
 * The code with its message.
 * @param code why the call ends
 * @param args the code's detail, when its message has one
 */
export function endReason<C extends ReasonCode>(code: C, ...args: DetailArgs<C>): EndReason<C> {
  const message = MESSAGES[code] as (...detail: DetailArgs<C>) => string;
  return { code, reason: message(...args) };
}
