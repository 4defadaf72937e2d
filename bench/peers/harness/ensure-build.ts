/**
 * The obs clients measure the shipped code, `dist/index.js`. Before a run it
 * is rebuilt (`npm run build`) when it is missing or older than any file of
 * `src/`, so the figures never describe a stale build.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DIST_ENTRY, REPO_ROOT, SRC_DIR } from './paths.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Builds the package if needed; returns what it did, for the progress log. Throws when the build fails. */
export function ensureBuild(): string {
  const built = mtimeOf(DIST_ENTRY);
  if (built !== undefined && built >= newestMtime(SRC_DIR)) return 'dist/ is up to date';
  // The build's own output goes to stderr: stdout is the report.
  const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 2, 2], timeout: 300_000 });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.error?.message ?? `exit ${String(result.status)}`})`);
  return built === undefined ? 'built dist/ (it was missing)' : 'rebuilt dist/ (src/ was newer)';
}
