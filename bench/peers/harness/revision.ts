/**
 * Which code a run measured: the commit, and whether `src/` had uncommitted
 * changes (figures of a dirty tree are not the commit's). Read-only git calls;
 * outside a git checkout it says so.
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './paths.js';

function git(args: string[]): string | undefined {
  const result = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** `abc1234`, `abc1234 + uncommitted changes in src/`, or `unknown (not a git checkout)`. */
export function describeRevision(): string {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  if (commit === undefined) return 'unknown (not a git checkout)';
  const dirty = git(['status', '--porcelain', '--', 'src']);
  return dirty === undefined || dirty === '' ? commit : `${commit} + uncommitted changes in src/`;
}
