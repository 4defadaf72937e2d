/**
 * The catalog against the OBS source table: test/fixtures/obs-server-error-codes.rst
 * is parsed here independently of the catalog and every row must match.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_POLICIES, OBS_ERROR_CODES, type PolicyAction } from '../../src/index.js';

interface SeedRow {
  status: number;
  code: string;
  message: string;
  solution: string;
}

/** Parses the RST grid table: rows sit between `+---` lines; a cell may wrap over several `|` lines. */
function parseSeed(rst: string): SeedRow[] {
  const rows: string[][] = [];
  let current: string[] | undefined;
  for (const line of rst.split('\n')) {
    if (line.startsWith('+')) {
      if (current !== undefined) rows.push(current);
      current = undefined;
    } else if (line.startsWith('|')) {
      const cells = line.trim().slice(1, -1).split('|').map((cell) => cell.trim());
      current = current === undefined ? cells : current.map((cell, i) => [cell, cells[i] ?? ''].filter((part) => part !== '').join(' '));
    }
  }
  const unmark = (text: string): string => text.replace(/\*\*(.+?)\*\*/g, '$1');
  return rows.slice(1).map(([status = '', code = '', message = '', solution = '']) => ({
    status: Number(status.split(' ')[0]),
    // `IncorrectNumberOfFilesInPost Request`: a line-wrap artifact of the published table.
    code: code.replace(/\s+/g, ''),
    message: unmark(message),
    solution: unmark(solution),
  }));
}

const seed = parseSeed(readFileSync(path.join(__dirname, '..', 'fixtures', 'obs-server-error-codes.rst'), 'utf8'));

describe('OBS_ERROR_CODES', () => {
  it('the seed table has 78 rows', () => {
    expect(seed).toHaveLength(78);
  });

  it.each(seed.map((row) => [row.code, row] as const))('covers %s exactly as the table says', (code, row) => {
    const entry = OBS_ERROR_CODES.find((candidate) => candidate.code === code);
    expect(entry).toEqual({ ...row, source: 'seed' });
  });

  it('has exactly the 78 seed rows marked seed, in table order, and no duplicate codes', () => {
    const seeded = OBS_ERROR_CODES.filter((entry) => entry.source === 'seed');
    expect(seeded.map((entry) => entry.code)).toEqual(seed.map((row) => row.code));
    expect(new Set(OBS_ERROR_CODES.map((entry) => entry.code)).size).toBe(OBS_ERROR_CODES.length);
  });

  it('uses the wire code IncorrectNumberOfFilesInPostRequest', () => {
    expect(OBS_ERROR_CODES.some((entry) => entry.code === 'IncorrectNumberOfFilesInPostRequest')).toBe(true);
    expect(OBS_ERROR_CODES.some((entry) => entry.code.includes(' '))).toBe(false);
  });

  it('adds the policy-relevant codes the seed lacks, TooManyRequests 429 first of all', () => {
    expect(OBS_ERROR_CODES.find((entry) => entry.code === 'TooManyRequests')).toMatchObject({ status: 429, source: 'api-reference' });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(OBS_ERROR_CODES)).toBe(true);
  });
});

describe('DEFAULT_POLICIES', () => {
  const action = (code: string): string | undefined => {
    const entry = DEFAULT_POLICIES[code];
    return typeof entry === 'string' ? entry : entry?.action;
  };

  it('has its own entry for every row of the seed table: fail, unless the contract names another action', () => {
    // Read from the parsed fixture, not from the catalog the table is built from.
    const notFail: Readonly<Record<string, PolicyAction>> = {
      PermanentRedirect: 'redirect',
      TemporaryRedirect: 'redirect',
      IncompleteBody: 'retry',
      RequestTimeout: 'retry',
      OperationAborted: 'retry',
      InternalError: 'circuit',
      ServiceUnavailable: 'retry',
      SlowDown: 'retry',
    };
    const actual = Object.fromEntries(seed.map((row) => [row.code, Object.hasOwn(DEFAULT_POLICIES, row.code) ? action(row.code) : 'no entry']));
    const expected = Object.fromEntries(seed.map((row) => [row.code, notFail[row.code] ?? 'fail']));
    expect(actual).toEqual(expected);
  });

  it('follows the user’s rules', () => {
    expect(['SlowDown', 'ServiceUnavailable', 'RequestTimeout', 'TooManyRequests'].map(action)).toEqual(['retry', 'retry', 'retry', 'retry']);
    expect(['PermanentRedirect', 'TemporaryRedirect'].map(action)).toEqual(['redirect', 'redirect']);
    expect(action('InternalError')).toBe('circuit');
    expect(['WebsiteRedirect', 'TooManyWrongSignature', 'RequestTimeTooSkewed', 'NoSuchKey', 'AccessDenied'].map(action)).toEqual([
      'fail',
      'fail',
      'fail',
      'fail',
      'fail',
    ]);
  });

  it('fails fast on every other 4xx except the documented retries', () => {
    const retried4xx = OBS_ERROR_CODES.filter((entry) => entry.status >= 400 && entry.status < 500 && action(entry.code) !== 'fail').map((e) => e.code);
    expect(retried4xx.sort()).toEqual(['IncompleteBody', 'OperationAborted', 'RequestTimeout', 'TooManyRequests']);
  });

  it('gives the contract’s defaults for the stand-in codes', () => {
    expect(['HTTP_503', 'HTTP_429', 'HTTP_408'].map(action)).toEqual(['retry', 'retry', 'retry']);
    expect(['HTTP_5xx', 'NetworkError', 'Timeout'].map(action)).toEqual(['circuit', 'circuit', 'circuit']);
    expect(action('HTTP_4xx')).toBe('fail');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_POLICIES)).toBe(true);
  });
});
