/**
 * The README's options table: one row per option, its default read from
 * `DEFAULTS` (src/options/defaults.ts), its meaning from the map below. Every
 * leaf of `DEFAULTS` must have a row, so a new default cannot go undocumented.
 */
import { DEFAULTS } from '../src/options/defaults.js';
import { OBS_OFFICIAL_HOSTS } from '../src/redirect/host-allowlist.js';

/** One row of the table. */
export interface OptionRow {
  /** Dotted path of the option (`retry.retries`). */
  readonly option: string;
  readonly meaning: string;
  /** What to show (and what a TSDoc `@default` must say) when `DEFAULTS` holds no value at this path. */
  readonly fallback?: string;
}

/** The options, in the order the README lists them. */
export const OPTION_ROWS: readonly OptionRow[] = [
  { option: 'retry.retries', meaning: 'retries after the first attempt' },
  { option: 'retry.minDelayMs', meaning: 'base of the exponential backoff' },
  { option: 'retry.maxDelayMs', meaning: 'cap of one wait (also caps `Retry-After`)' },
  { option: 'retry.factor', meaning: 'growth factor of the backoff' },
  { option: 'retry.throttleMultiplier', meaning: 'throttling backs off from `minDelayMs × throttleMultiplier`' },
  { option: 'retry.maxElapsedMs', meaning: 'budget of the whole call; no wait runs past it', fallback: 'none' },
  { option: 'breaker', meaning: '`false` for no breakers (then `circuit` acts as `retry`)', fallback: 'on' },
  { option: 'breaker.consecutiveFailures', meaning: 'counted failures in a row that open it, whatever the window says' },
  { option: 'breaker.errorThresholdPercentage', meaning: 'failure percentage of the window above which it opens' },
  { option: 'breaker.volumeThreshold', meaning: 'counted outcomes in the window before the percentage may open it' },
  { option: 'breaker.firstResetTimeoutMs', meaning: 'first open → half-open wait; doubles while probes fail, up to `resetTimeoutMs`' },
  { option: 'breaker.resetTimeoutMs', meaning: 'cap of the open → half-open wait' },
  { option: 'breaker.rollingWindowMs', meaning: 'length of the statistics window' },
  { option: 'breaker.maxEndpoints', meaning: 'breakers kept per handle (LRU)' },
  { option: 'throttle', meaning: '`false` for no pacing of throttled endpoints', fallback: 'on' },
  { option: 'throttle.minRatePerSec', meaning: 'the pace never goes below this many requests per second' },
  { option: 'throttle.windowMs', meaning: 'length of one learning window' },
  { option: 'throttle.maxEndpoints', meaning: 'paced endpoints kept per handle (LRU)' },
  { option: 'redirect.maxRedirects', meaning: 'hops per call' },
  {
    option: 'redirect.allowHosts',
    meaning:
      "hosts a redirect may go to besides the call's own: a hostname, a `.suffix`, or a RegExp tested against the hostname",
  },
  { option: 'redirect.cacheSize', meaning: 'remembered 301 rewrites per handle (LRU)' },
  {
    option: 'policies',
    meaning:
      '`{ Code: action }` or `{ Code: { action, …retry knobs } }`, for OBS codes, stand-ins (`HTTP_502`, `Timeout`) or fallbacks (`HTTP_5xx`)',
    fallback: '`{}`',
  },
  { option: 'sign', meaning: '`(config, { requestNumber, hops, clockOffsetMs, refreshCredentials }) => config` (or a promise of it)', fallback: 'none' },
  { option: 'retryBudget', meaning: 'the handle\'s retry quota (token bucket); `false` for none', fallback: 'on' },
  { option: 'retryBudget.capacity', meaning: 'tokens when full' },
  { option: 'retryBudget.retryCost', meaning: 'cost of a retry' },
  { option: 'retryBudget.timeoutRetryCost', meaning: 'cost of a retry after a timeout or network error' },
  { option: 'retryBudget.successRefund', meaning: 'refund of a call that succeeded without retrying' },
  { option: 'random', meaning: 'jitter source in [0, 1) (inject a fixed one in tests)', fallback: '`Math.random`' },
  { option: 'initialState', meaning: "a `handle.snapshot()` of another process to start from (validated; [docs/breaker.md](docs/breaker.md))", fallback: 'none' },
  { option: 'store', meaning: 'a fleet store (`createRedisStore` from `obs-axios-policies/redis`): breakers, paces, pauses, 301s and clock shared by every process on it ([docs/fleet.md](docs/fleet.md))', fallback: 'none' },
  {
    option: 'bodyIdleTimeoutMs',
    meaning: 'a streamed download with no body chunk for this long is resumed from where it stopped ([resumable downloads](docs/resumable-downloads.md)); `0`: no watch',
  },
];

/** Named values a default may be (shown by name, compared by identity). */
export const NAMED_DEFAULTS: Readonly<Record<string, unknown>> = { OBS_OFFICIAL_HOSTS };

function isGroup(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value of `DEFAULTS` at a dotted path (a group object, a leaf, or `undefined`). */
export function defaultAt(option: string): unknown {
  let value: unknown = DEFAULTS;
  for (const key of option.split('.')) value = isGroup(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  return value;
}

/** Dotted paths of every leaf of `DEFAULTS` (arrays are leaves). */
export function defaultLeaves(group: unknown = DEFAULTS, prefix = ''): string[] {
  if (!isGroup(group)) return [prefix];
  return Object.entries(group).flatMap(([key, value]) => defaultLeaves(value, prefix === '' ? key : `${prefix}.${key}`));
}

/** A default as the README shows it. */
export function showDefault(value: unknown): string {
  const name = Object.entries(NAMED_DEFAULTS).find(([, named]) => named === value)?.[0];
  if (name !== undefined) return `\`${name}\``;
  return `\`${JSON.stringify(value)}\``;
}

/** The options table as Markdown; throws when `DEFAULTS` and the rows disagree on what exists. */
export function renderOptionsTable(): string {
  const documented = new Set(OPTION_ROWS.map((row) => row.option));
  const missing = defaultLeaves().filter((leaf) => !documented.has(leaf));
  if (missing.length > 0) throw new Error(`DEFAULTS has ${missing.join(', ')} but the options table has no row: add it to OPTION_ROWS in scripts/readme-options.ts`);
  const rows = OPTION_ROWS.map((row) => {
    const value = defaultAt(row.option);
    const shown = value === undefined || isGroup(value) ? row.fallback : showDefault(value);
    if (shown === undefined) throw new Error(`option ${row.option}: no value in DEFAULTS and no fallback in scripts/readme-options.ts`);
    return `| \`${row.option}\` | ${shown} | ${row.meaning.replace(/\|/g, '\\|')} |`;
  });
  return ['| option | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
