/**
 * Checks every code block of a Markdown text (see `extract.ts` for which
 * blocks and their markers): each becomes a module in a scratch folder under
 * `node_modules/.cache/` (whose package.json says `"type": "module"`, as a
 * reader's project must for top-level await), all are type-checked together,
 * then each one that type-checks and is not compile-only runs in its own
 * process. The scratch folder is removed at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { composeSnippet, type ComposedSnippet } from './compose.js';
import { extractSnippets, type Snippet } from './extract.js';
import { runModule } from './run.js';
import { readProjectConfig, typeCheckFiles } from './type-check.js';

/** What happened to one block. */
export interface SnippetReport {
  /** The block. */
  snippet: Snippet;
  /** Type errors, composition errors and the run's failure, each located in the Markdown text where it can be. */
  problems: string[];
  /** Whether it was run (it type-checks and is not compile-only). */
  ran: boolean;
  /** What the run printed. */
  output: string;
  /** How long the run took, ms (0 when not run). */
  runMs: number;
}

/** The outcome of checking one Markdown text. */
export interface SnippetsReport {
  /** One report per checked block, in order. */
  snippets: SnippetReport[];
  /** Problems of the whole type-check (compiler options, global types). */
  problems: string[];
}

/** Where and how to check. */
export interface CheckOptions {
  /** The package root (holding tsconfig.json and node_modules). */
  root: string;
  /** The Markdown file's name in messages. @default 'README.md' */
  file?: string;
  /** Longest run of one block before it is killed and fails, ms. @default 30000 */
  timeoutMs?: number;
}

/** One diagnostic as `file:line:column: error TSnnnn: message`, located in the Markdown text (or in the setup around the block). */
function locate(diagnostic: ts.Diagnostic, snippet: Snippet, composed: ComposedSnippet, file: string): string {
  const message = `error TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  if (diagnostic.file === undefined || diagnostic.start === undefined) return `${file}:${snippet.line}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const within = line - composed.firstLine;
  if (within >= 0 && within < snippet.code.split('\n').length) return `${file}:${snippet.line + within}:${character + 1}: ${message}`;
  const setup = snippet.mode.kind === 'setup' ? snippet.mode.setup : '?';
  return `${file}:${snippet.line}: in setup ${setup} (line ${line + 1} of the module): ${message}`;
}

/** Checks every block of `markdown`. Throws when a marker is malformed (see `extractSnippets`). */
export async function checkSnippets(markdown: string, options: CheckOptions): Promise<SnippetsReport> {
  const file = options.file ?? 'README.md';
  const snippets = extractSnippets(markdown, file);
  const config = readProjectConfig(options.root);
  const cache = path.join(options.root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'readme-snippets-'));
  try {
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ private: true, type: 'module' })}\n`);
    const reports: SnippetReport[] = [];
    const modules = new Map<SnippetReport, { path: string; composed: ComposedSnippet }>();
    for (const [index, snippet] of snippets.entries()) {
      const report: SnippetReport = { snippet, problems: [], ran: false, output: '', runMs: 0 };
      reports.push(report);
      try {
        const composed = composeSnippet(snippet, config.sources, dir);
        const modulePath = path.join(dir, `snippet-${index + 1}-line-${snippet.line}.${snippet.language}`);
        writeFileSync(modulePath, composed.source);
        modules.set(report, { path: modulePath, composed });
      } catch (error) {
        report.problems.push(`${file}:${snippet.line}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const diagnostics = typeCheckFiles([...modules.values()].map((m) => m.path), config.options);
    const problems = (diagnostics.get('') ?? []).map((d) => `error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    for (const [report, module] of modules) {
      for (const diagnostic of diagnostics.get(module.path) ?? []) report.problems.push(locate(diagnostic, report.snippet, module.composed, file));
    }
    for (const [report, module] of modules) {
      if (report.problems.length > 0 || problems.length > 0 || report.snippet.mode.kind === 'compile-only') continue;
      const started = Date.now();
      const run = await runModule(module.path, options.root, options.timeoutMs ?? 30_000);
      report.ran = true;
      report.runMs = Date.now() - started;
      report.output = run.output;
      if (!run.ok) report.problems.push(`${file}:${report.snippet.line}: the block failed when run: ${run.failure ?? 'unknown'}`);
    }
    return { snippets: reports, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
