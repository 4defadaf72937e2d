/**
 * The handle's side of a fleet store: what this process learns goes to the
 * store (breakers opened and closed, runs of failures, pace windows,
 * `Retry-After` pauses, remembered 301s, the server's clock), and what other
 * processes learned comes back as news and is taken up by the breakers,
 * pacers, redirects and clock of this handle.
 *
 * Fail-open: no call ever waits for the store. Every store operation is sent
 * after the fact and its answer applied when it comes; a half-open breaker
 * asks for the fleet's one probe as it half-opens, and sends it itself when
 * the store cannot answer. While the store is down (its own health report),
 * the handle learns alone exactly as without a store (`storeDown`), and when
 * it answers again the handle takes up the fleet's state (`storeUp`).
 */
import type { BreakerFleetHooks, BreakerRegistry } from '../breaker/breaker-registry.js';
import { jitteredWait } from '../breaker/open-interval.js';
import type { PermanentRedirects, RememberedRedirect } from '../redirect/permanent-redirects.js';
import { escapeControls } from '../redact/escape-controls.js';
import type { PolicyEmitter } from '../reporting/emitter.js';
import type { OperationClass } from '../throttle/operation-class.js';
import type { PaceWindow } from '../throttle/pace-estimator.js';
import type { ThrottleFleetHooks, ThrottleRegistry } from '../throttle/throttle-registry.js';
import type { FleetNews, FleetPace, FleetState, FleetStoreFault, ObsFleetStore } from './fleet-store.js';
import { guarded, type GuardedFleetStore } from './guarded-store.js';
import { LatestOnly } from './latest-only.js';
import { fleetVerdict } from './fleet-verdict.js';
import { liveMsOf } from './liveness.js';
import { newsOf, openBreakerOf, paceOf } from './fleet-items.js';
import { paceJudgeOf } from './pace-items.js';
import { RequestTarget } from '../transport/request-target.js';
import { MAX_TIMER_DELAY_MS } from '../util/timer-limit.js';

/**
 * The fleet's first window (no pace yet) lasts at least this many windows. Processes join the live
 * count as they report, and a store that restarted empty hears from them over a second or so (each
 * reconnects on its own schedule, then reports after its next 20 answers). Judged after one window, a
 * first verdict sets the pace at what the few processes live by then got through (7 of 32: 133 req/s
 * under a 1,000 req/s limit), and shared among all 32 that holds the fleet near 300 req/s for
 * seconds. Until the verdict, each process paces itself from its own windows.
 */
const FIRST_WINDOWS = 4;

/** How long a won probe claim holds before another process may claim the probe, ms. */
const PROBE_CLAIM_MS = 2000;

/** What the sync needs of the handle. */
export interface FleetParts {
  readonly breakers: BreakerRegistry | undefined;
  readonly throttle: ThrottleRegistry | undefined;
  readonly redirects: PermanentRedirects;
  readonly emitter: PolicyEmitter;
  /** The breaker knobs the fleet's rules use. */
  readonly breaker: { consecutiveFailures: number; firstResetTimeoutMs: number; rollingWindowMs: number } | undefined;
  /** The pace knobs the fleet's estimator uses. */
  readonly throttleSettings: { minRatePerSec: number; windowMs: number; minSamples: number } | undefined;
  /** Whether a remembered 301 from the fleet may be taken up under this handle's redirect settings. */
  redirectAllowed(redirect: RememberedRedirect): boolean;
  /** Sets the handle's clock offset (server minus local, ms). */
  setClockOffset(offsetMs: number): void;
  readonly random: () => number;
  readonly now: () => number;
}

/** The longest store `detail` an event carries, characters. */
const MAX_DETAIL_LENGTH = 200;

/** Records of each kind taken up from a loaded state at most (the handle's own caps bound what is kept). */
const MAX_STATE_RECORDS = 1000;

/** The sync between one handle and a fleet store. */
export class FleetSync {
  /** This process, as the store knows it. */
  readonly processId: string;
  private down = false;
  private downSince = 0;
  private stopped = false;
  /** The store's clock minus ours, once measured. */
  private storeMinusLocalMs: number | undefined;
  /** Timers that claim a probe again after another process's claim lapsed. */
  private readonly claimTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** One streak report in flight per endpoint; later runs wait and only the newest goes. */
  private readonly streaks = new LatestOnly<number>();

  /** The store, each operation guarded: one that throws instead of rejecting rejects, and one that never settles rejects after `GUARD_MS`. */
  private readonly store: GuardedFleetStore;

  constructor(
    store: ObsFleetStore,
    private readonly parts: FleetParts,
  ) {
    this.processId = newProcessId(parts.random);
    this.store = guarded(store);
  }

  /** Hooks the breakers and pacers up and connects to the store. */
  start(): void {
    const { breakers, throttle } = this.parts;
    if (breakers !== undefined) breakers.fleet = this.breakerHooks();
    if (throttle !== undefined) throttle.fleet = this.throttleHooks();
    this.store.connect({
      news: (given) => {
        // A store is trusted for nothing: a news item that is not a valid one is dropped.
        const news = newsOf(given);
        if (news !== undefined && !this.stopped && news.origin !== this.processId) this.takeNews(news);
      },
      health: (fault, detail) => {
        this.health(fault, detail);
      },
    });
    this.join();
  }

  /**
   * Disconnects (detach): no more news, no more reports. The paces this process counts as live for
   * are left first, so the others take its share up at once (a store answers them before it closes).
   */
  stop(): void {
    if (this.connected) for (const { endpoint, cls } of this.parts.throttle?.joinedFleet() ?? []) settle(this.store.leave(endpoint, cls, this.processId));
    this.stopped = true;
    for (const timer of this.claimTimers.values()) clearTimeout(timer);
    this.claimTimers.clear();
    this.store.disconnect();
  }

  /** True while the store answers (as far as the store's own health reports tell). */
  get connected(): boolean {
    return !this.down && !this.stopped;
  }

  /** A 301 was remembered here. */
  redirectLearned(redirect: RememberedRedirect): void {
    if (this.connected) settle(this.store.redirect({ from: redirect.from, to: redirect.to }, this.processId));
  }

  /** A RequestTimeTooSkewed answer taught this process the server's clock (server minus local, ms). */
  clockLearned(offsetMs: number): void {
    if (this.connected && this.storeMinusLocalMs !== undefined) settle(this.store.clock(offsetMs - this.storeMinusLocalMs, this.processId));
  }

  private health(fault: FleetStoreFault | undefined, detail: unknown): void {
    if (this.stopped) return;
    if (fault !== undefined) {
      if (this.down) return;
      this.down = true;
      this.downSince = this.parts.now();
      // What a store says is shown as it is only when it is one of the three faults and a short, escaped text.
      const known = fault === 'timeout' || fault === 'closed' ? fault : 'error';
      const text = typeof detail === 'string' ? escapeControls(detail.slice(0, MAX_DETAIL_LENGTH)) : '';
      this.parts.emitter.emit('storeDown', { fault: known, detail: text });
      return;
    }
    if (!this.down) return;
    this.down = false;
    this.parts.emitter.emit('storeUp', { downMs: Math.max(0, this.parts.now() - this.downSince) });
    this.join();
  }

  /** Takes up the fleet's state: on connect, and each time the store answers again. */
  private join(): void {
    settle(
      this.store.storeMinusLocalMs().then(async (storeMinusLocalMs) => {
        this.storeMinusLocalMs = storeMinusLocalMs;
        const state = await this.store.load();
        if (!this.stopped) this.takeState(state);
      }),
    );
  }

  /** Takes up the fleet's state; each record is checked as a news item (a bad one is skipped). */
  private takeState(state: FleetState): void {
    const listed = (items: unknown): unknown[] => (Array.isArray(items) ? items.slice(0, MAX_STATE_RECORDS) : []);
    const fields = state as Partial<FleetState> | null | undefined;
    const records: unknown[] = [
      ...listed(fields?.breakers).map((breaker) => ({ ...(breaker as object), kind: 'open' })),
      ...listed(fields?.paces).map((pace) => ({ ...(pace as object), kind: 'pace' })),
      ...listed(fields?.holds).map((hold) => ({ ...(hold as object), kind: 'hold' })),
      ...listed(fields?.redirects).map((redirect) => ({ ...(redirect as object), kind: 'redirect' })),
      { kind: 'clock', serverMinusStoreMs: fields?.serverMinusStoreMs },
    ];
    for (const record of records) {
      const news = newsOf({ ...(record as object), origin: 'fleet' });
      if (news !== undefined) this.takeNews(news);
    }
  }

  /** Takes up one valid news item: endpoints that are not origins as requests name them are ignored. */
  private takeNews(news: FleetNews): void {
    if ('endpoint' in news && RequestTarget.parse(news.endpoint)?.origin !== news.endpoint) return;
    const { breakers, throttle } = this.parts;
    switch (news.kind) {
      case 'open':
        breakers?.applyOpen(news.endpoint, news.waitMs, news.intervalMs);
        return;
      case 'close':
        breakers?.applyClose(news.endpoint);
        return;
      case 'pace':
        this.followPace(news);
        return;
      case 'hold':
        throttle?.pause(news.endpoint, news.class, news.pauseMs);
        return;
      case 'redirect':
        if (this.parts.redirectAllowed(news)) this.parts.redirects.restore({ from: news.from, to: news.to });
        return;
      case 'clock':
        if (this.storeMinusLocalMs !== undefined) this.parts.setClockOffset(news.serverMinusStoreMs + this.storeMinusLocalMs);
        return;
    }
  }

  /** Paces this process at its share of the fleet's pace (among `sharedAmong` processes when the store says so). */
  private followPace(pace: FleetPace): void {
    const among = Math.max(1, pace.live, pace.sharedAmong ?? 1);
    const share = pace.fleetRatePerSec === null ? null : Math.round((pace.fleetRatePerSec / among) * 10) / 10;
    this.parts.throttle?.follow(pace.endpoint, pace.class, share === null ? null : Math.max(0.1, share), pace.fleetRatePerSec);
  }

  private breakerHooks(): BreakerFleetHooks {
    return {
      opened: (endpoint, waitMs, intervalMs, answered) => {
        // Opened by failures with no answer (timeouts, resets): maybe this process's own trouble, not shared.
        if (answered && this.connected) settle(this.store.open({ endpoint, waitMs, intervalMs }, this.processId));
      },
      closed: (endpoint) => {
        if (this.connected) settle(this.store.close(endpoint, this.processId));
      },
      halfOpened: (endpoint) => {
        this.claimProbe(endpoint);
      },
      streak: (endpoint, failuresInARow) => {
        if (this.connected) this.streaks.send(endpoint, failuresInARow, (run) => this.reportStreak(endpoint, run));
      },
    };
  }

  private reportStreak(endpoint: string, failuresInARow: number): Promise<void> {
    const rules = this.parts.breaker;
    if (rules === undefined || !this.connected) return Promise.resolve();
    const intervalMs = rules.firstResetTimeoutMs;
    const waitMs = jitteredWait(intervalMs, this.parts.random);
    return this.store.reportStreak(endpoint, this.processId, failuresInARow, rules.consecutiveFailures, waitMs, intervalMs, rules.rollingWindowMs).then(
      (answer) => {
        const opened = openBreakerOf((answer as Partial<typeof answer> | null | undefined)?.opened);
        if (opened !== undefined && !this.stopped) this.parts.breakers?.applyOpen(endpoint, opened.waitMs, opened.intervalMs);
      },
      () => undefined,
    );
  }

  /** Claims the fleet's probe for a half-open breaker; sends it from here when won or when the store cannot answer. */
  private claimProbe(endpoint: string): void {
    const breakers = this.parts.breakers;
    if (breakers === undefined) return;
    if (!this.connected) {
      breakers.allowProbe(endpoint);
      return;
    }
    this.store.claimProbe(endpoint, this.processId, PROBE_CLAIM_MS).then(
      (won: unknown) => {
        if (this.stopped) return;
        // Anything but a plain `false` (a store's garbage included) lets the probe go from here: fail-open.
        if (won !== false) {
          breakers.allowProbe(endpoint);
          return;
        }
        // Another process probes. If neither its verdict nor a new claim comes before its claim lapses, claim again.
        clearTimeout(this.claimTimers.get(endpoint));
        const timer = setTimeout(() => {
          this.claimTimers.delete(endpoint);
          if (breakers.awaitsProbe(endpoint)) this.claimProbe(endpoint);
        }, PROBE_CLAIM_MS);
        (timer as { unref?: () => void }).unref?.();
        this.claimTimers.set(endpoint, timer);
      },
      () => {
        if (!this.stopped) breakers.allowProbe(endpoint);
      },
    );
  }

  private throttleHooks(): ThrottleFleetHooks {
    return {
      window: (endpoint, cls, window, joining) => {
        if (!this.connected || this.parts.throttleSettings === undefined) return false;
        settle(this.reportPace(endpoint, cls, window, joining));
        return true;
      },
      hold: (endpoint, cls, pauseMs) => {
        if (this.connected) settle(this.store.hold({ endpoint, class: cls, pauseMs }, this.processId));
      },
      idle: (endpoint, cls) => {
        if (this.connected) settle(this.store.leave(endpoint, cls, this.processId));
      },
    };
  }

  private async reportPace(endpoint: string, cls: OperationClass, window: PaceWindow, joining: boolean): Promise<void> {
    const settings = this.parts.throttleSettings;
    if (settings === undefined) return;
    const answer = await this.store.reportPace({
      endpoint,
      class: cls,
      processId: this.processId,
      window,
      windowMs: settings.windowMs,
      firstWindowMs: Math.min(MAX_TIMER_DELAY_MS, FIRST_WINDOWS * settings.windowMs),
      minSamples: settings.minSamples,
      liveMs: liveMsOf(settings.windowMs, this.parts.throttle?.rate(endpoint, cls) ?? null),
      ...(joining ? { joining } : {}),
    });
    const fields = answer as Partial<typeof answer> | null | undefined;
    const pace = paceOf(fields?.pace);
    if (this.stopped || pace?.endpoint !== endpoint || pace.class !== cls) return;
    const judge = paceJudgeOf(fields?.judge);
    if (judge === undefined) {
      // No fleet pace in a report's answer is no verdict (a store that restarted empty knows none): a
      // process keeps the pace it learned until the fleet's first verdict. A pace the fleet drops
      // comes as news, and with the fleet's state on (re)connect.
      if (pace.fleetRatePerSec !== null) this.followPace(pace);
      return;
    }
    const step = fleetVerdict(judge, settings.minRatePerSec, pace.live);
    // A verdict is for the processes live now: its news shares it among them, and so does this process.
    this.followPace({ endpoint, class: cls, fleetRatePerSec: step.state.ratePerSec, live: pace.live });
    await this.store.setPace(endpoint, cls, step.state, this.processId);
  }
}

/** Drops the outcome of a store operation sent after the fact (a failure only means the fleet does not hear of it). */
function settle(operation: Promise<unknown>): void {
  operation.then(
    () => undefined,
    () => undefined,
  );
}

/** A random id for this process's handle (no host name or pid: nothing that identifies the machine). */
function newProcessId(random: () => number): string {
  const uuid = (globalThis.crypto as { randomUUID?: () => string } | undefined)?.randomUUID?.();
  return uuid ?? `${Date.now().toString(36)}-${Math.floor(random() * 2 ** 48).toString(36)}`;
}
