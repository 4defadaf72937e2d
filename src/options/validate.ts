/**
 * Up-front validation: an unknown option name or an invalid value fails at
 * attachObsPolicies (or at the call, for `config.obs`) with a message that
 * names the option, instead of surfacing later as odd behaviour.
 */
import { POLICY_ACTIONS, type PolicyOverride, type RetryKnobs } from '../policy/types.js';
import { readState } from '../state/read-state.js';
import type { BreakerOptions, ObsPolicyOptions, ObsRequestOptions, RedirectOptions, RetryBudgetOptions, RetryOptions, ThrottleOptions } from './types.js';

type Check = (value: unknown, path: string) => void;

import { MAX_TIMER_DELAY_MS } from '../util/timer-limit.js';

/** Every option that becomes a timer's delay is refused above this (`util/timer-limit.ts`). */
export { MAX_TIMER_DELAY_MS };

function fail(path: string, expected: string, value: unknown): never {
  let shown: string;
  try {
    // JSON.stringify gives undefined for undefined, functions and symbols.
    const json: unknown = JSON.stringify(value);
    shown = typeof value === 'function' ? 'a function' : typeof json === 'string' ? json : String(value);
  } catch {
    shown = typeof value;
  }
  throw new TypeError(`obs-axios-policies: option "${path}" must be ${expected}; got ${shown}.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  try {
    // A proxy's traps may throw here: such a value is not a plain object.
    if (Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

/**
 * The own enumerable entries of an option object. A getter or proxy trap that throws
 * becomes a `TypeError` naming the option, never the caller's own error from inside
 * the package.
 */
function entriesOf(value: object, path: string): [string, unknown][] {
  try {
    return Object.entries(value);
  } catch (error) {
    const why = error instanceof Error ? error.message : typeof error;
    throw new TypeError(`obs-axios-policies: option "${path}" could not be read (${why}).`, { cause: error });
  }
}

const nonNegativeInteger: Check = (value, path) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(path, 'a non-negative integer', value);
};
const retriesCount: Check = (value, path) => {
  if (value === Infinity) return;
  nonNegativeInteger(value, path);
};
const nonNegativeNumber: Check = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(path, 'a finite number ≥ 0', value);
};
const positiveNumber: Check = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(path, 'a finite number > 0', value);
};
const TIMER_LIMIT = `${String(MAX_TIMER_DELAY_MS)} (2³¹−1, the longest a timer can wait)`;
/** A duration in ms that may be 0 and becomes (or bounds) a timer's delay. */
const nonNegativeDuration: Check = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_DELAY_MS) {
    fail(path, `a duration in ms from 0 to ${TIMER_LIMIT}`, value);
  }
};
/** A duration in ms above 0 that becomes (or bounds) a timer's delay. */
const positiveDuration: Check = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_DELAY_MS) {
    fail(path, `a duration in ms above 0 and at most ${TIMER_LIMIT}`, value);
  }
};
const atLeastOne: Check = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) fail(path, 'a finite number ≥ 1', value);
};
const percentage: Check = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) fail(path, 'a number from 0 to 100', value);
};
const positiveInteger: Check = (value, path) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(path, 'an integer ≥ 1', value);
};
const fn: Check = (value, path) => {
  if (typeof value !== 'function') fail(path, 'a function', value);
};
const fnOrFalse: Check = (value, path) => {
  if (value !== false && typeof value !== 'function') fail(path, 'a function or false', value);
};

function objectOf(shape: Record<string, Check>): Check {
  return (value, path) => {
    if (!isPlainObject(value)) fail(path, 'an object', value);
    for (const [key, child] of entriesOf(value, path)) {
      const check = Object.hasOwn(shape, key) ? shape[key] : undefined;
      if (check === undefined) {
        throw new TypeError(
          `obs-axios-policies: unknown option "${path}.${key}". Known options of "${path}": ${Object.keys(shape).join(', ')}.`,
        );
      }
      if (child !== undefined) check(child, `${path}.${key}`);
    }
  };
}

// Each shape `satisfies` the option type it checks: a new option fails to compile until it is validated.
const RETRY_KNOBS = {
  retries: retriesCount,
  minDelayMs: nonNegativeDuration,
  maxDelayMs: nonNegativeDuration,
  factor: atLeastOne,
  throttleMultiplier: atLeastOne,
} satisfies Record<keyof RetryKnobs, Check>;

const retryOptions = objectOf({ ...RETRY_KNOBS, maxElapsedMs: positiveDuration } satisfies Record<keyof RetryOptions, Check>);

const action: Check = (value, path) => {
  if (typeof value !== 'string' || !(POLICY_ACTIONS as readonly string[]).includes(value)) {
    fail(path, `one of ${POLICY_ACTIONS.map((a) => `'${a}'`).join(', ')}`, value);
  }
};

const policyOverride = objectOf({ action, ...RETRY_KNOBS } satisfies Record<keyof PolicyOverride, Check>);

const policies: Check = (value, path) => {
  if (!isPlainObject(value)) fail(path, 'an object of code → action', value);
  for (const [code, entry] of entriesOf(value, path)) {
    const where = `${path}.${code}`;
    if (typeof entry === 'string') action(entry, where);
    else {
      policyOverride(entry, where);
      if ((entry as { action?: unknown }).action === undefined) fail(`${where}.action`, 'an action', undefined);
    }
  }
};

const allowHosts: Check = (value, path) => {
  let isArray: boolean;
  try {
    isArray = Array.isArray(value);
  } catch {
    isArray = false;
  }
  if (!isArray) fail(path, 'an array of hostnames and RegExps', value);
  for (const [index, entry] of entriesOf(value as object, path)) {
    if (!(entry instanceof RegExp) && (typeof entry !== 'string' || entry === '')) {
      fail(`${path}[${index}]`, 'a non-empty string or a RegExp', entry);
    }
  }
};

const breaker: Check = (value, path) => {
  if (value === false) return;
  objectOf({
    consecutiveFailures: positiveInteger,
    errorThresholdPercentage: percentage,
    volumeThreshold: nonNegativeInteger,
    resetTimeoutMs: positiveDuration,
    firstResetTimeoutMs: positiveDuration,
    rollingWindowMs: positiveDuration,
    maxEndpoints: positiveInteger,
  } satisfies Record<keyof BreakerOptions, Check>)(value, path);
};

const throttle: Check = (value, path) => {
  if (value === false) return;
  objectOf({ minRatePerSec: positiveNumber, windowMs: positiveDuration, maxEndpoints: positiveInteger } satisfies Record<keyof ThrottleOptions, Check>)(value, path);
};

const retryBudget: Check = (value, path) => {
  if (value === false) return;
  objectOf({
    capacity: nonNegativeNumber,
    retryCost: nonNegativeNumber,
    timeoutRetryCost: nonNegativeNumber,
    successRefund: nonNegativeNumber,
  } satisfies Record<keyof RetryBudgetOptions, Check>)(value, path);
};

/** The methods a fleet store must have (`ObsFleetStore`). */
const FLEET_STORE_METHODS = ['connect', 'disconnect', 'load', 'storeMinusLocalMs', 'reportStreak', 'open', 'close', 'claimProbe', 'reportPace', 'setPace', 'hold', 'redirect', 'clock'] as const;

/** A fleet store: an object with every method of `ObsFleetStore` (from `createRedisStore`). */
const fleetStore: Check = (value, path) => {
  const missing = typeof value === 'object' && value !== null ? FLEET_STORE_METHODS.find((name) => typeof (value as Record<string, unknown>)[name] !== 'function') : 'connect';
  if (missing !== undefined) throw new TypeError(`${path} must be a fleet store (from createRedisStore in obs-axios-policies/redis); it has no ${missing}() method`);
};

const handleShape = objectOf({
  retry: retryOptions,
  breaker,
  throttle,
  redirect: objectOf({ maxRedirects: nonNegativeInteger, allowHosts, cacheSize: positiveInteger } satisfies Record<keyof RedirectOptions, Check>),
  policies,
  sign: fn,
  retryBudget,
  random: fn,
  bodyIdleTimeoutMs: nonNegativeDuration,
  initialState: (value, path) => {
    readState(value, path);
  },
  store: fleetStore,
} satisfies Record<keyof ObsPolicyOptions, Check>);

const requestShape = objectOf({
  retry: retryOptions,
  redirect: objectOf({ maxRedirects: nonNegativeInteger, allowHosts } satisfies Record<keyof NonNullable<ObsRequestOptions['redirect']>, Check>),
  policies,
  sign: fnOrFalse,
  bodyIdleTimeoutMs: nonNegativeDuration,
  body: fn,
} satisfies Record<keyof ObsRequestOptions, Check>);

/** Throws a `TypeError` naming the first bad option of `attachObsPolicies`. */
export function validateHandleOptions(options: unknown): void {
  if (options === undefined) return;
  handleShape(options, 'options');
}

/** Throws a `TypeError` naming the first bad option of a request's `obs` key. */
export function validateRequestOptions(options: unknown): void {
  if (options === undefined || options === false) return;
  requestShape(options, 'obs');
}
