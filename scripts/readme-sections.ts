/**
 * The generated blocks of README.md and docs/*.md: which file holds which
 * `<!-- name:start -->…<!-- name:end -->` block, and how each is rendered from
 * the code. `npm run readme:tables` rewrites them in place; the tests under
 * test/docs fail when one drifts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderCatalogTable } from './readme-catalog.js';
import { renderOptionsTable } from './readme-options.js';
import { renderNonFailRows, renderPolicyTable, renderRetryDefaults } from './readme-policy.js';
import { renderPrintedError } from './readme-printed-error.js';
import { renderQuickStart } from './readme-quick-start.js';

/** Renders one block; `root` is the package root. */
type Render = (root: string) => string | Promise<string>;

/** Every generated block, by marker name. */
export const RENDERERS: Readonly<Record<string, Render>> = {
  'quick-start': renderQuickStart,
  'options-table': renderOptionsTable,
  'non-fail-policies': renderNonFailRows,
  'printed-error': renderPrintedError,
  'policy-table': renderPolicyTable,
  'retry-defaults': renderRetryDefaults,
  'catalog-table': renderCatalogTable,
};

/** The generated files (relative to the root) and the blocks each must hold. */
export const GENERATED_FILES: Readonly<Record<string, readonly string[]>> = {
  'README.md': ['quick-start', 'options-table', 'non-fail-policies', 'printed-error'],
  'docs/policy-table.md': ['policy-table', 'retry-defaults'],
  'docs/error-catalog.md': ['catalog-table'],
};

/**
 * Replaces the `<!-- name:start -->…<!-- name:end -->` block of each name in
 * `rendered`. Throws when a block is missing, and when `text` holds a block
 * that is not in `rendered` (a marker nobody would keep up to date).
 */
export function applySections(text: string, rendered: Readonly<Record<string, string>>, file = 'document'): string {
  for (const [, name] of text.matchAll(/<!-- ([\w-]+):start -->/g)) {
    if (name !== undefined && !Object.hasOwn(rendered, name)) throw new Error(`${file} has a <!-- ${name}:start --> block that is not generated here`);
  }
  let out = text;
  for (const [name, value] of Object.entries(rendered)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${file} has no ${start} … ${end} block`);
    out = `${out.slice(0, from + start.length)}\n${value}\n${out.slice(to)}`;
  }
  return out;
}

/** Renders the blocks one file needs. */
export async function renderBlocks(root: string, names: readonly string[]): Promise<Record<string, string>> {
  const rendered: Record<string, string> = {};
  for (const name of names) {
    const render = RENDERERS[name];
    if (render === undefined) throw new Error(`no renderer for block ${name}`);
    rendered[name] = await render(root);
  }
  return rendered;
}

/** Every generated file as it is on disk and as it should be. */
export async function generateAll(root: string): Promise<{ file: string; before: string; after: string }[]> {
  const out: { file: string; before: string; after: string }[] = [];
  for (const [file, names] of Object.entries(GENERATED_FILES)) {
    const before = readFileSync(path.join(root, file), 'utf8');
    out.push({ file, before, after: applySections(before, await renderBlocks(root, names), file) });
  }
  return out;
}
