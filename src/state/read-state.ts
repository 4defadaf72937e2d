/**
 * Strict reading of an `initialState` (a snapshot, usually parsed from JSON):
 * anything that is not exactly the format — an unknown version, an unknown or
 * inherited key, a wrong type, a number out of range, a URL that is not in the
 * form `snapshot()` writes — is a `TypeError` naming the path, at
 * `attachObsPolicies`. Getters and proxies that throw become such a
 * `TypeError` too. Strings are never echoed in a message (a hostile state may
 * carry a URL with credentials). What the handle's own settings decide (caps,
 * `redirect.allowHosts`, expired breakers) is applied when the state is
 * restored, not here. Pure; reads every value once.
 */
import { redirectScope } from '../redirect/permanent-redirects.js';
import { OPERATION_CLASSES, type OperationClass } from '../throttle/operation-class.js';
import { STATE_VERSION, type ObsBreakerState, type ObsPaceState, type ObsPolicyState, type ObsRedirectState } from './state-snapshot.js';

/** Records one list of a state may hold, whatever the handle's caps (which keep the most recent). */
export const MAX_STATE_RECORDS = 1_000_000;
/** The longest URL a state may name (endpoints and redirect scopes are short). */
const MAX_URL_LENGTH = 2048;
/** The largest epoch ms a `Date` holds. */
const MAX_EPOCH_MS = 8.64e15;
/** The longest wait a timer can hold, 2³¹−1 ms. */
const MAX_INTERVAL_MS = 2 ** 31 - 1;

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string of ${String(value.length)} characters`;
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) return 'an array';
  } catch {
    return 'an unreadable value';
  }
  return typeof value === 'object' ? 'an object' : typeof value;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new TypeError(`obs-axios-policies: option "${path}" must be ${expected}; got ${describe(value)}.`);
}

function unreadable(path: string, error: unknown): never {
  const why = error instanceof Error ? error.message : typeof error;
  throw new TypeError(`obs-axios-policies: option "${path}" could not be read (${why}).`, { cause: error });
}

/** The own entries of a plain object with exactly the `known` keys (`required` among them), read once. */
function readObject(value: unknown, path: string, known: readonly string[], required: readonly string[]): Map<string, unknown> {
  let entries: [string, unknown][];
  try {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object', value);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) fail(path, 'a plain object', value);
    entries = Object.entries(value);
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith('obs-axios-policies:')) throw error;
    unreadable(path, error);
  }
  const read = new Map<string, unknown>();
  for (const [key, child] of entries) {
    if (!known.includes(key)) {
      throw new TypeError(`obs-axios-policies: unknown key "${path}.${key}". Known keys of "${path}": ${known.join(', ')}.`);
    }
    read.set(key, child);
  }
  for (const key of required) {
    if (read.get(key) === undefined) fail(`${path}.${key}`, 'present', undefined);
  }
  return read;
}

/** The elements of an array of at most MAX_STATE_RECORDS, read once (`undefined`: an empty list). */
function readList(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  try {
    if (!Array.isArray(value)) fail(path, 'an array', value);
    const length = (value as unknown[]).length;
    if (length > MAX_STATE_RECORDS) fail(path, `an array of at most ${String(MAX_STATE_RECORDS)} records`, `${String(length)} records`);
    const items: unknown[] = [];
    for (let index = 0; index < length; index++) items.push((value as unknown[])[index]);
    return items;
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith('obs-axios-policies:')) throw error;
    unreadable(path, error);
  }
}

function finiteIn(value: unknown, path: string, min: number, max: number, expected: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(path, expected, value);
  return value;
}

function epochMs(value: unknown, path: string): number {
  return finiteIn(value, path, 0, MAX_EPOCH_MS, 'an epoch time in ms from 0 to 8.64e15');
}

function parsedUrl(value: unknown, path: string, expected: string): URL {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) fail(path, expected, value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(path, expected, value);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(path, expected, value);
  return url;
}

/** An origin exactly as `URL.origin` writes it (`https://host[:port]`, lower case, no default port). */
function origin(value: unknown, path: string): string {
  const expected = 'an http(s) origin as URL.origin writes it (https://host[:port])';
  const url = parsedUrl(value, path, expected);
  if (url.origin !== value) fail(path, expected, value);
  return url.origin;
}

function readBreaker(value: unknown, path: string): ObsBreakerState {
  const record = readObject(value, path, ['endpoint', 'state', 'halfOpenAt', 'intervalMs'], ['endpoint', 'state']);
  const endpoint = origin(record.get('endpoint'), `${path}.endpoint`);
  const state = record.get('state');
  if (state === 'isolated') {
    for (const key of ['halfOpenAt', 'intervalMs']) {
      if (record.get(key) !== undefined) fail(`${path}.${key}`, 'absent for an isolated breaker', record.get(key));
    }
    return { endpoint, state };
  }
  if (state !== 'open') fail(`${path}.state`, "'open' or 'isolated'", state);
  return {
    endpoint,
    state,
    halfOpenAt: epochMs(record.get('halfOpenAt'), `${path}.halfOpenAt`),
    intervalMs: finiteIn(record.get('intervalMs'), `${path}.intervalMs`, Number.MIN_VALUE, MAX_INTERVAL_MS, 'a duration in ms above 0 and at most 2147483647'),
  };
}

function readPace(value: unknown, path: string): ObsPaceState {
  const record = readObject(value, path, ['endpoint', 'class', 'ratePerSec'], ['endpoint', 'class', 'ratePerSec']);
  const cls = record.get('class');
  if (typeof cls !== 'string' || !(OPERATION_CLASSES as readonly string[]).includes(cls)) {
    fail(`${path}.class`, OPERATION_CLASSES.map((name) => `'${name}'`).join(', '), cls);
  }
  return {
    endpoint: origin(record.get('endpoint'), `${path}.endpoint`),
    class: cls as OperationClass,
    ratePerSec: finiteIn(record.get('ratePerSec'), `${path}.ratePerSec`, Number.MIN_VALUE, 1e9, 'a rate per second above 0 and at most 1e9'),
  };
}

function readRedirect(value: unknown, path: string): ObsRedirectState {
  const record = readObject(value, path, ['from', 'to'], ['from', 'to']);
  const fromExpected = 'a redirect scope: an http(s) origin, or an origin and /<bucket> for a path-style endpoint';
  const fromUrl = parsedUrl(record.get('from'), `${path}.from`, fromExpected);
  const from = record.get('from') as string;
  if (redirectScope(fromUrl) !== from) fail(`${path}.from`, fromExpected, from);
  const to = origin(record.get('to'), `${path}.to`);
  if (to === fromUrl.origin) fail(`${path}.to`, 'another origin than "from"', to);
  return { from, to };
}

/**
 * Reads a state strictly.
 * @param value the `initialState` option
 * @param path its name in messages (`options.initialState`)
 * @throws TypeError naming the first bad path
 */
export function readState(value: unknown, path: string): ObsPolicyState {
  const state = readObject(value, path, ['version', 'takenAt', 'breakers', 'paces', 'redirects', 'clockOffsetMs'], ['version']);
  const version = state.get('version');
  if (version !== STATE_VERSION) fail(`${path}.version`, `${String(STATE_VERSION)} (the only state format this version reads)`, version);
  const takenAt = state.get('takenAt');
  const clockOffsetMs = state.get('clockOffsetMs');
  return {
    version,
    takenAt: takenAt === undefined ? 0 : epochMs(takenAt, `${path}.takenAt`),
    breakers: readList(state.get('breakers'), `${path}.breakers`).map((item, index) => readBreaker(item, `${path}.breakers[${String(index)}]`)),
    paces: readList(state.get('paces'), `${path}.paces`).map((item, index) => readPace(item, `${path}.paces[${String(index)}]`)),
    redirects: readList(state.get('redirects'), `${path}.redirects`).map((item, index) => readRedirect(item, `${path}.redirects[${String(index)}]`)),
    clockOffsetMs: clockOffsetMs === undefined ? 0 : finiteIn(clockOffsetMs, `${path}.clockOffsetMs`, -MAX_EPOCH_MS, MAX_EPOCH_MS, 'a finite number of ms within ±8.64e15'),
  };
}
