/**
 * The README's quick start is examples/quick-start.ts itself (which
 * `npm run examples` runs), without its leading doc comment.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The example program as a Markdown code block. */
export function renderQuickStart(root: string): string {
  const source = readFileSync(path.join(root, 'examples', 'quick-start.ts'), 'utf8');
  const body = source.replace(/^\/\*\*[\s\S]*?\*\/\s*/, '').trimEnd();
  return ['```ts', body, '```'].join('\n');
}
