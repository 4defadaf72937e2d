/**
 * A child benchmark's memory while it does one thing: the baseline before,
 * and the peaks of `rss`, `external` and `arrayBuffers` while it runs
 * (sampled on an interval, once more at the end, and RSS raised to the
 * kernel's maxRSS when the work raised that, so no spike between samples is
 * missed).
 */

/** Runs a full GC when the process was started with `--expose-gc` (the benchmarks' children are); nothing otherwise. */
export function forceGc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The highest figures seen while watching, in bytes. */
export interface MemoryPeaks {
  rss: number;
  external: number;
  arrayBuffers: number;
}

/** A running watch. */
export interface MemoryWatch {
  /** `process.memoryUsage()` when the watch started. */
  readonly baseline: NodeJS.MemoryUsage;
  /** Stops sampling and returns the peaks. */
  stop(): MemoryPeaks;
}

/** Starts sampling this process's memory every `intervalMs`; call it after the GCs that settle the baseline. */
export function watchMemory(intervalMs: number): MemoryWatch {
  const baseline = process.memoryUsage();
  // maxRSS covers the whole process life (tsx's start-up included): it only counts when the watched work raised it.
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  const peak: MemoryPeaks = { rss: baseline.rss, external: baseline.external, arrayBuffers: baseline.arrayBuffers };
  const sample = (): void => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.external = Math.max(peak.external, now.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
  };
  const sampler = setInterval(sample, intervalMs);
  return {
    baseline,
    stop() {
      clearInterval(sampler);
      sample();
      const maxRssAfter = process.resourceUsage().maxRSS * 1024;
      if (maxRssAfter > maxRssBefore) peak.rss = Math.max(peak.rss, maxRssAfter);
      return { ...peak };
    },
  };
}
