/**
 * Type-checks every ```ts / ```typescript / ```js block of README.md and runs
 * each against the package's own local OBS server, offline (run from the
 * package root: `npm run readme:snippets`). The markers that give a fragment
 * its setup, or make it compile-only with a reason, are described in
 * `scripts/readme-snippets/extract.ts`; the setups are in
 * `scripts/readme-snippets/setups.ts`. Another Markdown file can be given as
 * the one argument (`npm run readme:snippets -- docs/x.md`). Exits with 1 when
 * a block fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSnippets } from './readme-snippets/check.js';

const root = path.resolve('.');
const file = process.argv[2] ?? 'README.md';
const report = await checkSnippets(readFileSync(path.resolve(root, file), 'utf8'), { root, file });
let failed = report.problems.length > 0 ? 1 : 0;
for (const problem of report.problems) console.log(`FAIL ${problem}`);
for (const { snippet, problems, ran, output, runMs } of report.snippets) {
  const mode = snippet.mode.kind === 'setup' ? `setup ${snippet.mode.setup}` : snippet.mode.kind === 'compile-only' ? `compile-only: ${snippet.mode.reason}` : 'run';
  const ok = problems.length === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${file}:${snippet.line} (${mode}${ran ? `, ran in ${runMs} ms` : ''})`);
  if (!ok) {
    for (const problem of problems) console.log(`     ${problem}`);
    if (output !== '') console.log(output.replace(/^/gm, '     | '));
  }
}
console.log(failed === 0 ? `${file}: all ${report.snippets.length} code blocks type-check and run` : `${file}: ${failed} of ${report.snippets.length} code blocks failed`);
process.exitCode = failed === 0 ? 0 : 1;
