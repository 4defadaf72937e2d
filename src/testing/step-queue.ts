/**
 * The FIFO of scripted steps. A request takes the oldest step whose `match`
 * it satisfies; steps it does not match stay queued, in order, for later
 * requests (so one script can interleave answers for different paths).
 */
import { matchesRequest, type RecordedRequest } from './recorded-request.js';
import type { ObsServerStep } from './steps.js';

interface Queued {
  readonly step: ObsServerStep;
  remaining: number;
}

/** Scripted steps waiting for requests. */
export class StepQueue {
  private readonly queued: Queued[] = [];

  /** Appends steps; `times` is rounded down, and below 1 (or not a number) counts as 1. */
  push(steps: readonly ObsServerStep[]): void {
    for (const step of steps) {
      const times = step.times ?? 1;
      this.queued.push({ step, remaining: times >= 1 ? Math.floor(times) : 1 });
    }
  }

  /** Takes the step for `request`, or `undefined` when no queued step matches it. */
  take(request: RecordedRequest): ObsServerStep | undefined {
    const index = this.queued.findIndex((entry) => matchesRequest(entry.step.match, request));
    const entry = this.queued[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining < 1) this.queued.splice(index, 1);
    return entry.step;
  }

  /** How many answers are still scripted (a step with `times: n` counts n; may be `Infinity`). */
  get pending(): number {
    return this.queued.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  /** Drops every queued step. */
  clear(): void {
    this.queued.length = 0;
  }
}
