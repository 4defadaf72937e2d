/**
 * One opossum breaker per endpoint origin, created lazily and kept in an LRU so
 * the set stays bounded. opossum's own timeout is off: axios owns timeouts.
 * The breaker only sees attempts whose outcome counts (see `BreakerTask`).
 */
import CircuitBreaker from 'opossum';
import type { BreakerOptions } from '../options/types.js';
import type { PolicyEmitter } from '../reporting/events.js';
import { LruMap } from '../util/lru.js';

/** Filled-in breaker settings. */
export type BreakerSettings = Required<BreakerOptions>;

/** Defaults of the per-endpoint breakers. */
export const BREAKER_DEFAULTS: Readonly<BreakerSettings> = Object.freeze({
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  resetTimeoutMs: 30_000,
  rollingWindowMs: 10_000,
  maxEndpoints: 1000,
});

/** An attempt run through a breaker: resolves for outcomes that do not count, rejects for those that do. */
export type BreakerTask<T> = () => Promise<T>;

type Breaker = CircuitBreaker<[BreakerTask<unknown>]>;

/** Error codes opossum uses when it refuses to run a task. */
export const BREAKER_REFUSAL_CODES: ReadonlySet<string> = new Set(['EOPENBREAKER', 'ESHUTDOWN']);

/** The breakers of one handle. */
export class BreakerRegistry {
  private readonly breakers: LruMap<string, Breaker>;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly emitter: PolicyEmitter,
  ) {
    this.breakers = new LruMap(settings.maxEndpoints, (_endpoint, breaker) => {
      breaker.shutdown();
    });
  }

  /** The endpoint's breaker, created on first use. */
  get(endpoint: string): Breaker {
    const existing = this.breakers.get(endpoint);
    if (existing !== undefined) return existing;
    const breaker: Breaker = new CircuitBreaker((task: BreakerTask<unknown>) => task(), {
      // A fresh options object per breaker: opossum mutates the one it is given.
      timeout: false,
      errorThresholdPercentage: this.settings.errorThresholdPercentage,
      volumeThreshold: this.settings.volumeThreshold,
      resetTimeout: this.settings.resetTimeoutMs,
      rollingCountTimeout: this.settings.rollingWindowMs,
      rollingCountBuckets: 10,
    });
    breaker.on('open', () => {
      this.emitter.emit('circuitOpen', { endpoint });
    });
    breaker.on('halfOpen', () => {
      this.emitter.emit('circuitHalfOpen', { endpoint });
    });
    breaker.on('close', () => {
      this.emitter.emit('circuitClose', { endpoint });
    });
    this.breakers.set(endpoint, breaker);
    return breaker;
  }

  /** True when the endpoint's breaker is open (not half-open): a retry there would be refused. */
  isOpen(endpoint: string): boolean {
    const breaker = this.breakers.peek(endpoint);
    return breaker?.opened === true;
  }

  /** Breakers currently held. */
  get size(): number {
    return this.breakers.size;
  }

  /** The state of an endpoint's breaker, for observability. */
  state(endpoint: string): 'closed' | 'open' | 'halfOpen' | undefined {
    const breaker = this.breakers.peek(endpoint);
    if (breaker === undefined) return undefined;
    if (breaker.halfOpen) return 'halfOpen';
    return breaker.opened ? 'open' : 'closed';
  }

  /** Shuts every breaker down (timers, listeners) and forgets them. */
  shutdown(): void {
    for (const breaker of this.breakers.values()) {
      breaker.removeAllListeners();
      breaker.shutdown();
    }
    this.breakers.clear();
  }
}
