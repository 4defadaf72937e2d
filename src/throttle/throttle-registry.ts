/**
 * The pacers of one handle, one per endpoint origin, in an LRU. An endpoint
 * gets a pacer on its first throttling answer; until then the success path
 * only pays one map lookup.
 */
import type { PolicyEmitter } from '../reporting/emitter.js';
import type { SignalLike } from '../retry/wait.js';
import { LruMap } from '../util/lru.js';
import { EndpointPacer, type PacerSettings } from './endpoint-pacer.js';

/** Filled-in throttle settings. */
export interface ThrottleSettings extends PacerSettings {
  /** Endpoints with a pacer at once (least recently used dropped). */
  maxEndpoints: number;
}

/** The pacers of one handle. */
export class ThrottleRegistry {
  private readonly pacers: LruMap<string, EndpointPacer>;

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly emitter: PolicyEmitter,
    private readonly now: () => number = Date.now,
  ) {
    this.pacers = new LruMap(settings.maxEndpoints, (_endpoint, pacer) => {
      pacer.releaseAll();
    });
  }

  /**
   * Waits for the endpoint's pace, if it has one.
   * @param maxWaitMs the longest the request waits (the call's `retry.maxDelayMs`), for the pace and for a
   *   `Retry-After` pause alike
   * @returns `undefined` when the request may go now (always, for an endpoint never throttled)
   */
  acquire(endpoint: string, signal: SignalLike | undefined, deadline: number, maxWaitMs?: number): Promise<void> | undefined {
    return this.pacers.peek(endpoint)?.acquire(signal, deadline, maxWaitMs);
  }

  /** True when the endpoint is learning (it was throttled): every answer from it is recorded. */
  tracks(endpoint: string): boolean {
    return this.pacers.peek(endpoint) !== undefined;
  }

  /**
   * Learns from one answer of `endpoint` (sent at `sentAt`, epoch ms); a throttling answer starts the learning.
   * A `Retry-After` pauses the endpoint for at most `maxPauseMs` (the answered call's `retry.maxDelayMs`), and
   * each waiting request for at most its own `maxWaitMs` after it was recorded.
   */
  record(endpoint: string, throttled: boolean, retryAfterMs: number | undefined, sentAt: number, maxPauseMs?: number): void {
    let pacer = this.pacers.get(endpoint);
    if (pacer === undefined) {
      if (!throttled) return;
      pacer = new EndpointPacer(
        this.settings,
        (ratePerSec, cause) => {
          this.emitter.emit('rateChange', { endpoint, ratePerSec, cause });
        },
        this.now,
      );
      this.pacers.set(endpoint, pacer);
    }
    pacer.record(throttled, retryAfterMs, sentAt, maxPauseMs);
  }

  /** The endpoint's pace in requests per second (`null`: not paced). */
  rate(endpoint: string): number | null {
    return this.pacers.peek(endpoint)?.ratePerSec ?? null;
  }

  /** Releases every queued request and forgets every pace (detach). */
  shutdown(): void {
    for (const pacer of this.pacers.values()) pacer.releaseAll();
    this.pacers.clear();
  }
}
