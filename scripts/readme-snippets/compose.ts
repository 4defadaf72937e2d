/**
 * The program a snippet becomes: its setup's prelude, the snippet, the
 * setup's epilogue, with every import of `obs-axios-policies` (and its
 * subpaths) pointed at the package sources, as tsconfig.json's `paths` map
 * them, so the snippet runs and type-checks against src/ without a build.
 */
import path from 'node:path';
import type { Snippet } from './extract.js';
import { SETUPS } from './setups.js';

/** A snippet as a module: its source, and where the snippet's first line lands in it. */
export interface ComposedSnippet {
  /** The module source. */
  source: string;
  /** 0-based line of the module that holds the snippet's first line. */
  firstLine: number;
}

/** The package's own specifiers (`obs-axios-policies`, `…/testing`, `…/sign`) and the source file each maps to, absolute. */
export type PackageSources = Readonly<Record<string, string>>;

const IMPORT_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g;

/**
 * `source` with each import specifier found in `sources` replaced by the
 * relative path (with `.js` for `.ts`, as NodeNext writes it) from `dir`, the
 * folder the module is written to.
 */
export function pointAtSources(source: string, sources: PackageSources, dir: string): string {
  return source.replace(IMPORT_SPECIFIER, (whole, keyword: string, quote: string, specifier: string) => {
    const target = sources[specifier];
    if (target === undefined) return whole;
    const relative = path.relative(dir, target).split(path.sep).join('/').replace(/\.ts$/, '.js');
    return `${keyword}${quote}${relative.startsWith('.') ? relative : `./${relative}`}${quote}`;
  });
}

/** The module `snippet` becomes, to be written to `dir`. Throws on an unknown setup name. */
export function composeSnippet(snippet: Snippet, sources: PackageSources, dir: string): ComposedSnippet {
  let prelude = '';
  let epilogue = '';
  if (snippet.mode.kind === 'setup') {
    const setup = SETUPS[snippet.mode.setup];
    if (setup === undefined) throw new Error(`unknown snippet setup "${snippet.mode.setup}" (known: ${Object.keys(SETUPS).join(', ')})`);
    prelude = `${setup.prelude.trim()}\n`;
    epilogue = `\n${setup.epilogue.trim()}`;
  }
  const source = pointAtSources(`${prelude}${snippet.code}${epilogue}\n`, sources, dir);
  return { source, firstLine: prelude === '' ? 0 : prelude.split('\n').length - 1 };
}
