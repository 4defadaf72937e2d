/**
 * The failure-percentage rule of a closed breaker, counted here rather than in
 * opossum: one counter increment per success, no promise, no event, no timer.
 * The window is `windowMs` long, in `bucketCount` buckets found from the
 * timestamp of each outcome (a bucket older than the window is emptied when its
 * slot comes round again), so nothing runs while the endpoint is quiet. A
 * failure opens the breaker when the window holds at least `volumeThreshold`
 * counted outcomes and more than `thresholdPercentage` % of them failed, the
 * rule opossum applies to its own window.
 */
export class RollingWindow {
  private readonly bucketMs: number;
  /** The absolute bucket number each slot holds (`-1`: none yet). */
  private readonly ids: number[];
  private readonly successes: number[];
  private readonly failures: number[];

  /**
   * @param windowMs the window's length (≥ 1)
   * @param bucketCount how many buckets it is counted in (≥ 1)
   * @param volumeThreshold counted outcomes the window must hold before the percentage may open it
   * @param thresholdPercentage the failure percentage above which it opens
   */
  constructor(
    windowMs: number,
    private readonly bucketCount: number,
    private readonly volumeThreshold: number,
    private readonly thresholdPercentage: number,
  ) {
    this.bucketMs = Math.max(1, windowMs / bucketCount);
    this.ids = new Array<number>(bucketCount).fill(-1);
    this.successes = new Array<number>(bucketCount).fill(0);
    this.failures = new Array<number>(bucketCount).fill(0);
  }

  /** The slot of the bucket `nowMs` falls in, emptied first when it held an older bucket. */
  private slotAt(nowMs: number): number {
    const id = Math.floor(nowMs / this.bucketMs);
    const slot = id % this.bucketCount;
    if (this.ids[slot] !== id) {
      this.ids[slot] = id;
      this.successes[slot] = 0;
      this.failures[slot] = 0;
    }
    return slot;
  }

  /** Counts a success at `nowMs`. */
  success(nowMs: number): void {
    const slot = this.slotAt(nowMs);
    this.successes[slot] = (this.successes[slot] ?? 0) + 1;
  }

  /** Counts a failure at `nowMs`; true when the window's percentage rule says open. */
  failure(nowMs: number): boolean {
    const slot = this.slotAt(nowMs);
    this.failures[slot] = (this.failures[slot] ?? 0) + 1;
    const oldest = Math.floor(nowMs / this.bucketMs) - this.bucketCount + 1;
    let failed = 0;
    let total = 0;
    for (let i = 0; i < this.bucketCount; i++) {
      if ((this.ids[i] ?? -1) < oldest) continue;
      const f = this.failures[i] ?? 0;
      failed += f;
      total += f + (this.successes[i] ?? 0);
    }
    return total >= this.volumeThreshold && (failed / total) * 100 > this.thresholdPercentage;
  }

  /** Forgets every outcome (the breaker closed after an outage). */
  reset(): void {
    this.ids.fill(-1);
    this.successes.fill(0);
    this.failures.fill(0);
  }
}
