/**
 * Running one snippet module in its own Node process with tsx (a
 * devDependency), from the package root, bounded by a timeout so that a
 * snippet that hangs fails instead of holding the check.
 */
import { spawn } from 'node:child_process';

/** How a run ended. */
export interface RunResult {
  /** Whether the process exited with code 0 in time. */
  ok: boolean;
  /** Why it failed (exit code, signal or timeout), when it did. */
  failure?: string | undefined;
  /** What it wrote to stdout and stderr, interleaved as received. */
  output: string;
}

/** Runs `file` with `node --import tsx`, in `cwd`, killing it after `timeoutMs`. */
export function runModule(file: string, cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, failure: `could not start: ${error.message}`, output });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve({ ok: false, failure: `still running after ${timeoutMs} ms (killed)`, output });
      else if (code === 0) resolve({ ok: true, output });
      else resolve({ ok: false, failure: code === null ? `killed by ${String(signal)}` : `exit code ${code}`, output });
    });
  });
}
