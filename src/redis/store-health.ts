/**
 * Whether the store is given up on. The first failure of an outage is
 * reported once (`health(fault, detail)`) and makes the store "down": every
 * operation then rejects at once, without touching Redis, while a check
 * (a PING and the subscriber's readiness) runs every `retryMs`, or at once
 * when a connection becomes ready. The first check that passes reports
 * `health(undefined, …)` once and makes the store "up" again. The timer never
 * keeps the process alive.
 */
import type { FleetStoreFault } from '../fleet/fleet-store.js';
import type { StoreFailure } from './store-fault.js';

/** Receives the health changes. */
export type HealthReport = (fault: FleetStoreFault | undefined, detail: string) => void;

/** The store's up/down state and its recovery checks. */
export class StoreHealth {
  private failure: StoreFailure | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private checking = false;
  private stopped = false;

  /**
   * @param report told each change, once
   * @param probe resolves true when the store answers again (never rejects for long: it is bounded by the store's timeout)
   * @param retryMs time between two checks while down
   */
  constructor(
    private readonly report: HealthReport,
    private readonly probe: () => Promise<boolean>,
    private readonly retryMs: number,
  ) {}

  /** The failure the store is down for, or `undefined` while it is up. */
  get down(): StoreFailure | undefined {
    return this.failure;
  }

  /** Gives the store up for `failure`, unless it is down already (one report per outage). */
  fail(failure: StoreFailure): void {
    if (this.stopped || this.failure !== undefined) return;
    this.failure = failure;
    this.report(failure.fault, failure.detail);
    this.schedule();
  }

  /** Checks at once, while down (a connection became ready). */
  nudge(): void {
    if (this.failure !== undefined) void this.check();
  }

  /** Ends the checks for good; nothing is reported after this. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Whether a check's result still matters (read after an await: stop() or a pass may have come meanwhile). */
  private stillDown(): boolean {
    return !this.stopped && this.failure !== undefined;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const timer = setTimeout(() => void this.check(), this.retryMs);
    (timer as { unref?: () => void }).unref?.();
    this.timer = timer;
  }

  private async check(): Promise<void> {
    if (this.stopped || this.failure === undefined || this.checking) return;
    this.checking = true;
    clearTimeout(this.timer);
    let answers: boolean;
    try {
      answers = await this.probe();
    } catch {
      answers = false;
    }
    this.checking = false;
    if (!this.stillDown()) return;
    if (!answers) {
      this.schedule();
      return;
    }
    this.failure = undefined;
    this.report(undefined, 'answers again');
  }
}
