/**
 * The loop load: callers that call again the moment a call ends, with no delay
 * of their own, as a worker pulling jobs off a queue does. This is the shape
 * that exposes a client failing in microseconds (an open breaker, an empty
 * retry budget): nothing slows the loop down but the client itself, and a
 * promise chain that never yields starves timers (the breaker's own reset
 * timer included). Bounded by `hardEndAt` (checked before every call, and an
 * abort of the calls in flight) and by `maxCalls`.
 */
import { setMaxListeners } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ProgressReporter } from '../ipc/serve.js';
import type { BenchClient } from './bench-client.js';
import type { LoopLoad, LoopResult } from './client-protocol.js';
import { countCode, sleepUntil, ticker } from './timing.js';

/** Drives a loop load and measures it. */
export async function driveLoop(client: BenchClient, load: LoopLoad, progress: ProgressReporter): Promise<LoopResult> {
  await sleepUntil(load.startAt);
  const controller = new AbortController();
  setMaxListeners(load.callers * 4 + 16, controller.signal);
  const byCode: Record<string, number> = {};
  let calls = 0;
  let ok = 0;
  let failed = 0;
  let refused = 0;
  let firstSuccessAfterHeal: number | null = null;
  let stopAt = load.hardEndAt;
  const startedAt = Date.now();
  const total = load.hardEndAt - startedAt;
  const abortTimer = setTimeout(() => {
    controller.abort();
  }, Math.max(0, load.hardEndAt - startedAt));
  const stopTicker = ticker(250, () => {
    progress(Math.min(total, Date.now() - startedAt), total);
  });
  let inFlightAtMark: number | null = null;
  const markTimer =
    load.markAt === undefined
      ? undefined
      : setTimeout(() => {
          inFlightAtMark = calls - ok - failed - refused;
        }, Math.max(0, load.markAt - Date.now()));
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const caller = async (): Promise<void> => {
    while (calls < load.maxCalls && Date.now() < stopAt) {
      calls++;
      try {
        await client.get(controller.signal);
        ok++;
        const now = Date.now();
        if (firstSuccessAfterHeal === null && now >= load.healAt) {
          firstSuccessAfterHeal = now;
          stopAt = Math.min(stopAt, now + load.settleMs);
        }
      } catch (error) {
        const code = client.codeOf(error);
        if (code === 'CircuitOpen') refused++;
        else failed++;
        countCode(byCode, code);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, load.callers) }, caller));
  const endedAt = Date.now();
  lag.disable();
  clearTimeout(abortTimer);
  clearTimeout(markTimer);
  stopTicker();
  return { calls, ok, failed, refused, byCode, firstSuccessAfterHeal, startedAt, endedAt, maxLoopLagMs: lag.max / 1e6, inFlightAtMark };
}
