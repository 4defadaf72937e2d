/**
 * One breaker per endpoint origin, created lazily and kept in an LRU so the
 * set stays bounded; the only file that knows opossum. A call asks `gate()`
 * before it sends and `record()`s the verdict after, so what counts is
 * decided by the caller (`breakerVerdict`), not by whether a task resolved.
 * opossum keeps the rolling window, the percentage rule, the open → half-open
 * timer and the state events; its own timeout is off (axios owns timeouts).
 */
import CircuitBreaker from 'opossum';
import type { BreakerOptions } from '../options/types.js';
import type { PolicyEmitter } from '../reporting/events.js';
import { LruMap } from '../util/lru.js';
import type { BreakerVerdict } from './breaker-verdict.js';

/** Filled-in breaker settings. */
export type BreakerSettings = Required<BreakerOptions>;

/** A pass through an endpoint's gate: which breaker, and whether this request is the half-open probe. */
export interface BreakerTicket {
  readonly endpoint: string;
  readonly probe: boolean;
}

/** opossum only replays the verdict we give it: a failure rejects, a success resolves. */
type Breaker = CircuitBreaker<[BreakerVerdict]>;

/** What a recorded failure rejects with inside opossum (never seen outside this file). */
const RECORDED_FAILURE = new Error('recorded failure');

/** The breaker of one endpoint, plus the probe bookkeeping opossum does not expose. */
interface EndpointBreaker {
  breaker: Breaker;
  /** True while the half-open probe is in flight: everyone else is refused. */
  probing: boolean;
}

/** The breakers of one handle. */
export class BreakerRegistry {
  private readonly breakers: LruMap<string, EndpointBreaker>;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly emitter: PolicyEmitter,
  ) {
    this.breakers = new LruMap(settings.maxEndpoints, (_endpoint, entry) => {
      entry.breaker.removeAllListeners();
      entry.breaker.shutdown();
    });
  }

  private entry(endpoint: string): EndpointBreaker {
    const existing = this.breakers.get(endpoint);
    if (existing !== undefined) return existing;
    const breaker: Breaker = new CircuitBreaker((verdict: BreakerVerdict) => (verdict === 'failure' ? Promise.reject(RECORDED_FAILURE) : Promise.resolve()), {
      // A fresh options object per breaker: opossum mutates the one it is given.
      timeout: false,
      errorThresholdPercentage: this.settings.errorThresholdPercentage,
      volumeThreshold: this.settings.volumeThreshold,
      resetTimeout: this.settings.resetTimeoutMs,
      rollingCountTimeout: this.settings.rollingWindowMs,
      rollingCountBuckets: 10,
    });
    const entry: EndpointBreaker = { breaker, probing: false };
    breaker.on('open', () => {
      entry.probing = false;
      this.emitter.emit('circuitOpen', { endpoint });
    });
    breaker.on('halfOpen', () => {
      entry.probing = false;
      this.emitter.emit('circuitHalfOpen', { endpoint });
    });
    breaker.on('close', () => {
      entry.probing = false;
      this.emitter.emit('circuitClose', { endpoint });
    });
    this.breakers.set(endpoint, entry);
    return entry;
  }

  /**
   * Asks to send a request to `endpoint`.
   * @returns a ticket, or `undefined` when the breaker refuses (open, or half-open with its probe in flight)
   */
  gate(endpoint: string): BreakerTicket | undefined {
    const entry = this.entry(endpoint);
    const { breaker } = entry;
    if (breaker.opened) return undefined;
    if (breaker.halfOpen) {
      if (entry.probing) return undefined;
      entry.probing = true;
      return { endpoint, probe: true };
    }
    return { endpoint, probe: false };
  }

  /**
   * Records how a request let through by `gate()` went. `neither` outcomes leave
   * the statistics alone. A failure resolves once opossum has counted it (and
   * opened the breaker if it should), so the caller's next decision sees the new
   * state; successes are recorded without waiting (the success path stays cheap).
   */
  record(ticket: BreakerTicket, verdict: BreakerVerdict): Promise<void> | undefined {
    const entry = this.breakers.peek(ticket.endpoint);
    if (entry === undefined || verdict === 'neither') {
      if (entry !== undefined && ticket.probe) entry.probing = false;
      return undefined;
    }
    const { breaker } = entry;
    // While half-open, only the probe's verdict may close or re-open the breaker;
    // answers to requests sent before it opened are stale.
    if (breaker.halfOpen && !ticket.probe) return undefined;
    if (breaker.opened) return undefined;
    const counted = breaker.fire(verdict).then(
      () => undefined,
      () => undefined,
    );
    return verdict === 'failure' ? counted : undefined;
  }

  /** True when the endpoint's breaker is open (not half-open): a retry there would be refused. */
  isOpen(endpoint: string): boolean {
    return this.breakers.peek(endpoint)?.breaker.opened === true;
  }

  /** Breakers currently held. */
  get size(): number {
    return this.breakers.size;
  }

  /** The state of an endpoint's breaker, for observability. */
  state(endpoint: string): 'closed' | 'open' | 'halfOpen' | undefined {
    const breaker = this.breakers.peek(endpoint)?.breaker;
    if (breaker === undefined) return undefined;
    if (breaker.halfOpen) return 'halfOpen';
    return breaker.opened ? 'open' : 'closed';
  }

  /** Shuts every breaker down (timers, listeners) and forgets them. */
  shutdown(): void {
    for (const { breaker } of this.breakers.values()) {
      breaker.removeAllListeners();
      breaker.shutdown();
    }
    this.breakers.clear();
  }
}
