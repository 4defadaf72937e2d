/**
 * The policy tables of the docs, from DEFAULT_POLICIES: the full table
 * (docs/policy-table.md), its non-`fail` rows (README) and the knob defaults.
 */
import { KIND_BY_CODE, kindForStatus } from '../src/classify/kinds.js';
import { OBS_ERROR_CODES } from '../src/catalog/error-codes.js';
import { DEFAULT_POLICIES } from '../src/policy/default-policies.js';
import { RETRY_DEFAULTS } from '../src/policy/resolve-policy.js';
import type { PolicyAction, PolicyOverride } from '../src/policy/types.js';

type Entry = PolicyAction | PolicyOverride;

function actionName(entry: Entry): PolicyAction {
  return typeof entry === 'string' ? entry : entry.action;
}

function actionCell(entry: Entry): string {
  if (typeof entry === 'string') return `\`${entry}\``;
  const knobs = Object.entries(entry)
    .filter(([key]) => key !== 'action')
    .map(([key, value]) => `${key} ${String(value)}`);
  return `\`${entry.action}\`${knobs.length > 0 ? ` (${knobs.join(', ')})` : ''}`;
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

const STATUS_OF: ReadonlyMap<string, number> = new Map(OBS_ERROR_CODES.map((entry) => [entry.code, entry.status]));

/** The cells of one entry's row. */
function policyCells(code: string, entry: Entry): { status: string; kind: string; action: string; breaker: string; post: string } {
  const status = STATUS_OF.get(code) ?? standInStatus(code);
  const kind = KIND_BY_CODE[code] ?? (status !== undefined ? kindForStatus(status) : code === 'Timeout' ? 'timeout' : 'network');
  const action = actionName(entry);
  const note = STAND_IN_NOTES[code];
  // A POST/PATCH is re-sent only when the server provably did not process the request.
  const retries = action === 'retry' || action === 'circuit';
  return {
    status: STATUS_OF.has(code) ? String(status) : note !== undefined ? `stand-in: ${note}` : '',
    kind,
    action: actionCell(entry),
    breaker: action === 'circuit' ? 'yes' : 'no',
    post: retries ? (kind === 'throttled' || kind === 'transient' ? 'yes' : 'no') : '—',
  };
}

/** The default policy table as Markdown, one row per entry of DEFAULT_POLICIES. */
export function renderPolicyTable(): string {
  return [
    '| Code | HTTP status | Kind | Action | Counts for breaker | POST/PATCH re-sent |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Object.entries(DEFAULT_POLICIES).map(([code, entry]) => {
      const c = policyCells(code, entry);
      return `| \`${code}\` | ${c.status} | ${c.kind} | ${c.action} | ${c.breaker} | ${c.post} |`;
    }),
  ].join('\n');
}

/** Short status notes of the stand-ins, for the README's compact table. */
const SHORT_NOTES: Readonly<Record<string, string>> = {
  HTTP_3xx: 'other 3xx',
  HTTP_5xx: 'other 5xx (an HTML 502…)',
  NetworkError: 'no response (reset, refused, DNS)',
  Timeout: 'no response in time',
};

/** Only the rows of DEFAULT_POLICIES whose action is not `fail`, in fewer columns (README). */
export function renderNonFailRows(): string {
  const rows = Object.entries(DEFAULT_POLICIES)
    .filter(([, entry]) => actionName(entry) !== 'fail')
    .map(([code, entry]) => {
      const c = policyCells(code, entry);
      const status = STATUS_OF.has(code) ? c.status : (SHORT_NOTES[code] ?? `${String(standInStatus(code))}, no OBS code`);
      return `| \`${code}\` | ${status} | ${c.action} | ${c.breaker} | ${c.post} |`;
    });
  return ['| Code | Status | Action | Breaker failure | POST/PATCH re-sent |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The knob defaults as Markdown. */
export function renderRetryDefaults(): string {
  return Object.entries(RETRY_DEFAULTS)
    .map(([key, value]) => `\`${key}\` ${String(value)}`)
    .join(', ');
}
