import { describe, expect, it } from '@jest/globals';
import { RetryBudget } from '../../src/retry/retry-budget.js';

describe('RetryBudget', () => {
  it('spends tokens on retries, refunds on success, and refuses when empty', () => {
    const budget = new RetryBudget({ capacity: 12, retryCost: 5, timeoutRetryCost: 10, successRefund: 1 });
    expect(budget.view()).toEqual({ tokens: 12, retryCost: 5, timeoutRetryCost: 10 });
    expect(budget.take(5)).toBe(true);
    expect(budget.take(10)).toBe(false);
    expect(budget.available).toBe(7);
    budget.recordSuccess(5);
    expect(budget.available).toBe(12);
    budget.recordSuccess(undefined);
    expect(budget.available).toBe(12);
  });

  it('a success after a free retry (a paced throttling answer) refunds successRefund, like one that did not retry', () => {
    const budget = new RetryBudget({ capacity: 12, retryCost: 5, timeoutRetryCost: 10, successRefund: 1 });
    expect(budget.take(5)).toBe(true);
    expect(budget.take(0)).toBe(true);
    budget.recordSuccess(0);
    expect(budget.available).toBe(8);
    budget.recordSuccess(undefined);
    expect(budget.available).toBe(9);
  });
});

