/**
 * Rewrites the generated blocks of README.md and docs/*.md from the code
 * (run from the package root: `npm run readme:tables`).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateAll } from './readme-sections.js';

const root = path.resolve('.');
for (const { file, before, after } of await generateAll(root)) {
  if (after !== before) writeFileSync(path.join(root, file), after);
  console.log(`${file}: generated blocks ${after !== before ? 'updated' : 'up to date'}`);
}
