// Runs every examples/*.ts program (each against its own local OBS server) and fails if one fails.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.resolve('examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
let failed = 0;
for (const file of files) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { encoding: 'utf8', timeout: 120_000 });
  const ok = run.status === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} examples/${file} (${Date.now() - started} ms)`);
  if (!ok) console.log(run.stdout, run.stderr);
}
console.log(failed === 0 ? `examples: all ${files.length} programs ran` : `examples: ${failed} of ${files.length} programs failed`);
process.exit(failed === 0 ? 0 : 1);
