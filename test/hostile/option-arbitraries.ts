/**
 * fast-check arbitraries of hostile option objects for attachObsPolicies and
 * for a call's `obs` key: numbers at and past every bound, wrong types, and
 * hostile containers (frozen, deep-frozen, null-prototype, class instances,
 * own `__proto__` / `constructor` keys, getters that throw, proxies whose
 * traps throw). A generated {@link OptionSpec} is plain data, so a
 * counterexample prints readably; {@link buildOptions} turns it into the
 * hostile object.
 */
import fc from 'fast-check';

/** Numbers at and past every bound an option has. */
export const hostileNumber = fc.constantFrom(0, -0, -1, 1, 0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, Infinity, -Infinity, NaN, 1e308, -1e308, Number.MIN_VALUE);

/** A value of the wrong kind, described by name (built by {@link valueOf}). */
const oddValue = fc.constantFrom('string 5', 'empty string', 'null', 'true', 'false', 'array', 'object', 'bigint', 'symbol', 'function', 'date', 'regexp', 'frozen regexp');

/** A value: a number (most often) or one of the odd ones, by name. */
export const hostileValue = fc.oneof({ weight: 3, arbitrary: hostileNumber.map((n) => ({ number: n })) }, oddValue.map((odd) => ({ odd })));

type ValueSpec = { number: number } | { odd: string };

/** How an object of options is wrapped. */
export const container = fc.constantFrom('plain', 'plain', 'plain', 'null prototype', 'frozen', 'class instance', '__proto__ key', 'constructor key', 'throwing getter', 'throwing proxy');

/** Values valid for every numeric option (counts, delays, factors, redirect limits). */
const validValue = fc.constantFrom(1, 2, 10).map((n) => ({ number: n }));
/** Containers the contract admits: plain, null-prototype, frozen. */
const validContainer = fc.constantFrom('plain', 'null prototype', 'frozen');
/** `allowHosts` entries that are valid, frozen and global RegExps included. */
const validAllowHosts = fc.oneof(
  fc.array(fc.constantFrom('allowed.test', '.allowed.test', 'global regexp', 'frozen global regexp', 'frozen sticky regexp'), { maxLength: 3 }),
  fc.constant('frozen array'),
);

/** Keys of each section. */
export const SECTIONS: Readonly<Record<string, readonly string[]>> = {
  retry: ['retries', 'minDelayMs', 'maxDelayMs', 'factor', 'throttleMultiplier', 'maxElapsedMs'],
  breaker: ['consecutiveFailures', 'errorThresholdPercentage', 'volumeThreshold', 'resetTimeoutMs', 'rollingWindowMs', 'maxEndpoints'],
  throttle: ['minRatePerSec', 'windowMs', 'maxEndpoints'],
  redirect: ['maxRedirects', 'cacheSize'],
  retryBudget: ['capacity', 'retryCost', 'timeoutRetryCost', 'successRefund'],
};

/** Option paths whose values are durations in ms: larger than 2³¹−1 must be refused. */
export const DURATIONS: ReadonlySet<string> = new Set([
  'retry.minDelayMs',
  'retry.maxDelayMs',
  'retry.maxElapsedMs',
  'breaker.resetTimeoutMs',
  'breaker.rollingWindowMs',
  'throttle.windowMs',
  'policies.minDelayMs',
  'policies.maxDelayMs',
]);

/** What an `allowHosts` entry list may hold. */
const allowHostsSpec = fc.oneof(
  fc.array(fc.constantFrom('allowed.test', '.allowed.test', '', 'global regexp', 'frozen global regexp', 'frozen sticky regexp', 'number'), { maxLength: 3 }),
  fc.constantFrom('not an array', 'frozen array'),
);

/** One section: which keys, with which values, in which container. */
const section = (keys: readonly string[], validOnly: boolean) =>
  validOnly
    ? fc.record({ entries: fc.array(fc.tuple(fc.constantFrom(...keys), validValue), { maxLength: 3 }), container: validContainer })
    : fc.record({
        entries: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.constantFrom('unknownKey', '__proto__', 'constructor')), hostileValue), { maxLength: 3 }),
        container,
      });

/** A generated options object, as data. */
export interface OptionSpec {
  container: string;
  sections: { name: string; entries: [string, ValueSpec][]; container: string; allowHosts?: unknown }[];
  policies?: { code: string; value: string | { action: string; key?: string; value?: ValueSpec }; container: string };
  sign?: string;
  random?: string;
  whole?: string;
}

/**
 * Handle options (`forRequest`: the call's `obs` key, which has fewer sections).
 * `validOnly`: only values and containers the contract admits (frozen and
 * null-prototype objects, frozen and global RegExps), to check they work.
 */
export function optionSpec(forRequest: boolean, validOnly = false): fc.Arbitrary<OptionSpec> {
  const names = forRequest ? ['retry', 'redirect'] : Object.keys(SECTIONS);
  const sectionArb = fc.constantFrom(...names).chain((name) =>
    // A call's `redirect` has no `cacheSize` (that is the handle's).
    section(forRequest && name === 'redirect' ? ['maxRedirects'] : (SECTIONS[name] ?? []), validOnly).chain((s) =>
      name === 'redirect'
        ? fc.option(validOnly ? validAllowHosts : allowHostsSpec, { nil: undefined }).map((allowHosts) => ({ name, ...s, allowHosts }))
        : fc.constant({ name, ...s }),
    ),
  );
  if (validOnly) return fc.record({ container: validContainer, sections: fc.uniqueArray(sectionArb, { maxLength: 2, selector: (s) => s.name }) });
  const policies = fc.record({
    code: fc.constantFrom('NoSuchKey', 'HTTP_500', '__proto__', 'constructor', 'toString', ''),
    value: fc.oneof(
      fc.constantFrom('retry', 'fail', 'circuit', 'redirect', 'bogus', ''),
      fc.record({
        action: fc.constantFrom('retry', 'fail', 'bogus'),
        key: fc.constantFrom('retries', 'minDelayMs', 'maxDelayMs', 'factor'),
        value: hostileValue,
      }),
    ),
    container,
  });
  return fc.record(
    {
      container,
      sections: fc.array(sectionArb, { maxLength: 3 }),
      policies,
      sign: fc.constantFrom('function', 'async function', 'false', 'number'),
      random: fc.constantFrom('function', 'number'),
      whole: fc.constantFrom('undefined', 'null', 'number', 'string', 'array', 'false', 'true'),
    },
    { requiredKeys: ['container', 'sections'] },
  );
}

/** The value a {@link ValueSpec} names. */
export function valueOf(spec: ValueSpec): unknown {
  if ('number' in spec) return spec.number;
  switch (spec.odd) {
    case 'string 5':
      return '5';
    case 'empty string':
      return '';
    case 'null':
      return null;
    case 'true':
      return true;
    case 'false':
      return false;
    case 'array':
      return [1];
    case 'object':
      return { value: 1 };
    case 'bigint':
      return 10n;
    case 'symbol':
      return Symbol('hostile');
    case 'function':
      return () => 1;
    case 'date':
      return new Date(0);
    case 'regexp':
      return /x/g;
    default:
      return Object.freeze(/x/g);
  }
}

function allowHostsOf(spec: unknown): unknown {
  if (spec === 'not an array') return 'allowed.test';
  if (spec === 'frozen array') return Object.freeze(['allowed.test', Object.freeze(/allowed/g)]);
  return (spec as string[]).map((entry) => {
    if (entry === 'global regexp') return /^allowed\.test$/g;
    if (entry === 'frozen global regexp') return Object.freeze(/^allowed\.test$/g);
    if (entry === 'frozen sticky regexp') return Object.freeze(/allowed/y);
    if (entry === 'number') return 5;
    return entry;
  });
}

/** Options held in a class instance (not a plain object): its method lives on the prototype, so it adds no key. */
class OptionsHolder {
  describe(): string {
    return 'options';
  }
}

/** Builds an object from entries in the hostile `kind` of container. */
export function wrap(entries: [string, unknown][], kind: string): unknown {
  const target: Record<string, unknown> = kind === 'null prototype' ? (Object.create(null) as Record<string, unknown>) : kind === 'class instance' ? (new OptionsHolder() as unknown as Record<string, unknown>) : {};
  for (const [key, value] of entries) Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  switch (kind) {
    case 'frozen':
      return Object.freeze(target);
    case '__proto__ key':
      Object.defineProperty(target, '__proto__', { value: { polluted: true }, enumerable: true });
      return target;
    case 'constructor key':
      Object.defineProperty(target, 'constructor', { value: 'hostile', enumerable: true });
      return target;
    case 'throwing getter':
      Object.defineProperty(target, entries[0]?.[0] ?? 'retry', {
        get() {
          throw new Error('hostile getter');
        },
        enumerable: true,
        configurable: true,
      });
      return target;
    case 'throwing proxy':
      return new Proxy(target, {
        ownKeys() {
          throw new Error('hostile proxy');
        },
        get() {
          throw new Error('hostile proxy');
        },
      });
    default:
      return target;
  }
}

/** The hostile options object a spec describes (deep-frozen when every container says so). */
export function buildOptions(spec: OptionSpec): unknown {
  switch (spec.whole) {
    case 'undefined':
      return undefined;
    case 'null':
      return null;
    case 'number':
      return 5;
    case 'string':
      return 'retries=3';
    case 'array':
      return [];
    case 'false':
      return false;
    case 'true':
      return true;
    default:
      break;
  }
  const entries: [string, unknown][] = [];
  for (const s of spec.sections) {
    const inner: [string, unknown][] = s.entries.map(([key, value]) => [key, valueOf(value)]);
    if (s.allowHosts !== undefined) inner.push(['allowHosts', allowHostsOf(s.allowHosts)]);
    entries.push([s.name, wrap(inner, s.container)]);
  }
  if (spec.policies !== undefined) {
    const { code, value, container: kind } = spec.policies;
    const entry =
      typeof value === 'string'
        ? value
        : wrap([['action', value.action], ...(value.key === undefined || value.value === undefined ? [] : [[value.key, valueOf(value.value)] as [string, unknown]])], kind);
    entries.push(['policies', wrap([[code, entry]], kind)]);
  }
  if (spec.sign !== undefined) {
    const sign = { function: (config: unknown) => config, 'async function': (config: unknown) => Promise.resolve(config), false: false, number: 5 }[spec.sign];
    entries.push(['sign', sign]);
  }
  if (spec.random !== undefined) entries.push(['random', spec.random === 'function' ? () => 0.5 : 0.5]);
  return wrap(entries, spec.container);
}

/** The duration values (path → value) of a spec that are numbers larger than 2³¹−1 (Infinity included). */
export function oversizedDurations(spec: OptionSpec): string[] {
  const found: string[] = [];
  // The whole options are not an object: the sections are not used.
  if (spec.whole !== undefined) return found;
  for (const s of spec.sections) {
    // The last entry of a key is the one the object holds.
    for (const [key, value] of new Map(s.entries)) {
      if ('number' in value && DURATIONS.has(`${s.name}.${key}`) && value.number > 2 ** 31 - 1) found.push(`${s.name}.${key} = ${String(value.number)}`);
    }
  }
  const policy = spec.policies?.value;
  if (typeof policy === 'object' && policy.key !== undefined && policy.value !== undefined && 'number' in policy.value) {
    if (DURATIONS.has(`policies.${policy.key}`) && policy.value.number > 2 ** 31 - 1) found.push(`policies.${policy.key} = ${String(policy.value.number)}`);
  }
  return found;
}
