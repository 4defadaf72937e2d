/**
 * README.md as a newcomer reads it: the generated blocks match the code, the
 * sections come in order, the size stays small, every event and every
 * non-`fail` policy row is there, the options table says what DEFAULTS says,
 * the quick start says how to run it, and every code block can be checked by
 * `npm run readme:snippets` (which type-checks and runs them).
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { defaultAt, NAMED_DEFAULTS, OPTION_ROWS } from '../../scripts/readme-options.js';
import { applySections, GENERATED_FILES, renderBlocks } from '../../scripts/readme-sections.js';
import { extractSnippets } from '../../scripts/readme-snippets/extract.js';
import { SETUPS } from '../../scripts/readme-snippets/setups.js';
import { DEFAULT_POLICIES } from '../../src/index.js';
import { headings, interfacesOf, memberNames, parseSource, readText, root } from './doc-files.js';

const readme = readText('README.md');

/** The README's sections, in the order a newcomer needs them. */
const SECTIONS = [
  'Install',
  'Quick start',
  'How a call is handled',
  'Options',
  'Handle and events',
  'Errors',
  'The non-`fail` policy rows',
  'Testing with the local OBS server',
  'FAQ',
];

/** The lines of the table that follows the header line starting with `header`. */
function tableAfter(header: string): string[] {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

describe('README', () => {
  it('has generated blocks that match the code (run `npm run readme:tables`)', async () => {
    const names = GENERATED_FILES['README.md'] ?? [];
    expect(applySections(readme, await renderBlocks(root, names), 'README.md')).toBe(readme);
  });

  it('stays under 32 KB (details belong in docs/)', () => {
    expect(Buffer.byteLength(readme, 'utf8')).toBeLessThan(32_000);
  });

  it('reads pitch → install → quick start → … → FAQ', () => {
    const all = headings(readme);
    expect(all[0]).toEqual({ level: 1, text: 'obs-axios-policies' });
    expect(all.filter((h) => h.level === 2).map((h) => h.text)).toEqual(SECTIONS);
    // The pitch is one paragraph between the title and Install.
    const pitch = readme.slice(readme.indexOf('\n'), readme.indexOf('\n## ')).trim();
    expect(pitch).not.toContain('\n\n');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## How a call is handled'));
    expect(quickStart).toContain('### Against real OBS: add `sign`');
  });

  it('installs, starts quickly and links every example', () => {
    expect(readme).toContain('npm install obs-axios-policies axios');
    expect(readme).toContain('<!-- quick-start:start -->');
    const examples = readdirSync(path.join(root, 'examples')).filter((file) => file.endsWith('.ts'));
    for (const file of examples) expect(readme).toContain(`](examples/${file})`);
  });

  it('says how to run the quick start: an ES module run with tsx', () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('<!-- quick-start:start -->'));
    expect(quickStart).toContain('`quick-start.ts`');
    expect(quickStart).toContain('`"type": "module"`');
    expect(quickStart).toContain('`npx tsx quick-start.ts`');
  });

  it('gives every code block a known setup or none, and keeps compile-only blocks rare and explained', () => {
    const snippets = extractSnippets(readme, 'README.md');
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    for (const { mode } of snippets) if (mode.kind === 'setup') expect(Object.keys(SETUPS)).toContain(mode.setup);
    const compileOnly = snippets.filter(({ mode }) => mode.kind === 'compile-only');
    expect(compileOnly.length).toBeLessThanOrEqual(2);
  });

  it('keeps the commands CI runs (the rest is in CONTRIBUTING.md)', () => {
    for (const command of ['npm ci', 'npm test']) expect(readme).toContain(command);
    expect(readme).toContain('](CONTRIBUTING.md)');
  });

  it('puts each decision next to its behaviour, not in a section of its own', () => {
    expect(readme).not.toMatch(/^## Decisions/m);
  });

  it('names every event of the event map in the events table', () => {
    const events = interfacesOf(parseSource('src/reporting/events.ts')).get('ObsPolicyEvents');
    expect(events).toBeDefined();
    const names = events === undefined ? [] : memberNames(events);
    expect(names).toContain('retry');
    const firstCells = tableAfter('| event |').map((row) => row.split(' | ')[0] ?? '');
    for (const name of names) expect(firstCells.some((cell) => cell.includes(`\`${name}\``))).toBe(true);
  });

  it('shows every non-`fail` policy row, and no `fail` row', () => {
    const codes = tableAfter('| Code | Status |').map((row) => /^\| `([^`]+)`/.exec(row)?.[1]);
    const nonFail = Object.entries(DEFAULT_POLICIES)
      .filter(([, entry]) => (typeof entry === 'string' ? entry : entry.action) !== 'fail')
      .map(([code]) => code);
    expect(codes).toEqual(nonFail);
    expect(readme).toContain('](docs/policy-table.md)');
  });

  it('has an options table whose every default is the one in DEFAULTS', () => {
    const rows = tableAfter('| option | default |');
    expect(rows).toHaveLength(OPTION_ROWS.length);
    for (const row of rows) {
      const [, option = '', shown = ''] = /^\| `([^`]+)` \| ([^|]+) \|/.exec(row) ?? [];
      const value = defaultAt(option);
      const spec = OPTION_ROWS.find((r) => r.option === option);
      expect(spec).toBeDefined();
      if (value === undefined || (typeof value === 'object' && !Array.isArray(value))) {
        expect(shown.trim()).toBe(spec?.fallback);
      } else {
        const named = Object.entries(NAMED_DEFAULTS).find(([, v]) => v === value)?.[0];
        expect(shown.trim()).toBe(`\`${named ?? JSON.stringify(value)}\``);
      }
    }
  });
});
