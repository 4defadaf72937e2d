// Loads a CommonJS program with `require` from an ES module: `deno run require-entry.mjs x.cjs`.
// Deno 2.9 resolves `import()` inside a .cjs MAIN module with the "require" export condition (the
// ESM entry of a dual package then yields its CJS build), unlike Node and Bun; a .cjs loaded with
// require() resolves it with "import", as Node does. scripts/other-runtimes.mjs runs
// test/smoke/require-smoke.cjs through this file on Deno, so its check that import() and require()
// load distinct builds holds there too.
import { createRequire } from 'node:module';
import path from 'node:path';

const file = process.argv[2];
if (file === undefined || !file.endsWith('.cjs')) {
  console.error('usage: require-entry.mjs <program.cjs>');
  process.exit(2);
}
createRequire(import.meta.url)(path.resolve(file));
