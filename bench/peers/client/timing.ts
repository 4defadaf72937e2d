/** Small timing helpers of the drivers. */

/** Resolves at `epochMs` (at once if it has passed). */
export function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}

/**
 * Calls `report` every `everyMs` until the returned stop function runs. Unref'd:
 * it never keeps the process alive, and it is starved (silent) when the load
 * keeps the event loop busy, which is itself worth seeing.
 */
export function ticker(everyMs: number, report: () => void): () => void {
  const timer = setInterval(report, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}

/** Adds one to a code's count. */
export function countCode(counts: Record<string, number>, code: string): void {
  counts[code] = (counts[code] ?? 0) + 1;
}
