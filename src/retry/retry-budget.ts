/**
 * The retry quota of a handle: a token bucket in the spirit of the AWS SDKs'
 * retry quota. Retries take tokens, successes put some back; an empty bucket
 * means the service is failing broadly, so calls stop multiplying traffic.
 */
import type { BudgetView } from '../decide/decision.js';
import type { RetryBudgetOptions } from '../options/types.js';

/** Filled-in budget settings. */
export type RetryBudgetSettings = Required<RetryBudgetOptions>;

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

  /** Tokens and prices, as `decide()` reads them. */
  view(): BudgetView {
    return { tokens: this.tokens, retryCost: this.settings.retryCost, timeoutRetryCost: this.settings.timeoutRetryCost };
  }

  /**
   * Takes `cost` tokens if there are enough (decide() checked; another call may
   * have taken some since, so this checks again).
   * @returns false, with nothing taken, when there are not enough
   */
  take(cost: number): boolean {
    if (cost > this.tokens) return false;
    this.tokens -= cost;
    return true;
  }

  /** A call succeeded: refund its last retry's cost, or `successRefund` when it did not retry or its last retry was free. */
  recordSuccess(lastRetryCost: number | undefined): void {
    const refund = lastRetryCost === undefined || lastRetryCost === 0 ? this.settings.successRefund : lastRetryCost;
    this.tokens = Math.min(this.settings.capacity, this.tokens + refund);
  }
}
