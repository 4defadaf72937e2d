/**
 * Renders the README's generated sections (the default policy table, the knob
 * defaults and the error catalog) from the code. `npm run readme:tables`
 * rewrites them in place; test/docs/readme.test.ts fails when they drift.
 */
import { KIND_BY_CODE, kindForStatus } from '../src/classify/kinds.js';
import { OBS_ERROR_CODES } from '../src/catalog/error-codes.js';
import { DEFAULT_POLICIES } from '../src/policy/default-policies.js';
import { RETRY_DEFAULTS } from '../src/policy/resolve-policy.js';
import type { PolicyAction, PolicyOverride } from '../src/policy/types.js';

function actionOf(entry: PolicyAction | PolicyOverride): string {
  if (typeof entry === 'string') return `\`${entry}\``;
  const knobs = Object.entries(entry)
    .filter(([key]) => key !== 'action')
    .map(([key, value]) => `${key} ${String(value)}`);
  return `\`${entry.action}\`${knobs.length > 0 ? ` (${knobs.join(', ')})` : ''}`;
}

function kindOf(code: string, status: number | undefined): string {
  return KIND_BY_CODE[code] ?? (status !== undefined ? kindForStatus(status) : '');
}

/** Whether a POST/PATCH is re-sent after this outcome: only when the server provably did not process it. */
function postReplay(kind: string): string {
  return kind === 'throttled' || kind === 'transient' ? 'yes' : 'no';
}

const STAND_IN_NOTES: Readonly<Record<string, string>> = {
  HTTP_304: 'a 304 your `validateStatus` rejects',
  HTTP_408: '408 without an OBS code',
  HTTP_429: '429 without an OBS code',
  HTTP_503: '503 without an OBS code (e.g. an empty body)',
  HTTP_3xx: 'any other 3xx / unknown 3xx code (followed only with a usable target)',
  HTTP_4xx: 'any other 4xx / unknown 4xx code',
  HTTP_5xx: 'any other 5xx / unknown 5xx code (e.g. an HTML 502 from a load balancer)',
  NetworkError: 'reset, refused, DNS failure, socket hang up',
  Timeout: 'axios `timeout` (ECONNABORTED) or ETIMEDOUT',
};

function standInStatus(code: string): number | undefined {
  const match = /^HTTP_(\d)(\d\d|xx)$/.exec(code);
  if (match === null) return undefined;
  return Number(`${match[1] ?? '0'}${match[2] === 'xx' ? '00' : (match[2] ?? '00')}`);
}

/** The default policy table as Markdown, one row per entry of DEFAULT_POLICIES. */
export function renderPolicyTable(): string {
  const statusOf = new Map(OBS_ERROR_CODES.map((entry) => [entry.code, entry.status]));
  const rows = Object.entries(DEFAULT_POLICIES).map(([code, entry]) => {
    const status = statusOf.get(code) ?? standInStatus(code);
    const kind = kindOf(code, status) || (code === 'Timeout' ? 'timeout' : 'network');
    const action = typeof entry === 'string' ? entry : entry.action;
    const breaker = action === 'circuit' ? 'yes' : 'no';
    const note = STAND_IN_NOTES[code];
    const statusText = statusOf.has(code) ? String(status) : note !== undefined ? `stand-in: ${note}` : '';
    return `| \`${code}\` | ${statusText} | ${kind} | ${actionOf(entry)} | ${breaker} | ${action === 'retry' || action === 'circuit' ? postReplay(kind) : '—'} |`;
  });
  return [
    '| Code | HTTP status | Kind | Action | Counts for breaker | POST/PATCH re-sent |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The knob defaults as Markdown. */
export function renderRetryDefaults(): string {
  return Object.entries(RETRY_DEFAULTS)
    .map(([key, value]) => `\`${key}\` ${String(value)}`)
    .join(', ');
}

/** The error catalog as Markdown. */
export function renderCatalogTable(): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    '| Status | Code | Message | Solution (`err.hint`) | Source |',
    '| --- | --- | --- | --- | --- |',
    ...OBS_ERROR_CODES.map(
      (entry) => `| ${entry.status} | \`${entry.code}\` | ${escape(entry.message)} | ${escape(entry.solution)} | ${entry.source} |`,
    ),
  ].join('\n');
}

/** The generated sections, by marker name. */
export const GENERATED_SECTIONS: Readonly<Record<string, () => string>> = {
  'policy-table': renderPolicyTable,
  'retry-defaults': renderRetryDefaults,
  'catalog-table': renderCatalogTable,
};

/**
 * Replaces every `<!-- name:start -->…<!-- name:end -->` block of `readme` with freshly generated text;
 * `rendered` supplies sections made ahead (those that need a real call, such as `printed-error`).
 */
export function applyGeneratedSections(readme: string, rendered: Readonly<Record<string, string>> = {}): string {
  let text = readme;
  const sections: [string, () => string][] = [...Object.entries(GENERATED_SECTIONS), ...Object.entries(rendered).map(([name, value]) => [name, () => value] as [string, () => string])];
  for (const [name, render] of sections) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README has no ${start} … ${end} block`);
    text = `${text.slice(0, from + start.length)}\n${render()}\n${text.slice(to)}`;
  }
  return text;
}
