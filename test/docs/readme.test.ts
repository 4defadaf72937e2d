import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderPrintedError } from '../../scripts/readme-printed-error.js';
import { applyGeneratedSections } from '../../scripts/readme-sections.js';
import { DEFAULT_POLICIES, OBS_ERROR_CODES } from '../../src/index.js';

const root = path.join(__dirname, '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('has generated sections that match the code (run `npm run readme:tables` after changing the table)', async () => {
    expect(applyGeneratedSections(readme, { 'printed-error': await renderPrintedError() })).toBe(readme);
  });

  it('lists every policy table entry and every catalog code', () => {
    for (const code of Object.keys(DEFAULT_POLICIES)) expect(readme).toContain(`| \`${code}\` |`);
    for (const row of OBS_ERROR_CODES) expect(readme).toContain(`\`${row.code}\``);
  });

  it('shows the commands CI and users run', () => {
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const command of ['npm ci', 'npm test', 'npm run demo']) expect(readme).toContain(command);
    for (const script of ['demo', 'examples', 'soak', 'bench']) expect(Object.keys(scripts)).toContain(script);
    expect(readFileSync(path.join(root, '.ci', 'run'), 'utf8')).toMatch(/npm ci[\s\S]*npm test/);
  });

  it('documents every event of the event map', () => {
    for (const event of ['retry', 'redirect', 'failFast', 'giveUp', 'circuitOpen', 'circuitHalfOpen', 'circuitClose', 'circuitReject', 'clockSkew']) {
      expect(readme).toContain(`\`${event}\``);
    }
  });
});
