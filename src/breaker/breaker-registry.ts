/**
 * One breaker per endpoint origin, created lazily and kept in an LRU so the
 * set stays bounded; the only file that knows opossum, and it uses opossum's
 * documented API only: the constructor's options (`state` included, from
 * opossum's "Breaker State Initialization"), `fire`, `open()`, `shutdown()`,
 * the state getters and the state events. A call asks `gate()` before it sends
 * and `record()`s the verdict after, so what counts is decided by the caller
 * (`breakerVerdict`), not by whether a task resolved. opossum keeps the
 * state machine: open, the open → half-open timer, the probe's verdict
 * closing or re-opening it, and the state events; its own timeout is off
 * (axios owns timeouts). Beside it: the closed breaker's counting
 * (`RollingWindow`, the same percentage rule as opossum's, and
 * `ConsecutiveRule`), which every success passes through: a counter
 * increment there, where a `fire` costs a promise and two events (about 5 %
 * of a loopback GET's CPU in the one-process overhead recipe); the growing
 * open interval (`OpenInterval`), the single half-open probe bounded in
 * time, isolation by hand, and the snapshot of open breakers.
 *
 * Each open spell has an opossum breaker of its own. opossum's `resetTimeout`
 * is one number fixed at construction, and the interval must grow while probes
 * fail; so when a breaker opens, the registry retires it and constructs the
 * spell's breaker already open (`state: { closed: false, open: true }`) with
 * `resetTimeout` set to this spell's wait. opossum then runs that wait's
 * timer, half-opens and emits as it always does. A failed probe re-opens the
 * spell's breaker: the interval doubles and the next spell gets a new breaker;
 * a probe that closes it gives the endpoint a fresh closed breaker (an empty
 * window: the outage's failures must not re-open it at the next one). Running
 * the half-open timer ourselves instead would need a way into opossum's
 * half-open state that its documented API does not have.
 */
import { EventEmitter } from 'events';
import CircuitBreaker from 'opossum';
import type { BreakerOptions } from '../options/types.js';
import type { PolicyEmitter } from '../reporting/emitter.js';
import { LruMap } from '../util/lru.js';
import type { BreakerVerdict } from './breaker-verdict.js';
import { ConsecutiveRule } from './consecutive-rule.js';
import { RollingWindow } from './rolling-window.js';
import { jitteredWait, OpenInterval } from './open-interval.js';

/**
 * What the registry tells a fleet store about its breakers (`src/fleet/fleet-sync.ts`); only changes
 * made here, never those taken up from the fleet (`applyOpen`, `applyClose`).
 */
export interface BreakerFleetHooks {
  /**
   * A breaker opened here (a rule, a failed or timed-out probe): it half-opens in `waitMs`.
   * `answered` is false when the failure that opened it had no HTTP answer (a timeout, a reset).
   */
  opened(endpoint: string, waitMs: number, intervalMs: number, answered: boolean): void;
  /** Its probe succeeded here: the breaker closed. */
  closed(endpoint: string): void;
  /** A half-open breaker here wants the fleet's one probe; until `allowProbe`, it lets no probe go. */
  halfOpened(endpoint: string): void;
  /** The endpoint's failures in a row here now (`0`: a success ended a run). Never called on a success with no run. */
  streak(endpoint: string, failuresInARow: number): void;
}

/** Filled-in breaker settings. */
export type BreakerSettings = Required<BreakerOptions>;

/** A pass through an endpoint's gate: which breaker, and whether this request is the half-open probe. */
export interface BreakerTicket {
  readonly endpoint: string;
  readonly probe: boolean;
}

/**
 * An endpoint whose breaker refuses calls, as a snapshot keeps it: open until `halfOpenAt`
 * (epoch ms) with the interval it has reached, or isolated by hand until `reset`.
 */
export type BreakerRecord =
  | { endpoint: string; state: 'open'; halfOpenAt: number; intervalMs: number }
  | { endpoint: string; state: 'isolated' };

/** opossum only replays the verdict we give it: a failure rejects, a success resolves. */
type Breaker = CircuitBreaker<[BreakerVerdict]>;

/** opossum's options with the `state` its README documents for starting a breaker in a given state. */
type BreakerConstruction = CircuitBreaker.Options & { state?: { closed: boolean; open: boolean; halfOpen: boolean } };

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
  /** opossum's breaker: one while closed, and one for each open spell. */
  breaker: Breaker;
  /** Given to opossum as its window's rotation control so it starts no timer of its own; never emitted (opossum counts nothing here). */
  readonly rotate: EventEmitter;
  /** The half-open probe in flight (everyone else is refused), if any. */
  probe: BreakerTicket | undefined;
  /** Re-opens the breaker when the probe has not answered in time. */
  probeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Failures in a row. */
  readonly streak: ConsecutiveRule;
  /** The closed breaker's counted outcomes and its percentage rule. */
  readonly window: RollingWindow;
  /** The ticket of every request let through while closed (they are all alike: no need for one each). */
  readonly closedTicket: BreakerTicket;
  /** How long the open spells wait. */
  readonly interval: OpenInterval;
  /** While open: when the spell's breaker half-opens (epoch ms). */
  halfOpenAt: number | undefined;
  /** True while half-open and the fleet's probe is not this process's (claim pending or lost): no probe goes from here. */
  probeElsewhere: boolean;
  /** Whether the last failure recorded had an HTTP answer (a timed-out probe counts as none). */
  lastFailureAnswered: boolean;
}

/** Stops an opossum breaker for good: no more events, no timers. */
function retire(breaker: Breaker): void {
  breaker.removeAllListeners();
  breaker.shutdown();
}

/** The breakers of one handle. */
export class BreakerRegistry {
  private readonly breakers: LruMap<string, EndpointBreaker>;
  /** Endpoints isolated by hand: refused until `reset`, whatever their breaker says (never evicted). */
  private readonly isolated = new Set<string>();
  /** The fleet store's side of the breakers, when the handle has a store. */
  fleet: BreakerFleetHooks | undefined;

  /**
   * @param random the handle's random source: the jitter of each open spell's wait
   * @param now the clock of `halfOpenAt` (epoch ms)
   */
  constructor(
    private readonly settings: BreakerSettings,
    private readonly emitter: PolicyEmitter,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.breakers = new LruMap(settings.maxEndpoints, (_endpoint, entry) => {
      clearTimeout(entry.probeTimer);
      retire(entry.breaker);
    });
  }

  /** Emits a state change, unless the endpoint is isolated (its state is `open` until reset, whatever opossum does). */
  private emitState(name: 'circuitOpen' | 'circuitHalfOpen' | 'circuitClose', endpoint: string): void {
    if (this.isolated.size !== 0 && this.isolated.has(endpoint)) return;
    this.emitter.emit(name, { endpoint });
  }

  /**
   * An opossum breaker wired to `entry`'s bookkeeping and the handle's events: closed with an empty
   * window, or, with `spellWaitMs`, open for one spell that half-opens after that many ms.
   */
  private newBreaker(endpoint: string, entry: Omit<EndpointBreaker, 'breaker'> & { breaker?: Breaker }, spellWaitMs?: number): Breaker {
    const spell = spellWaitMs !== undefined;
    const options: BreakerConstruction = {
      // A fresh options object per breaker: opossum mutates the one it is given.
      timeout: false,
      errorThresholdPercentage: this.settings.errorThresholdPercentage,
      volumeThreshold: this.settings.volumeThreshold,
      // A closed breaker is replaced as it opens: its own resetTimeout never runs to the end.
      resetTimeout: spellWaitMs ?? this.settings.resetTimeoutMs,
      rollingCountTimeout: this.settings.rollingWindowMs,
      rollingCountBuckets: BUCKETS,
      rotateBucketController: entry.rotate,
      enableSnapshots: false,
      // opossum works out the error percentage on every failure; with latency percentiles on, that
      // copies and sorts every latency of the window (100,000 after 10 s at 10,000 req/s: ~10 ms of
      // event loop per failure, at the onset of an outage). Nothing here reads the percentiles.
      rollingPercentilesEnabled: false,
    };
    // Constructed open, opossum starts the spell's reset timer itself (before any listener below).
    if (spell) options.state = { closed: false, open: true, halfOpen: false };
    const breaker: Breaker = new CircuitBreaker(replayVerdict, options);
    const endProbe = (): void => {
      entry.probe = undefined;
      clearTimeout(entry.probeTimer);
      entry.probeTimer = undefined;
    };
    breaker.on('open', () => {
      endProbe();
      const current = entry as EndpointBreaker;
      if (current.breaker !== breaker) return;
      // A spell's breaker re-opens when its probe failed (or timed out): the next spell waits longer.
      if (spell) current.interval.grow();
      const waitMs = jitteredWait(current.interval.current, this.random);
      this.startSpell(endpoint, current, waitMs);
      this.emitState('circuitOpen', endpoint);
      this.fleet?.opened(endpoint, waitMs, current.interval.current, current.lastFailureAnswered);
    });
    breaker.on('halfOpen', () => {
      endProbe();
      entry.halfOpenAt = undefined;
      this.emitState('circuitHalfOpen', endpoint);
      if (this.fleet !== undefined && !this.isolated.has(endpoint)) {
        entry.probeElsewhere = true;
        this.fleet.halfOpened(endpoint);
      }
    });
    breaker.on('close', () => {
      endProbe();
      const current = entry as EndpointBreaker;
      if (current.breaker === breaker) this.renew(endpoint, current);
      this.emitState('circuitClose', endpoint);
      this.fleet?.closed(endpoint);
    });
    return breaker;
  }

  /** Starts an open spell of `waitMs`: the spell's own breaker, constructed open. */
  private startSpell(endpoint: string, entry: EndpointBreaker, waitMs: number): void {
    retire(entry.breaker);
    entry.probeElsewhere = false;
    entry.halfOpenAt = this.now() + waitMs;
    entry.breaker = this.newBreaker(endpoint, entry, waitMs);
  }

  /** Gives the endpoint a fresh closed breaker: empty window, no streak, no probe, the first interval again. */
  private renew(endpoint: string, entry: EndpointBreaker): void {
    entry.probe = undefined;
    clearTimeout(entry.probeTimer);
    entry.probeTimer = undefined;
    entry.streak.reset();
    entry.window.reset();
    entry.interval.reset();
    entry.halfOpenAt = undefined;
    entry.probeElsewhere = false;
    retire(entry.breaker);
    entry.breaker = this.newBreaker(endpoint, entry);
  }

  private entry(endpoint: string): EndpointBreaker {
    const existing = this.breakers.get(endpoint);
    if (existing !== undefined) return existing;
    const parts = {
      rotate: new EventEmitter(),
      probe: undefined,
      probeTimer: undefined,
      streak: new ConsecutiveRule(this.settings.consecutiveFailures),
      window: new RollingWindow(this.settings.rollingWindowMs, BUCKETS, this.settings.volumeThreshold, this.settings.errorThresholdPercentage),
      closedTicket: { endpoint, probe: false },
      interval: new OpenInterval(this.settings.firstResetTimeoutMs, this.settings.resetTimeoutMs),
      halfOpenAt: undefined,
      probeElsewhere: false,
      lastFailureAnswered: true,
    };
    const entry: EndpointBreaker = Object.assign(parts, { breaker: this.newBreaker(endpoint, parts) });
    this.breakers.set(endpoint, entry);
    return entry;
  }

  /**
   * Asks to send a request to `endpoint`.
   * @param probeTimeoutMs how long a half-open probe may take before it counts as a failure
   *   (the attempt's own timeout; a probe that hangs must not keep the endpoint shut forever)
   * @returns a ticket, or `undefined` when the breaker refuses (open, isolated, or half-open with its probe in flight)
   */
  gate(endpoint: string, probeTimeoutMs: number): BreakerTicket | undefined {
    if (this.isolated.size !== 0 && this.isolated.has(endpoint)) return undefined;
    const entry = this.entry(endpoint);
    const { breaker } = entry;
    if (breaker.opened) return undefined;
    if (breaker.halfOpen) {
      if (entry.probe !== undefined || entry.probeElsewhere) return undefined;
      const probe: BreakerTicket = { endpoint, probe: true };
      entry.probe = probe;
      entry.probeTimer = setTimeout(() => {
        if (entry.probe !== probe || !breaker.halfOpen) return;
        entry.lastFailureAnswered = false;
        breaker.open();
      }, probeTimeoutMs);
      // The timer guards the endpoint, not the process: it never keeps Node alive.
      (entry.probeTimer as { unref?: () => void }).unref?.();
      return probe;
    }
    return entry.closedTicket;
  }

  /**
   * Records how a request let through by `gate()` went (`answered`: false for a failure with no
   * HTTP answer, a network error or a timeout). `neither` outcomes leave
   * the statistics alone. A failure resolves once opossum has counted it (and
   * opened the breaker if it should), so the caller's next decision sees the new
   * state; successes are recorded without waiting (the success path stays cheap).
   */
  record(ticket: BreakerTicket, verdict: BreakerVerdict, answered = true): Promise<void> | undefined {
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
      if (this.fleet !== undefined && entry.streak.count !== 0) this.fleet.streak(ticket.endpoint, 0);
      entry.streak.success();
      // The probe's success goes to opossum, which closes the breaker; a closed one's is counted here.
      if (isProbe) void breaker.fire('success').then(ignore, ignore);
      else entry.window.success(this.now());
      return undefined;
    }
    const streakReached = entry.streak.failure();
    entry.lastFailureAnswered = answered;
    // The probe's failure goes to opossum, which re-opens the breaker for a longer spell (and tells the
    // fleet so). It is no run of failures for the fleet to sum: a sum that reached the threshold opened
    // the fleet's breaker again for the first interval, shorter than the spell the probe's failure earned.
    if (isProbe) return breaker.fire('failure').then(ignore, ignore);
    // The fleet sums runs of failures the endpoint answered: a timeout or a reset may be this
    // process's own trouble (a starved event loop), and it still counts here and opens this breaker.
    if (answered) this.fleet?.streak(ticket.endpoint, entry.streak.count);
    // Closed: the streak or the window's percentage opens it, before the caller decides its next step.
    if ((entry.window.failure(this.now()) || streakReached) && !breaker.isShutdown) breaker.open();
    return undefined;
  }

  /**
   * Takes up a breaker the fleet opened: open for `waitMs` (at most `resetTimeoutMs`), with the
   * interval the fleet reached, then half-open as any other. Emits `circuitOpen` unless it was open.
   * Nothing is told back to the fleet.
   */
  applyOpen(endpoint: string, waitMs: number, intervalMs: number): void {
    const entry = this.entry(endpoint);
    const wasOpen = entry.breaker.opened;
    entry.interval.restore(intervalMs);
    this.startSpell(endpoint, entry, Math.max(1, Math.min(Math.round(waitMs), this.settings.resetTimeoutMs)));
    if (!wasOpen) this.emitState('circuitOpen', endpoint);
  }

  /** Takes up a close the fleet made (another process's probe succeeded). Emits `circuitClose` when it was open or half-open. */
  applyClose(endpoint: string): void {
    const entry = this.breakers.peek(endpoint);
    if (entry === undefined || !(entry.breaker.opened || entry.breaker.halfOpen)) return;
    this.renew(endpoint, entry);
    this.emitState('circuitClose', endpoint);
  }

  /**
   * Lets a half-open breaker send its probe from here (this process won the fleet's probe, or the
   * store could not answer). Nothing changes when it is not half-open any more.
   */
  allowProbe(endpoint: string): void {
    const entry = this.breakers.peek(endpoint);
    if (entry !== undefined) entry.probeElsewhere = false;
  }

  /** True while the endpoint's breaker is half-open with no probe of its own let through yet (a fleet's probe claim may be made). */
  awaitsProbe(endpoint: string): boolean {
    const entry = this.breakers.peek(endpoint);
    return entry !== undefined && entry.breaker.halfOpen && entry.probe === undefined;
  }

  /** True when the endpoint's breaker is open (not half-open) or isolated: a retry there would be refused. */
  isOpen(endpoint: string): boolean {
    if (this.isolated.size !== 0 && this.isolated.has(endpoint)) return true;
    return this.breakers.peek(endpoint)?.breaker.opened === true;
  }

  /** Breakers currently held. */
  get size(): number {
    return this.breakers.size;
  }

  /** The state of an endpoint's breaker, for observability (an isolated endpoint is `open`). */
  state(endpoint: string): 'closed' | 'open' | 'halfOpen' | undefined {
    if (this.isolated.size !== 0 && this.isolated.has(endpoint)) return 'open';
    const breaker = this.breakers.peek(endpoint)?.breaker;
    if (breaker === undefined) return undefined;
    if (breaker.halfOpen) return 'halfOpen';
    return breaker.opened ? 'open' : 'closed';
  }

  /**
   * Opens the endpoint's breaker by hand until `reset`: no probe, every call refused. Emits
   * `circuitOpen` when it was not open already.
   * @returns false when `maxEndpoints` endpoints are isolated already (then nothing changed)
   */
  isolate(endpoint: string): boolean {
    if (this.isolated.has(endpoint)) return true;
    if (this.isolated.size >= this.settings.maxEndpoints) return false;
    const before = this.state(endpoint);
    const entry = this.breakers.peek(endpoint);
    // Its opossum breaker starts afresh and stays out of the way (no spell timer) while isolated.
    if (entry !== undefined) this.renew(endpoint, entry);
    this.isolated.add(endpoint);
    if (before !== 'open') this.emitter.emit('circuitOpen', { endpoint });
    return true;
  }

  /**
   * Closes the endpoint's breaker by hand (isolated or not): a clean window, no streak, the first
   * interval again. Emits `circuitClose` when it was open or half-open.
   */
  reset(endpoint: string): void {
    const before = this.state(endpoint);
    const wasIsolated = this.isolated.delete(endpoint);
    const entry = wasIsolated ? this.entry(endpoint) : this.breakers.peek(endpoint);
    if (entry !== undefined) this.renew(endpoint, entry);
    if (before === 'open' || before === 'halfOpen') this.emitter.emit('circuitClose', { endpoint });
  }

  /** The endpoints whose breaker refuses calls now, least recently used first, then the isolated ones. */
  records(): BreakerRecord[] {
    const records: BreakerRecord[] = [];
    for (const entry of this.breakers.values()) {
      const { endpoint } = entry.closedTicket;
      if (entry.halfOpenAt === undefined || !entry.breaker.opened || this.isolated.has(endpoint)) continue;
      records.push({ endpoint, state: 'open', halfOpenAt: entry.halfOpenAt, intervalMs: entry.interval.current });
    }
    for (const endpoint of this.isolated) records.push({ endpoint, state: 'isolated' });
    return records;
  }

  /**
   * Takes up breakers a snapshot kept, without events: an open one stays open for what is left of its
   * wait (at most `resetTimeoutMs`) and then half-opens as any other; one whose wait is over by
   * now is left closed. Later records win over earlier ones for the same endpoint.
   */
  restore(records: readonly BreakerRecord[]): void {
    const now = this.now();
    for (const record of records) {
      if (record.state === 'isolated') {
        if (this.isolated.size < this.settings.maxEndpoints) this.isolated.add(record.endpoint);
        continue;
      }
      const remainingMs = record.halfOpenAt - now;
      if (!(remainingMs >= 1)) continue;
      const entry = this.entry(record.endpoint);
      entry.interval.restore(record.intervalMs);
      this.startSpell(record.endpoint, entry, Math.min(Math.round(remainingMs), this.settings.resetTimeoutMs));
    }
  }

  /** Shuts every breaker down (timers, listeners) and forgets them. */
  shutdown(): void {
    for (const { breaker, probeTimer } of this.breakers.values()) {
      clearTimeout(probeTimer);
      retire(breaker);
    }
    this.breakers.clear();
    this.isolated.clear();
  }
}
