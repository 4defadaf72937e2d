/** The figures of one outage run (a loop load across an InternalError window), shared by outage and fleet. */
import type { LoopResult } from '../client/client-protocol.js';
import type { TagLog } from '../server/server-protocol.js';
import { seconds } from '../report/format.js';

/** What an outage run amounts to. */
export interface OutageFigures {
  /** Requests the dead endpoint received (answered InternalError: only the outage answers that here). */
  deadRequests: number;
  /** Calls the client refused itself (open breaker). */
  refused: number;
  /** ms from the heal to the first successful call, or null when none came before the run ended. */
  healToSuccessMs: number | null;
  calls: number;
  ok: number;
  /** Longest event-loop stall of the client process (ms). */
  maxLoopLagMs: number;
}

/** Figures of an outage run healing at `healAt` (epoch ms). */
export function outageFigures(result: LoopResult, log: TagLog, healAt: number): OutageFigures {
  return {
    deadRequests: log.outcomes.InternalError ?? 0,
    refused: result.refused,
    healToSuccessMs: result.firstSuccessAfterHeal === null ? null : result.firstSuccessAfterHeal - healAt,
    calls: result.calls,
    ok: result.ok,
    maxLoopLagMs: result.maxLoopLagMs,
  };
}

/** `0.12 s`, or `none within <tail>` when no call succeeded after the heal. */
export function healText(healToSuccessMs: number | null, tailMs: number): string {
  return healToSuccessMs === null ? `none within ${seconds(tailMs)}` : seconds(healToSuccessMs);
}

/** Above this, an event-loop stall is worth a note: timers were late by a second or more. */
const STALL_NOTE_MS = 1000;

/** A note about a starved event loop, or undefined when the loop kept turning. */
export function stallNote(label: string, maxLoopLagMs: number): string | undefined {
  if (!(maxLoopLagMs >= STALL_NOTE_MS)) return undefined;
  return (
    `${label}: the client process's event loop stalled for ${seconds(maxLoopLagMs)}: calls that fail without ever yielding to the event loop ` +
    'keep tight-loop callers spinning on promises, and no timer (the breaker\'s reset timer included) can fire meanwhile.'
  );
}
