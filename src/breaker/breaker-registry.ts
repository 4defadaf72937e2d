/**
 * One breaker per endpoint origin, created lazily and kept in an LRU so the
 * set stays bounded; the only file that knows opossum, and it uses opossum's
 * documented API only: the constructor's options, `fire`, `open()`, the state
 * getters and the state events. A call asks `gate()` before it sends and
 * `record()`s the verdict after, so what counts is decided by the caller
 * (`breakerVerdict`), not by whether a task resolved. opossum keeps the
 * rolling window, the percentage rule, the open → half-open timer and the
 * state events; its own timeout is off (axios owns timeouts). Beside it:
 * the consecutive-failure rule (`ConsecutiveRule`), the single half-open
 * probe bounded in time, and a fresh opossum breaker (with an empty window)
 * each time one closes after an outage.
 */
import { EventEmitter } from 'events';
import CircuitBreaker from 'opossum';
import type { BreakerOptions } from '../options/types.js';
import type { PolicyEmitter } from '../reporting/emitter.js';
import { LruMap } from '../util/lru.js';
import type { BreakerVerdict } from './breaker-verdict.js';
import { ConsecutiveRule } from './consecutive-rule.js';

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

/** opossum's rolling window has this many buckets. */
const BUCKETS = 10;

/** The action every breaker wraps: it replays the verdict it is fired with. */
function replayVerdict(verdict: BreakerVerdict): Promise<void> {
  return verdict === 'failure' ? Promise.reject(RECORDED_FAILURE) : Promise.resolve();
}

/** Swallows the outcome of a `fire` (the verdict is already known to the caller). */
function ignore(): undefined {
  return undefined;
}

/** The breaker of one endpoint, plus the bookkeeping opossum does not do. */
interface EndpointBreaker {
  /** opossum's breaker; replaced by a fresh one (empty window) when it closes after an outage. */
  breaker: Breaker;
  /** Turns opossum's window by one bucket (driven by the registry's one timer). */
  readonly rotate: EventEmitter;
  /** The half-open probe in flight (everyone else is refused), if any. */
  probe: BreakerTicket | undefined;
  /** Re-opens the breaker when the probe has not answered in time. */
  probeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Failures in a row. */
  readonly streak: ConsecutiveRule;
  /** The ticket of every request let through while closed (they are all alike: no need for one each). */
  readonly closedTicket: BreakerTicket;
}

/** Stops an opossum breaker for good: no more events, no timers. */
function retire(breaker: Breaker): void {
  breaker.removeAllListeners();
  breaker.shutdown();
}

/** The breakers of one handle. */
export class BreakerRegistry {
  private readonly breakers: LruMap<string, EndpointBreaker>;
  /** One timer turns every breaker's window (opossum would run two timers per breaker). */
  private rotator: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly emitter: PolicyEmitter,
  ) {
    this.breakers = new LruMap(settings.maxEndpoints, (_endpoint, entry) => {
      clearTimeout(entry.probeTimer);
      retire(entry.breaker);
    });
  }

  /** A closed opossum breaker with an empty window, wired to `entry`'s bookkeeping and the handle's events. */
  private newBreaker(endpoint: string, entry: Omit<EndpointBreaker, 'breaker'> & { breaker?: Breaker }): Breaker {
    const breaker: Breaker = new CircuitBreaker(replayVerdict, {
      // A fresh options object per breaker: opossum mutates the one it is given.
      timeout: false,
      errorThresholdPercentage: this.settings.errorThresholdPercentage,
      volumeThreshold: this.settings.volumeThreshold,
      resetTimeout: this.settings.resetTimeoutMs,
      rollingCountTimeout: this.settings.rollingWindowMs,
      rollingCountBuckets: BUCKETS,
      rotateBucketController: entry.rotate,
      enableSnapshots: false,
      // opossum works out the error percentage on every failure; with latency percentiles on, that
      // copies and sorts every latency of the window (100,000 after 10 s at 10,000 req/s: ~10 ms of
      // event loop per failure, at the onset of an outage). Nothing here reads the percentiles.
      rollingPercentilesEnabled: false,
    });
    const endProbe = (): void => {
      entry.probe = undefined;
      clearTimeout(entry.probeTimer);
      entry.probeTimer = undefined;
    };
    breaker.on('open', () => {
      endProbe();
      this.emitter.emit('circuitOpen', { endpoint });
    });
    breaker.on('halfOpen', () => {
      endProbe();
      this.emitter.emit('circuitHalfOpen', { endpoint });
    });
    breaker.on('close', () => {
      endProbe();
      entry.streak.reset();
      // A closed breaker starts from a clean window: the failures that opened it belong to the
      // outage that is over, and must not re-open it at the next single failure.
      if (entry.breaker === breaker) {
        retire(breaker);
        entry.breaker = this.newBreaker(endpoint, entry);
      }
      this.emitter.emit('circuitClose', { endpoint });
    });
    return breaker;
  }

  private entry(endpoint: string): EndpointBreaker {
    const existing = this.breakers.get(endpoint);
    if (existing !== undefined) return existing;
    const parts = {
      rotate: new EventEmitter(),
      probe: undefined,
      probeTimer: undefined,
      streak: new ConsecutiveRule(this.settings.consecutiveFailures),
      closedTicket: { endpoint, probe: false },
    };
    const entry: EndpointBreaker = Object.assign(parts, { breaker: this.newBreaker(endpoint, parts) });
    this.startRotator();
    this.breakers.set(endpoint, entry);
    return entry;
  }

  private startRotator(): void {
    if (this.rotator !== undefined) return;
    this.rotator = setInterval(
      () => {
        for (const entry of this.breakers.values()) entry.rotate.emit('rotate');
      },
      Math.max(1, Math.floor(this.settings.rollingWindowMs / BUCKETS)),
    );
    // The window's clock never keeps the process alive.
    (this.rotator as { unref?: () => void }).unref?.();
  }

  /**
   * Asks to send a request to `endpoint`.
   * @param probeTimeoutMs how long a half-open probe may take before it counts as a failure
   *   (the attempt's own timeout; a probe that hangs must not keep the endpoint shut forever)
   * @returns a ticket, or `undefined` when the breaker refuses (open, or half-open with its probe in flight)
   */
  gate(endpoint: string, probeTimeoutMs: number): BreakerTicket | undefined {
    const entry = this.entry(endpoint);
    const { breaker } = entry;
    if (breaker.opened) return undefined;
    if (breaker.halfOpen) {
      if (entry.probe !== undefined) return undefined;
      const probe: BreakerTicket = { endpoint, probe: true };
      entry.probe = probe;
      entry.probeTimer = setTimeout(() => {
        if (entry.probe === probe && breaker.halfOpen) breaker.open();
      }, probeTimeoutMs);
      // The timer guards the endpoint, not the process: it never keeps Node alive.
      (entry.probeTimer as { unref?: () => void }).unref?.();
      return probe;
    }
    return entry.closedTicket;
  }

  /**
   * Records how a request let through by `gate()` went. `neither` outcomes leave
   * the statistics alone. A failure resolves once opossum has counted it (and
   * opened the breaker if it should), so the caller's next decision sees the new
   * state; successes are recorded without waiting (the success path stays cheap).
   */
  record(ticket: BreakerTicket, verdict: BreakerVerdict): Promise<void> | undefined {
    const entry = this.breakers.peek(ticket.endpoint);
    if (entry === undefined) return undefined;
    const { breaker } = entry;
    const isProbe = entry.probe === ticket;
    if (isProbe) {
      entry.probe = undefined;
      clearTimeout(entry.probeTimer);
    }
    if (verdict === 'neither') return undefined;
    // While half-open, only the probe's verdict may close or re-open the breaker;
    // answers to requests sent before it opened (or a probe that timed out) are stale.
    if (breaker.opened || (breaker.halfOpen && !isProbe)) return undefined;
    if (verdict === 'success') {
      entry.streak.success();
      void breaker.fire('success').then(ignore, ignore);
      return undefined;
    }
    const streakReached = entry.streak.failure();
    return breaker.fire('failure').then(ignore, () => {
      // The window's percentage rule may not have opened it (earlier successes dilute it): the streak does.
      if (streakReached && !breaker.opened && !breaker.isShutdown) breaker.open();
    });
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
    clearInterval(this.rotator);
    this.rotator = undefined;
    for (const { breaker, probeTimer } of this.breakers.values()) {
      clearTimeout(probeTimer);
      retire(breaker);
    }
    this.breakers.clear();
  }
}
