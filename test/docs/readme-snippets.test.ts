/**
 * The README code-block check (`npm run readme:snippets`): which blocks it
 * takes and what their markers say, how a block becomes a module, and that it
 * fails a block that does not type-check, does not run, or does not do what
 * its setup checks afterwards, while passing the blocks that are right.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSnippets, type SnippetReport } from '../../scripts/readme-snippets/check.js';
import { composeSnippet, pointAtSources } from '../../scripts/readme-snippets/compose.js';
import { extractSnippets, type Snippet } from '../../scripts/readme-snippets/extract.js';
import { runModule } from '../../scripts/readme-snippets/run.js';
import { SETUPS } from '../../scripts/readme-snippets/setups.js';
import { readProjectConfig } from '../../scripts/readme-snippets/type-check.js';
import { root } from './doc-files.js';

/** Markdown from lines. */
const md = (...lines: string[]): string => lines.join('\n');

describe('extractSnippets', () => {
  it('takes every ts, typescript and js block, from its first code line, and skips the others', () => {
    const snippets = extractSnippets(md('# t', '```ts', 'const a = 1;', '```', '```sh', 'npm test', '```', '```typescript', 'let b;', '```', '```js', 'c();', 'd();', '```', '```text', 'x', '```', '```', 'plain', '```'));
    expect(snippets).toEqual([
      { line: 3, language: 'ts', code: 'const a = 1;', mode: { kind: 'run' } },
      { line: 9, language: 'ts', code: 'let b;', mode: { kind: 'run' } },
      { line: 12, language: 'js', code: 'c();\nd();', mode: { kind: 'run' } },
    ]);
  });

  it('reads the setup and compile-only markers on the line above a block (blank lines allowed)', () => {
    const snippets = extractSnippets(md('<!-- snippet: setup plain-client -->', '```ts', 'a;', '```', '<!-- snippet: compile-only: a type-only excerpt -->', '', '```ts', 'b;', '```', '```ts', 'c;', '```'));
    expect(snippets.map((s) => s.mode)).toEqual([{ kind: 'setup', setup: 'plain-client' }, { kind: 'compile-only', reason: 'a type-only excerpt' }, { kind: 'run' }]);
  });

  it.each([
    ['an unknown marker', md('<!-- snippet: skip -->', '```ts', 'a;', '```'), /x\.md:1: unknown snippet marker/],
    ['compile-only without a reason', md('<!-- snippet: compile-only -->', '```ts', 'a;', '```'), /unknown snippet marker/],
    ['a marker above prose', md('<!-- snippet: setup plain-client -->', 'text', '```ts', 'a;', '```'), /x\.md:1: snippet marker without a checked code block/],
    ['a marker above a sh block', md('<!-- snippet: setup plain-client -->', '```sh', 'ls', '```'), /not checked/],
    ['a marker at the end', md('```ts', 'a;', '```', '<!-- snippet: setup plain-client -->'), /x\.md:4: snippet marker without/],
    ['two markers in a row', md('<!-- snippet: setup a -->', '<!-- snippet: setup b -->', '```ts', 'a;', '```'), /x\.md:1: snippet marker without/],
    ['an unclosed block', md('```ts', 'a;'), /x\.md:1: code block without a closing fence/],
  ])('refuses %s', (_name, markdown, error) => {
    expect(() => extractSnippets(markdown, 'x.md')).toThrow(error);
  });
});

describe('composeSnippet', () => {
  const sources = readProjectConfig(root).sources;
  const dir = path.join(root, 'node_modules', '.cache', 'scratch');

  it('points the package and its subpaths at the sources, relative to the module, and leaves other imports alone', () => {
    const source = md("import { attachObsPolicies } from 'obs-axios-policies';", 'import { obsSigner } from "obs-axios-policies/sign";', "const t = await import('obs-axios-policies/testing');", "import axios from 'axios';", "import x from 'obs-axios-policies/nope';");
    expect(pointAtSources(source, sources, dir)).toBe(
      md(
        "import { attachObsPolicies } from '../../../src/index.js';",
        'import { obsSigner } from "../../../src/sign/index.js";',
        "const t = await import('../../../src/testing/index.js');",
        "import axios from 'axios';",
        "import x from 'obs-axios-policies/nope';",
      ),
    );
  });

  it('puts the setup around the snippet and says on which line the snippet starts', () => {
    const snippet: Snippet = { line: 10, language: 'ts', code: 'use(client);', mode: { kind: 'setup', setup: 'plain-client' } };
    const composed = composeSnippet(snippet, sources, dir);
    const lines = composed.source.split('\n');
    expect(lines[composed.firstLine]).toBe('use(client);');
    expect(lines.slice(0, composed.firstLine).join('\n')).toBe(pointAtSources(SETUPS['plain-client']?.prelude.trim() ?? '?', sources, dir));
    expect(composed.source.trimEnd().endsWith('await setupObs.close();')).toBe(true);
    expect(composeSnippet({ ...snippet, mode: { kind: 'run' } }, sources, dir)).toEqual({ source: 'use(client);\n', firstLine: 0 });
  });

  it('refuses an unknown setup, naming the known ones', () => {
    expect(() => composeSnippet({ line: 1, language: 'ts', code: '', mode: { kind: 'setup', setup: 'nope' } }, sources, '/tmp')).toThrow(/unknown snippet setup "nope" \(known: unsigned-client, signed-client, plain-client\)/);
  });
});

describe('checkSnippets', () => {
  const markdown = md(
    '# A document', // 1
    '```ts', // 2
    'const count: number = 1;', // 3
    'console.log(count, other);', // 4: `other` is defined nowhere
    '```', // 5
    '```ts', // 6
    "throw new Error('boom at run time');", // 7
    '```', // 8
    '<!-- snippet: compile-only: kept for its types -->', // 9
    '```ts', // 10
    "throw new Error('never run');", // 11
    '```', // 12
    '<!-- snippet: compile-only: still type-checked -->', // 13
    '```ts', // 14
    "const wrong: number = 'text';", // 15
    '```', // 16
    '```js', // 17
    'console.log(notDefinedAnywhere);', // 18
    '```', // 19
    '```ts', // 20
    "import { isObsError } from 'obs-axios-policies';", // 21
    "console.log(isObsError(new Error('plain')) ? 'obs' : 'not obs');", // 22
    '```', // 23
    '<!-- snippet: setup unsigned-client -->', // 24
    '```ts', // 25
    'console.log(AK.length + SK.length); // attaches no signer: the signed GET afterwards is refused', // 26
    '```', // 27
    '<!-- snippet: setup plain-client -->', // 28
    '```ts', // 29
    'const handle = attachObsPolicies(client, options);', // 30
    'handle.detach();', // 31
    '```', // 32
    '<!-- snippet: setup no-such-setup -->', // 33
    '```ts', // 34
    'console.log(1);', // 35
    '```', // 36
  );

  it('fails what does not compile, run or pass its setup, and passes the rest', async () => {
    const report = await checkSnippets(markdown, { root, file: 'doc.md' });
    expect(report.problems).toEqual([]);
    const at = (line: number): SnippetReport => {
      const found = report.snippets.find((s) => s.snippet.line === line);
      if (found === undefined) throw new Error(`no block at line ${line}`);
      return found;
    };
    expect(report.snippets.map((s) => s.snippet.line)).toEqual([3, 7, 11, 15, 18, 21, 26, 30, 35]);

    // An undefined name: a type error on its own line and column, and the block is not run.
    expect(at(3).problems).toEqual(["doc.md:4:20: error TS2304: Cannot find name 'other'."]);
    expect(at(3).ran).toBe(false);
    // Compiles, throws when run.
    expect(at(7).ran).toBe(true);
    expect(at(7).problems).toEqual(['doc.md:7: the block failed when run: exit code 1']);
    expect(at(7).output).toContain('boom at run time');
    // compile-only: never run, but type-checked.
    expect(at(11)).toMatchObject({ problems: [], ran: false });
    expect(at(15).problems).toEqual(["doc.md:15:7: error TS2322: Type 'string' is not assignable to type 'number'."]);
    // JavaScript is checked too.
    expect(at(18).problems).toEqual(["doc.md:18:13: error TS2304: Cannot find name 'notDefinedAnywhere'."]);
    // The package's own imports reach the sources, and the block runs.
    expect(at(21)).toMatchObject({ problems: [], ran: true });
    expect(at(21).output).toBe('not obs\n');
    // The setup's own check afterwards fails a block that did not do its job (no signer: 403).
    expect(at(26).ran).toBe(true);
    expect(at(26).problems).toEqual(['doc.md:26: the block failed when run: exit code 1']);
    expect(at(26).output).toContain('after the block answered 403, so the block attached no working signer');
    // A fragment with the names its setup provides compiles and runs.
    expect(at(30)).toMatchObject({ problems: [], ran: true });
    // An unknown setup is a failure, not a skip.
    expect(at(35).problems).toEqual(['doc.md:35: unknown snippet setup "no-such-setup" (known: unsigned-client, signed-client, plain-client)']);
    expect(at(35).ran).toBe(false);
  }, 120_000);
});

describe('runModule', () => {
  it('kills a module that never ends, and says so', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'readme-snippets-run-'));
    try {
      const file = path.join(dir, 'hang.mjs');
      writeFileSync(file, "console.log('started'); setInterval(() => {}, 1000);\n");
      const result = await runModule(file, root, 2_000);
      expect(result.ok).toBe(false);
      expect(result.failure).toBe('still running after 2000 ms (killed)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
