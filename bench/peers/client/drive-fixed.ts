/**
 * The fixed load: `calls` GETs with `concurrency` in flight, as a batch job
 * would run them. Bounded in count (the calls) and in time (`deadlineMs`: no
 * call starts after it, and calls still in flight are aborted at it).
 * CPU is the client process's own (`process.cpuUsage()`): the server runs
 * elsewhere.
 */
import { setMaxListeners } from 'node:events';
import type { ProgressReporter } from '../ipc/serve.js';
import type { BenchClient } from './bench-client.js';
import type { FixedLoad, FixedResult } from './client-protocol.js';
import { countCode, sleepUntil, ticker } from './timing.js';

/** Drives a fixed load and measures it. */
export async function driveFixed(client: BenchClient, load: FixedLoad, progress: ProgressReporter): Promise<FixedResult> {
  await sleepUntil(load.startAt);
  const controller = new AbortController();
  // One signal shared by every call in flight: lift Node's listener-leak warning for it.
  setMaxListeners(load.concurrency * 4 + 16, controller.signal);
  const byCode: Record<string, number> = {};
  let started = 0;
  let ok = 0;
  let failed = 0;
  const startedAt = Date.now();
  const deadline = startedAt + load.deadlineMs;
  const abortTimer = setTimeout(() => {
    controller.abort();
  }, load.deadlineMs);
  const stopTicker = ticker(250, () => {
    progress(ok + failed, load.calls);
  });
  const cpuBefore = process.cpuUsage();
  const lane = async (): Promise<void> => {
    while (started < load.calls && Date.now() < deadline) {
      started++;
      try {
        await client.get(controller.signal);
        ok++;
      } catch (error) {
        failed++;
        countCode(byCode, client.codeOf(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, load.concurrency) }, lane));
  const cpu = process.cpuUsage(cpuBefore);
  const endedAt = Date.now();
  clearTimeout(abortTimer);
  stopTicker();
  const notStarted = load.calls - started;
  if (notStarted > 0) byCode.NotStarted = notStarted;
  return { ok, failed: failed + notStarted, notStarted, byCode, cpuUs: cpu.user + cpu.system, startedAt, endedAt };
}
