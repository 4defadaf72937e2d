/**
 * The consecutive-failure rule that opossum does not offer: `threshold`
 * counted failures in a row open the breaker, whatever the rolling window's
 * percentage says (a window full of earlier successes must not hide an
 * outage). A counted success starts the streak again.
 */
export class ConsecutiveRule {
  /** Counted failures since the last counted success. */
  private streak = 0;

  /** @param threshold failures in a row that open the breaker (≥ 1) */
  constructor(private readonly threshold: number) {}

  /** Counted failures since the last counted success. */
  get count(): number {
    return this.streak;
  }

  /** Counts a success: the streak starts again. */
  success(): void {
    this.streak = 0;
  }

  /** Counts a failure; true when the streak has reached the threshold. */
  failure(): boolean {
    return ++this.streak >= this.threshold;
  }

  /** Forgets the streak (the breaker closed after an outage). */
  reset(): void {
    this.streak = 0;
  }
}
