/**
 * The build the obs clients load: a private copy of `dist/*.js`, taken once
 * after `ensureBuild`, so that a rebuild of `dist/` during the run (another
 * `npm run build` empties it first) neither breaks a client nor changes the
 * code measured half-way. It lives under `node_modules/.cache/` so the copy
 * resolves the package's dependencies as `dist/` does, and goes at the end.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DIST_ENTRY, REPO_ROOT } from './paths.js';

const SNAPSHOT_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'bench-peers', `dist-${String(process.pid)}`);

let taken = false;

/** Copies `dist/*.js` to the snapshot; throws when `dist/` has no `index.js` (a build is under way). */
export function snapshotDist(): void {
  const dist = path.dirname(DIST_ENTRY);
  const files = readdirSync(dist).filter((name) => name.endsWith('.js'));
  if (!files.includes('index.js')) throw new Error('dist/index.js is missing (a build is under way?)');
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  for (const name of files) copyFileSync(path.join(dist, name), path.join(SNAPSHOT_DIR, name));
  taken = true;
}

/** The `index.js` the obs clients import: the snapshot once taken, else `dist/index.js`. */
export function measuredEntry(): string {
  return taken ? path.join(SNAPSHOT_DIR, 'index.js') : DIST_ENTRY;
}

/** Removes the snapshot. */
export function dropSnapshot(): void {
  rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
}
