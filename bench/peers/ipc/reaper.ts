/**
 * Every child process the benchmark starts is registered here, so that all of
 * them are killed when the run ends, fails, or is interrupted: no orphans.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();

/** Registers a child; it is forgotten once it exits. */
export function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/**
 * Asks every child to stop (closing the IPC channel makes them exit by
 * themselves), then kills whatever is still there after `graceMs`.
 */
export async function reapAll(graceMs = 3000): Promise<void> {
  const exits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (child.connected) child.disconnect();
        else child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
}

/** Kills every child at once: the last resort on a synchronous exit path. */
export function killAllNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
