/**
 * The retry quota of a handle: a token bucket in the spirit of the AWS SDKs'
 * retry quota. Retries take tokens, successes put some back; an empty bucket
 * means the service is failing broadly, so calls stop multiplying traffic.
 */
import type { RetryBudgetOptions } from '../options/types.js';

/** Filled-in budget settings. */
export type RetryBudgetSettings = Required<RetryBudgetOptions>;

/** Defaults of the retry budget. */
export const RETRY_BUDGET_DEFAULTS: Readonly<RetryBudgetSettings> = Object.freeze({
  capacity: 500,
  retryCost: 5,
  timeoutRetryCost: 10,
  successRefund: 1,
});

/** A token bucket shared by every call of one handle. */
export class RetryBudget {
  private tokens: number;

  constructor(private readonly settings: RetryBudgetSettings) {
    this.tokens = settings.capacity;
  }

  /** Tokens left now. */
  get available(): number {
    return this.tokens;
  }

  /** The cost of retrying after a fault of this kind. */
  costOf(timeoutOrNetwork: boolean): number {
    return timeoutOrNetwork ? this.settings.timeoutRetryCost : this.settings.retryCost;
  }

  /** Takes `cost` tokens if there are enough; false (and nothing taken) otherwise. */
  tryAcquire(cost: number): boolean {
    if (cost > this.tokens) return false;
    this.tokens -= cost;
    return true;
  }

  /** A call succeeded: refund its last retry's cost, or `successRefund` when it did not retry. */
  recordSuccess(lastRetryCost: number | undefined): void {
    this.tokens = Math.min(this.settings.capacity, this.tokens + (lastRetryCost ?? this.settings.successRefund));
  }
}
