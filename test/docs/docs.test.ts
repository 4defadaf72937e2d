/**
 * docs/*.md follow the code: generated blocks match, every policy key and
 * catalog code is documented, and every link and every repository path the
 * documentation names exists.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { applySections, GENERATED_FILES, renderBlocks } from '../../scripts/readme-sections.js';
import { DEFAULT_POLICIES, OBS_ERROR_CODES } from '../../src/index.js';
import { OWN_DOCS, readText, relativeLinks, resolveLink, root, withoutCode } from './doc-files.js';

const docFiles = Object.keys(GENERATED_FILES).filter((file) => file !== 'README.md');

describe('docs/', () => {
  it.each(docFiles)('%s has generated blocks that match the code (run `npm run readme:tables`)', async (file) => {
    const text = readText(file);
    expect(applySections(text, await renderBlocks(root, GENERATED_FILES[file] ?? []), file)).toBe(text);
  });

  it('lists every policy table entry in docs/policy-table.md', () => {
    const table = readText('docs/policy-table.md');
    for (const code of Object.keys(DEFAULT_POLICIES)) expect(table).toContain(`| \`${code}\` |`);
  });

  it('lists every catalog code in docs/error-catalog.md', () => {
    const catalog = readText('docs/error-catalog.md');
    for (const row of OBS_ERROR_CODES) expect(catalog).toContain(`| \`${row.code}\` |`);
  });

  it('keeps the reliability evidence and the overhead figures', () => {
    const reliability = readText('docs/reliability.md');
    for (const heading of ['## Chaos soak', '## Fuzzing', '## Redirect attacks']) expect(reliability).toContain(heading);
    expect(readText('docs/overhead.md')).toContain('npm run bench');
  });
});

describe('links and paths of the documentation', () => {
  it.each(OWN_DOCS)('every relative link of %s resolves (file and heading)', (file) => {
    const broken = relativeLinks(readText(file))
      .map((target) => resolveLink(file, target))
      .filter((problem) => problem !== undefined);
    expect(broken).toEqual([]);
  });

  it.each(OWN_DOCS)('every repository path %s names exists', (file) => {
    const named = [...withoutCode(readText(file)).matchAll(/`((?:src|test|bench|examples|scripts|docs)\/[\w./-]*)`/g)].map((m) => m[1] ?? '');
    const missing = named.filter((name) => !existsSync(path.join(root, name)));
    expect(missing).toEqual([]);
  });
});
