/**
 * How long an open breaker waits before its next probe, which opossum does not
 * offer (its `resetTimeout` is one fixed number): the wait starts at `first`,
 * doubles after each probe that fails, up to `max`, and starts again at `first`
 * when the breaker closes. A blip of a second or two costs about that long; a
 * long outage costs few probes (from 1.25 s, capped at 30 s: probes 1.25,
 * 3.75, 8.75, 18.75, 38.75 and 68.75 s after it opened, then every 30 s: five
 * in a 60 s outage).
 */
export class OpenInterval {
  /** The wait of the current (or next) open spell, in ms, before jitter. */
  private currentMs: number;
  /** The first wait; never more than `maxMs`. */
  readonly firstMs: number;

  /**
   * @param firstMs the wait after the breaker opens from closed (clamped to `maxMs`)
   * @param maxMs the longest wait (the breaker's `resetTimeoutMs`)
   */
  constructor(
    firstMs: number,
    readonly maxMs: number,
  ) {
    this.firstMs = Math.min(firstMs, maxMs);
    this.currentMs = this.firstMs;
  }

  /** The wait of the current open spell, in ms (before jitter). */
  get current(): number {
    return this.currentMs;
  }

  /** A probe failed: the next spell waits twice as long, at most `maxMs`. */
  grow(): void {
    this.currentMs = Math.min(this.currentMs * 2, this.maxMs);
  }

  /** The breaker closed (or was reset): the next spell waits `firstMs` again. */
  reset(): void {
    this.currentMs = this.firstMs;
  }

  /** Takes up a wait learned elsewhere (a snapshot), kept within `firstMs`–`maxMs`. */
  restore(currentMs: number): void {
    this.currentMs = Math.min(Math.max(currentMs, this.firstMs), this.maxMs);
  }
}

/** The jitter takes at most this share off a wait, so a fleet of processes opened together does not probe in step. */
const JITTER_SHARE = 0.2;

/**
 * One spell's wait: `intervalMs` shortened by up to a fifth at random. Downward only, so
 * `resetTimeoutMs` stays a true cap and `firstResetTimeoutMs` the latest first probe.
 * @param random a source in [0, 1) (the handle's `random`)
 */
export function jitteredWait(intervalMs: number, random: () => number): number {
  let draw: number;
  try {
    draw = random();
  } catch {
    // A random source that throws must not break the breaker: no jitter then.
    draw = 0;
  }
  const share = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.max(1, Math.round(intervalMs * (1 - JITTER_SHARE * share)));
}
