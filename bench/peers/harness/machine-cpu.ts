/**
 * How busy the whole machine was during a load: the share of every core's
 * time that was not idle (user, nice, system, irq), from `os.cpus()` before and
 * after. A fleet load near 100 % measures the machine, not the client: every
 * process waits for a core, and the figures drift with the host's speed.
 */
import { cpus } from 'node:os';

/** Summed times of every core, ms. */
export interface CpuTimes {
  busyMs: number;
  totalMs: number;
}

/** The machine's CPU times now. */
export function machineCpuTimes(): CpuTimes {
  let busyMs = 0;
  let totalMs = 0;
  for (const core of cpus()) {
    const { user, nice, sys, idle, irq } = core.times;
    busyMs += user + nice + sys + irq;
    totalMs += user + nice + sys + idle + irq;
  }
  return { busyMs, totalMs };
}

/** The share of all cores busy between two readings, in [0, 1]; `null` when no time passed. */
export function busyShareBetween(before: CpuTimes, after: CpuTimes): number | null {
  const totalMs = after.totalMs - before.totalMs;
  if (!(totalMs > 0)) return null;
  return Math.min(1, Math.max(0, (after.busyMs - before.busyMs) / totalMs));
}
