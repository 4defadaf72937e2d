/**
 * A benchmark measured in a fresh child process of its own script, so the
 * figures are that child's alone: the parent forks the script with
 * `--expose-gc` under tsx, the child sends back one message with what it
 * measured and exits 0.
 */
import { fork } from 'node:child_process';

/** How to run one child. */
export interface ChildRun {
  /** The benchmark's own file (`import.meta.filename`). */
  script: string;
  /** The child's command-line flags. */
  args: readonly string[];
  /** Names the child in the error when it fails. */
  label: string;
  /** When set, a child still running after this many ms is killed, so the run fails rather than hangs. */
  limitMs?: number;
}

/** Forks the child and resolves with its message; rejects when it exits without one or with a non-zero code. */
export function measureInChild<Measurement>({ script, args, label, limitMs }: ChildRun): Promise<Measurement> {
  const child = fork(script, [...args], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: 'inherit' });
  const limit = limitMs === undefined ? undefined : setTimeout(() => child.kill(), limitMs);
  return new Promise<Measurement>((resolve, reject) => {
    let result: Measurement | undefined;
    child.once('message', (message: Measurement) => {
      result = message;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(limit);
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`${label} child exited with code ${String(code)} and no measurement`));
    });
  });
}
