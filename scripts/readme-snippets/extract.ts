/**
 * The code blocks of a Markdown text that `npm run readme:snippets` checks:
 * every ```ts, ```typescript and ```js block, with the marker that may stand
 * on the line above it:
 *
 * - no marker: the block is a whole program; it is type-checked and run as is;
 * - `<!-- snippet: setup NAME -->`: it is type-checked and run between the
 *   prelude and epilogue of the setup NAME (`setups.ts`), which declare the
 *   names it uses without defining them (a `client` on a local OBS server, …);
 * - `<!-- snippet: compile-only: REASON -->`: it is only type-checked, for a
 *   fragment that cannot run alone; the reason is required.
 *
 * Any other `<!-- snippet … -->` comment, or a marker with no checked block
 * right under it, is an error: a typo must not turn a check off.
 */

/** The languages whose blocks are checked, and how each is written to disk. */
export const CHECKED_LANGUAGES: Readonly<Record<string, 'ts' | 'js'>> = { ts: 'ts', typescript: 'ts', js: 'js' };

/** What to do with one block. */
export type SnippetMode = { kind: 'run' } | { kind: 'setup'; setup: string } | { kind: 'compile-only'; reason: string };

/** One checked code block of a Markdown text. */
export interface Snippet {
  /** 1-based line of the block's first code line in the Markdown text. */
  line: number;
  /** How the block is written to disk: TypeScript or JavaScript. */
  language: 'ts' | 'js';
  /** The code between the fences. */
  code: string;
  /** What the marker above it says (`run` without one). */
  mode: SnippetMode;
}

const MARKER = /^<!--\s*snippet\b(.*?)-->\s*$/;
const FENCE = /^```\s*([\w-]*)\s*$/;

/** Reads the marker comment `line`, or throws naming `where`. */
function parseMarker(body: string, where: string): SnippetMode {
  const text = body.trim();
  const setup = /^:\s*setup\s+([\w-]+)$/.exec(text);
  if (setup?.[1] !== undefined) return { kind: 'setup', setup: setup[1] };
  const compileOnly = /^:\s*compile-only:\s*(\S.*)$/.exec(text);
  if (compileOnly?.[1] !== undefined) return { kind: 'compile-only', reason: compileOnly[1].trim() };
  throw new Error(`${where}: unknown snippet marker "<!-- snippet${body}-->" (use "setup NAME" or "compile-only: REASON")`);
}

/**
 * The checked blocks of `markdown`, in order. Throws on an unknown marker, a
 * marker not directly above a checked block, and an unclosed fence; `file`
 * names the text in those errors.
 */
export function extractSnippets(markdown: string, file = 'markdown'): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  let pending: { mode: SnippetMode; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const marker = MARKER.exec(line);
    if (marker !== null) {
      if (pending !== undefined) throw new Error(`${file}:${pending.line}: snippet marker without a checked code block under it`);
      pending = { mode: parseMarker(marker[1] ?? '', `${file}:${i + 1}`), line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence === null) {
      if (pending !== undefined && line.trim() !== '') throw new Error(`${file}:${pending.line}: snippet marker without a checked code block under it`);
      continue;
    }
    const close = lines.findIndex((candidate, j) => j > i && /^```\s*$/.test(candidate));
    if (close < 0) throw new Error(`${file}:${i + 1}: code block without a closing fence`);
    const language = CHECKED_LANGUAGES[(fence[1] ?? '').toLowerCase()];
    if (language === undefined && pending !== undefined) throw new Error(`${file}:${pending.line}: snippet marker above a \`\`\`${fence[1] ?? ''} block, which is not checked`);
    if (language !== undefined) {
      snippets.push({ line: i + 2, language, code: lines.slice(i + 1, close).join('\n'), mode: pending?.mode ?? { kind: 'run' } });
    }
    pending = undefined;
    i = close;
  }
  if (pending !== undefined) throw new Error(`${file}:${pending.line}: snippet marker without a checked code block under it`);
  return snippets;
}
