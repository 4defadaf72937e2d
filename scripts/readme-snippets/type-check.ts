/**
 * Type-checking snippet modules with the TypeScript compiler API, under the
 * project's own tsconfig.json (strict, NodeNext, …) with three changes for
 * documentation: no emit, JavaScript checked too, and unused locals allowed
 * (a snippet may show a value it does not use, such as `on`'s unsubscribe).
 * Only Node's types are global: `jest`'s are not.
 */
import path from 'node:path';
import ts from 'typescript';
import type { PackageSources } from './compose.js';

/** Options of the project that do not apply to snippets: they are not emitted, and their imports are already rewritten to the sources. */
const DROPPED_OPTIONS = new Set(['paths', 'pathsBasePath', 'outDir', 'declaration', 'sourceMap', 'incremental', 'tsBuildInfoFile']);

/** The project's compiler options, and the package specifiers its `paths` map to sources. */
export interface ProjectConfig {
  /** Compiler options for snippets. */
  options: ts.CompilerOptions;
  /** `obs-axios-policies` and its subpaths, each to its absolute source file. */
  sources: PackageSources;
}

/** Reads `<root>/tsconfig.json`; throws on an unreadable one. */
export function readProjectConfig(root: string): ProjectConfig {
  const file = path.join(root, 'tsconfig.json');
  const read = ts.readConfigFile(file, (name) => ts.sys.readFile(name));
  if (read.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, file);
  const sources: Record<string, string> = {};
  for (const [specifier, targets] of Object.entries(parsed.options.paths ?? {})) {
    const target = targets[0];
    if (target !== undefined && !specifier.includes('*')) sources[specifier] = path.resolve(root, target);
  }
  const kept = Object.entries(parsed.options).filter(([name]) => !DROPPED_OPTIONS.has(name));
  const options: ts.CompilerOptions = { ...Object.fromEntries(kept), noEmit: true, allowJs: true, checkJs: true, noUnusedLocals: false, noUnusedParameters: false, types: ['node'] };
  return { options, sources };
}

/** The diagnostics of each of `files` (absolute paths), plus the program's global ones under the key `''`. */
export function typeCheckFiles(files: readonly string[], options: ts.CompilerOptions): Map<string, readonly ts.Diagnostic[]> {
  const program = ts.createProgram({ rootNames: files, options });
  const out = new Map<string, readonly ts.Diagnostic[]>();
  out.set('', [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]);
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`the program did not load ${file}`);
    out.set(file, [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]);
  }
  return out;
}
