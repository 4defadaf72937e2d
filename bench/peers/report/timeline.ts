/**
 * Timelines: requests reaching the server per 100 ms, per client, from the
 * server's arrival times. What `svg-timeline.ts` draws.
 */

/** Width of one bin. */
export const BIN_MS = 100;

/** One line of a timeline. */
export interface Series {
  label: string;
  /** Requests per bin; bin i covers [i·BIN_MS, (i+1)·BIN_MS) after the run's origin. */
  bins: number[];
}

/** A shaded time window (the outage, the throttled period). */
export interface Shade {
  fromMs: number;
  toMs: number;
  label: string;
}

/** A horizontal reference line, in requests per bin (a rate limit). */
export interface Guide {
  perBin: number;
  label: string;
}

/** Everything one chart shows. */
export interface Timeline {
  title: string;
  series: Series[];
  shades: Shade[];
  guides: Guide[];
}

/** Bins kept at most (10 minutes); later arrivals land in the last bin. */
const MAX_BINS = 6000;

/** Bins arrival times (ms since origin); times before 0 go to the first bin. */
export function binTimes(times: readonly number[]): number[] {
  const bins: number[] = [];
  for (const time of times) {
    const index = Math.min(MAX_BINS - 1, Math.max(0, Math.floor(time / BIN_MS)));
    // Fill the gap so the array has no holes (an idle stretch is a run of zeros).
    while (bins.length <= index) bins.push(0);
    bins[index] = (bins[index] ?? 0) + 1;
  }
  return bins;
}
