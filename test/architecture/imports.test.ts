/**
 * The folders of src/ depend one way: for any two folders, at most one imports
 * the other (type-only imports count, since they tie the folders' vocabularies
 * together just the same). Imports are read with the TypeScript parser.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const srcDir = path.join(__dirname, '..', '..', 'src');

/** Every .ts file under `dir`, as a path relative to src/. */
function sources(dir = srcDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [path.relative(srcDir, full)] : [];
  });
}

/** The module specifiers a source imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(srcDir, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first !== undefined && ts.isStringLiteral(first)) found.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The folder of src/ a path relative to src/ lies in; `undefined` for the files at the top (the entry points). */
function folderOf(relative: string): string | undefined {
  const [first, ...rest] = relative.split(path.sep);
  return rest.length === 0 ? undefined : first;
}

/** Folder → the other folders its files import. */
function folderImports(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sources()) {
    const from = folderOf(file);
    if (from === undefined) continue;
    for (const specifier of specifiers(file)) {
      if (!specifier.startsWith('.')) continue;
      const to = folderOf(path.relative(srcDir, path.resolve(srcDir, path.dirname(file), specifier)));
      if (to === undefined || to === from) continue;
      let targets = edges.get(from);
      if (targets === undefined) edges.set(from, (targets = new Set()));
      targets.add(to);
    }
  }
  return edges;
}

/**
 * Pairs that import each other today, each with what ties it: the test fails
 * when a pair is added and when one of these is gone (then its line goes too).
 * There are none.
 */
const KNOWN_BOTH_WAYS: readonly string[] = [];

describe('folder dependencies of src/', () => {
  const edges = folderImports();

  it('reads the imports (a sanity check of the reader itself)', () => {
    expect(edges.get('call')?.has('decide')).toBe(true);
    expect(edges.get('decide')?.has('policy')).toBe(true);
  });

  it('lets errors/ import redact/ and classify/, and neither of them import errors/', () => {
    expect(edges.get('errors')?.has('redact')).toBe(true);
    expect(edges.get('errors')?.has('classify')).toBe(true);
    expect(edges.get('redact')?.has('errors') ?? false).toBe(false);
    expect(edges.get('classify')?.has('errors') ?? false).toBe(false);
  });

  it('has no two folders that import each other (but the known pairs above)', () => {
    const both: string[] = [];
    for (const [from, targets] of edges) {
      for (const to of targets) if (from < to && edges.get(to)?.has(from) === true) both.push(`${from} <-> ${to}`);
    }
    expect(both.sort()).toEqual([...KNOWN_BOTH_WAYS].sort());
  });
});
