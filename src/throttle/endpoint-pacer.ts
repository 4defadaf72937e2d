/**
 * The pacing half, for one endpoint: a FIFO of requests waiting for their
 * slot, released at the learned rate (a virtual-clock scheduler: each release
 * books the next slot one interval later; a wake also releases the next request
 * when its slot is less than an interval away). Waiting happens before the adapter
 * is called, so a queued request holds no socket. While the endpoint is not
 * paced, `acquire()` returns at once without allocating anything.
 */
import { MAX_TIMER_DELAY_MS } from '../options/validate.js';
import type { SignalLike } from '../retry/wait.js';
import { fleetStep } from './fleet-step.js';
import { nextPace, unpacedState, type PaceCause, type PaceSettings, type PaceState, type PaceWindow } from './pace-estimator.js';

/** Why a wait for the pace ended without a slot: the call's signal aborted, or the slot comes past its deadline. */
export class PaceRefusal extends Error {
  constructor(readonly refused: 'aborted' | 'deadline') {
    super(`no pace slot: ${refused}`);
    this.name = 'PaceRefusal';
  }
}

interface Waiter {
  resolve: () => void;
  reject: (refusal: PaceRefusal) => void;
  deadline: number;
  /** The longest this request waits (its call's `retry.maxDelayMs`): it also bounds the pause it honours. */
  maxWaitMs: number;
  /** Removes the abort listener. */
  cleanup: () => void;
}

/** Settings of a pacer. */
export interface PacerSettings extends PaceSettings {
  /** Length of a learning window, ms. */
  windowMs: number;
  /** Answers a window needs before it is judged (a longer window is judged with fewer). */
  minSamples: number;
  /** Requests one wake may release at once (default {@link RELEASE_BATCH}; 1: one per slot, each on its own timer). */
  releaseBatch?: number;
}

/**
 * What a pacer tells a fleet store (`src/fleet/fleet-sync.ts`); only what it saw itself, never what
 * it took up from the fleet (`follow`, `pause`).
 */
export interface PacerFleetHooks {
  /**
   * A window of this pacer's answers ended: true when the fleet judges it (the pacer keeps its pace
   * until the fleet's verdict comes back through `follow`), false when the store cannot take it (the
   * pacer judges it alone).
   * @param joining true for a join: the pacer's first throttled answer while it did not count among the
   *   fleet's live processes. Its window is empty (the answers go with its next report) and says only
   *   how long the pacer has been counting.
   */
  window(window: PaceWindow, joining: boolean): boolean;
  /** A `Retry-After` paused this pacer for `pauseMs`. */
  hold(pauseMs: number): void;
  /**
   * This pacer reported to the fleet, then neither asked for a slot nor heard an answer for a while:
   * its process gives its share of the fleet's pace back (it joins again with its next report).
   */
  idle(): void;
}

/**
 * Answers a window holds before it goes to the fleet. The fleet judges the sum of every process's
 * windows (with `minSamples` of its own), so a process reports small windows, but never more than
 * one round trip to the store per this many answers (the fleet's verdicts, one per fleet window, come
 * on top: together they stay under one per ten requests).
 */
export const FLEET_REPORT_MIN = 20;

/**
 * Requests one wake of the process may release at once, unless the settings say otherwise: those whose
 * slot has come and the next one when its slot is less than an interval away. Sent one per slot, every
 * paced request costs a timer wake of its own besides its answer's. Paced at 200 req/s with 8 in flight,
 * one process spent about 1.2× the CPU per GET of the same GETs unpaced; released in pairs, half the
 * timer wakes, about 13 % less CPU per paced GET (medians of 7 alternating rounds; docs/fleet.md). The
 * pace over any span stays the same (slots are still booked one interval apart), and the most that goes
 * at once after an idle spell is two. Pairs rather than threes: in the
 * seeded simulation (test/throttle/pace-simulation.ts) threes drew more SlowDowns, pairs as many as one
 * per wake, and one process saved no more CPU with threes.
 */
export const RELEASE_BATCH = 2;
/**
 * How many ms of slots a release timer that fires late may make up for the
 * requests already waiting. Node's timers fire 1 ms late at best, later on a
 * busy event loop: at 2,000 req/s (a slot every 0.5 ms) the waiting requests
 * lost most of their slots, and the pace delivered about 1,500 req/s whatever
 * it was set to (the `--sweep` run: 1.26–1.43× the ideal time at 2,000 req/s).
 * Bounded, so an event loop stalled for a second does not release a flood.
 */
const CATCH_UP_MS = 10;

/** The idle watch looks at most this often, ms, however short the window (a 1 ms window would spin a timer). */
const MIN_IDLE_WATCH_MS = 25;

/** One endpoint's pace and queue. */
export class EndpointPacer {
  private state: PaceState = unpacedState();
  private readonly queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the release timer was due (epoch ms). */
  private timerDueAt = 0;
  /** The virtual time of the next free slot, epoch ms. */
  private nextSlot = 0;
  /** No request goes before this (a `Retry-After`, capped when it was recorded). */
  private resumeAt = 0;
  /**
   * When the last `Retry-After` was recorded (epoch ms). A request honours the pause for at most its own
   * `maxWaitMs` from then: the pause, like any one wait, is capped by the call's `maxDelayMs`.
   */
  private pausedAt = 0;
  private window: PaceWindow = { sent: 0, throttled: 0, waited: 0, durationMs: 0 };
  /**
   * Answers that got through (not throttled) in the window, whenever their request was sent: the
   * goodput a window reports to the fleet. The fleet sums each process's goodput; counting only
   * requests sent in the window misses those still in flight at its end, and the sum reads 10–20 %
   * below the limit (8 processes under 1,000 req/s: cuts to 840, then 800).
   */
  private delivered = 0;
  private windowStart: number;
  /** The fleet's pace this pacer last followed a share of (`null`: none). */
  private fleetRate: number | null = null;
  /** True from a window this pacer gave the fleet until it told the fleet it went idle. */
  private joined = false;
  /** A request asked for a slot or an answer came since the idle watch last looked. */
  private active = false;
  /** The last answer was throttled: its call probably waits in backoff to retry. */
  private lastThrottled = false;
  /** Looks for idleness every half window while `joined`. */
  private idleWatch: ReturnType<typeof setTimeout> | undefined;
  /** Requests one wake may release at once (see {@link RELEASE_BATCH}). */
  private readonly releaseBatch: number;

  /**
   * @param fleet the fleet store's side, when the handle has a store
   */
  constructor(
    private readonly settings: PacerSettings,
    private readonly onChange: (ratePerSec: number | null, cause: PaceCause | 'retryAfter' | 'fleet') => void,
    private readonly now: () => number = Date.now,
    private readonly fleet?: PacerFleetHooks,
  ) {
    this.windowStart = now();
    const batch = settings.releaseBatch ?? RELEASE_BATCH;
    this.releaseBatch = Number.isFinite(batch) ? Math.max(1, Math.floor(batch)) : RELEASE_BATCH;
  }

  /** Requests per second, or `null` when not paced. */
  get ratePerSec(): number | null {
    return this.state.ratePerSec;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  private get intervalMs(): number {
    const rate = this.state.ratePerSec;
    return rate === null ? 0 : 1000 / rate;
  }

  /** When the pause ends for a request that waits at most `maxWaitMs`. */
  private pauseEnd(maxWaitMs: number): number {
    return Math.min(this.resumeAt, this.pausedAt + maxWaitMs);
  }

  /**
   * The earliest slot a request may take at `now`: unused slots further back are gone,
   * except those a late release timer missed (`lateMs`, capped).
   */
  private earliestSlot(now: number, lateMs = 0): number {
    return Math.max(this.nextSlot, now - Math.min(Math.max(0, lateMs), CATCH_UP_MS));
  }

  /** How far ahead of its slot a request may go when a wake releases it (see {@link RELEASE_BATCH}). */
  private get lookAheadMs(): number {
    return (this.releaseBatch - 1) * this.intervalMs;
  }

  /**
   * Waits for this request's slot.
   * @param signal the call's abort signal
   * @param deadline epoch ms after which the request must not start (`Infinity`: none)
   * @param maxWaitMs the longest this request waits for its slot (the call's `retry.maxDelayMs`): past
   *   it, it goes anyway. The pace is advice; no estimate, right or wrong, may hold a call longer
   *   than one backoff wait could. A `Retry-After` pause holds it for at most `maxWaitMs` after the
   *   pause was recorded.
   * @returns `undefined` when the request may go now, else a promise of its slot
   *   (rejecting with a `PaceRefusal` when aborted or past the deadline)
   */
  acquire(signal: SignalLike | undefined, deadline: number, maxWaitMs: number = Number.POSITIVE_INFINITY): Promise<void> | undefined {
    const now = this.now();
    this.active = true;
    if (this.queue.length === 0 && now >= this.pauseEnd(maxWaitMs)) {
      if (this.state.ratePerSec === null) return undefined;
      const slot = this.earliestSlot(now);
      if (slot <= now + this.lookAheadMs) {
        this.nextSlot = slot + this.intervalMs;
        return undefined;
      }
    }
    if (signal?.aborted === true) return Promise.reject(new PaceRefusal('aborted'));
    // It goes after `maxWaitMs` at the latest, whatever the queue and the pause say.
    const expectedStart = Math.min(now + maxWaitMs, Math.max(this.pauseEnd(maxWaitMs), this.nextSlot, now) + this.queue.length * this.intervalMs);
    if (expectedStart > deadline) return Promise.reject(new PaceRefusal('deadline'));
    this.window.waited++;
    return new Promise<void>((resolve, reject) => {
      const leave = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        waiter.cleanup();
      };
      const onAbort = (): void => {
        leave();
        reject(new PaceRefusal('aborted'));
      };
      const giveWay = maxWaitMs <= MAX_TIMER_DELAY_MS
        ? setTimeout(() => {
            leave();
            resolve();
          }, maxWaitMs)
        : undefined;
      const waiter: Waiter = {
        resolve,
        reject,
        deadline,
        maxWaitMs,
        cleanup: () => {
          clearTimeout(giveWay);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.schedule();
    });
  }

  /** Releases the head of the queue when its slot comes, then books the next. */
  private schedule(): void {
    const head = this.queue[0];
    if (this.timer !== undefined || head === undefined) return;
    const now = this.now();
    const at = Math.max(this.pauseEnd(head.maxWaitMs), this.state.ratePerSec === null ? now : this.nextSlot, now);
    this.timerDueAt = at;
    // A slot further off than a timer can hold (a very low pace) is checked again when the timer fires.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.releaseDue();
    }, Math.min(at - now, MAX_TIMER_DELAY_MS));
  }

  private releaseDue(): void {
    const now = this.now();
    const lateMs = now - this.timerDueAt;
    for (let waiter = this.queue[0]; waiter !== undefined && now >= this.pauseEnd(waiter.maxWaitMs); waiter = this.queue[0]) {
      const paced = this.state.ratePerSec !== null;
      if (paced && this.nextSlot > now + this.lookAheadMs) break;
      this.queue.shift();
      waiter.cleanup();
      if (now > waiter.deadline) {
        waiter.reject(new PaceRefusal('deadline'));
        continue;
      }
      if (paced) this.nextSlot = this.earliestSlot(now, lateMs) + this.intervalMs;
      waiter.resolve();
    }
    this.schedule();
  }

  /**
   * Learns from one answer of this endpoint.
   * @param throttled true for SlowDown, ServiceUnavailable, 429, 408
   * @param retryAfterMs the answer's `Retry-After`, if any: nobody goes before it has passed, or
   *   before `maxPauseMs` has, whichever comes first
   * @param sentAt when the request was sent (epoch ms): a window only judges requests sent in it,
   *   so answers to requests sent at the old pace never blame the new one
   * @param maxPauseMs the cap of the pause a `Retry-After` starts (the answered call's `retry.maxDelayMs`);
   *   each waiting request also caps it by its own `maxWaitMs`
   */
  record(throttled: boolean, retryAfterMs: number | undefined, sentAt: number, maxPauseMs: number = Number.POSITIVE_INFINITY): void {
    const now = this.now();
    this.active = true;
    this.lastThrottled = throttled;
    // The answer that ends calls in backoff: the watch, stopped in their quiet spell, looks again.
    if (!throttled && this.joined) this.watchIdle();
    if (throttled && retryAfterMs !== undefined && retryAfterMs > 0 && maxPauseMs > 0) {
      // Every Retry-After restarts the cap's clock, so a short one after a long (capped) one is still honoured.
      this.pausedAt = now;
      const pauseMs = Math.min(retryAfterMs, maxPauseMs);
      if (now + pauseMs > this.resumeAt) {
        this.resumeAt = now + pauseMs;
        this.onChange(this.state.ratePerSec, 'retryAfter');
      }
      this.fleet?.hold(pauseMs);
    }
    if (!throttled) this.delivered++;
    const counted = sentAt >= this.windowStart;
    if (counted) {
      this.window.sent++;
      if (throttled) this.window.throttled++;
    }
    const elapsed = now - this.windowStart;
    const { windowMs, minSamples } = this.settings;
    // A throttled process joins the fleet's live count at its first throttled answer, whenever its request
    // was sent: the fleet divides its pace by that count, and a share taken while few had reported (a
    // report waits for 20 answers) let the fleet send at several times its pace. The join carries no
    // counts: they go with the window's report.
    if (this.fleet !== undefined && !this.joined && throttled && this.fleet.window({ sent: 0, throttled: 0, waited: 0, durationMs: elapsed }, true)) {
      this.joined = true;
      this.watchIdle();
    }
    if (!counted) return;
    // Until the fleet has a pace for this class (its first verdict, or after it dropped one), the pacer
    // also judges its windows alone, as a process without a store does: a process that waited for the
    // fleet's first verdict sent unpaced meanwhile, and at 32 processes' cold start calls ran out of retries.
    const alone = this.fleetRate === null;
    // A window waits for enough answers however long it takes: a verdict on a handful is noise.
    const judged = elapsed >= windowMs && this.window.sent >= minSamples;
    const full = alone ? judged : elapsed >= windowMs && this.window.sent >= FLEET_REPORT_MIN;
    if (this.fleet !== undefined && full) {
      const window: PaceWindow = { ...this.window, durationMs: elapsed, goodputPerSec: (this.delivered * 1000) / Math.max(1, elapsed) };
      if (this.fleet.window(window, false)) {
        this.joined = true;
        this.watchIdle();
        if (!alone) {
          this.restartWindow(now);
          return;
        }
      }
    }
    if (!judged) return;
    // Judged here, the goodput is what the requests sent in the window got through: in the seeded fleet
    // simulation (test/throttle/pace-simulation-fleet.ts), counting earlier requests' answers too leaves
    // some clients cut far below their share (24 seeds: 1.46× the ideal time at worst, against 1.18×).
    // A pacer that follows a fleet's pace and judges alone (its store cannot take the window) judges as the
    // fleet's verdicts do (`fleetStep`): every process lost the same store and judges in step with the
    // others, so each one's step is the fleet's. With its own rules (growth in quiet time, the probe, cuts
    // to 0.7×), 32 processes alone grew their shares up to 9.5× in one step; without the probe, the fleet
    // still drew 196–366 SlowDowns while Redis was down, against 50–104 (benchmark, Redis killed;
    // docs/fleet.md).
    const window: PaceWindow = { ...this.window, durationMs: elapsed };
    const step = this.fleetRate === null ? nextPace(this.state, window, this.settings) : fleetStep(this.state, window, this.settings.minRatePerSec);
    this.state = step.state;
    this.restartWindow(now);
    if (step.change !== undefined) {
      // A new pace starts from now: earlier bookings at the old pace do not carry over.
      this.nextSlot = Math.min(this.nextSlot, now);
      this.onChange(step.change.ratePerSec, step.change.cause);
      this.reschedule();
    }
  }

  private restartWindow(now: number): void {
    this.window = { sent: 0, throttled: 0, waited: 0, durationMs: 0 };
    this.delivered = 0;
    this.windowStart = now;
  }

  private watchIdle(): void {
    if (this.idleWatch !== undefined) return;
    const watch = setTimeout(() => {
      this.idleWatch = undefined;
      this.checkIdle();
    }, Math.max(MIN_IDLE_WATCH_MS, this.settings.windowMs / 2));
    (watch as { unref?: () => void }).unref?.();
    this.idleWatch = watch;
  }

  private checkIdle(): void {
    // After a throttled answer, a quiet spell is calls in backoff, not a process done sending: it stays
    // in the fleet's live count (its liveness ages out if it sends no more), and the watch stops until
    // an answer gets through (`record`), so a process that went quiet throttled keeps no timer running.
    if (!this.joined || this.lastThrottled) return;
    if (this.active || this.queue.length > 0) {
      this.active = false;
      this.watchIdle();
      return;
    }
    // Nothing asked for a slot and nothing came back for a full half window: the share goes back to the fleet.
    this.joined = false;
    this.fleet?.idle();
  }

  /** Books the next release again after a change of pace or pause. */
  private reschedule(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.schedule();
  }

  /**
   * Takes up this process's share of the fleet's pace (`null`: the fleet dropped the pace). The
   * estimator starts from it, so if the store goes away the pacer goes on learning from there.
   * Emits `rateChange` (cause `fleet`) when the rate changed.
   * @param fleetRatePerSec the fleet's pace the share is of: only a cut of it starts a new window (a
   *   share that shrinks because more processes are live is no verdict on the old pace). Without it,
   *   any lower rate counts as a cut.
   */
  follow(ratePerSec: number | null, fleetRatePerSec?: number | null): void {
    const before = this.state.ratePerSec;
    const fleetBefore = this.fleetRate;
    const cut =
      fleetRatePerSec === undefined
        ? ratePerSec !== null && (before === null || ratePerSec < before)
        : fleetRatePerSec !== null && (fleetBefore === null || fleetRatePerSec < fleetBefore);
    if (fleetRatePerSec !== undefined) this.fleetRate = fleetRatePerSec;
    this.state = ratePerSec === null ? { ...unpacedState(), noiseFloor: this.state.noiseFloor } : { ...unpacedState(), ratePerSec, learnedRate: ratePerSec };
    if (ratePerSec === before) return;
    if (cut) {
      // A cut: answers to requests sent at the old pace must not judge the new one (the fleet's next verdict).
      // Not at a smaller share of the same pace: every process that joins the fleet shrinks the shares,
      // and at 32 processes a window restarted at each would rarely collect a report's answers; the
      // process would drop out of the live count, and the others' shares would grow past the limit.
      this.restartWindow(this.now());
    }
    // Every process hears of a new fleet pace at once: each keeps its own slots' phase. Moved to now, the
    // next slot of all 32 processes came in the same millisecond at every verdict, more requests at once
    // than the server's burst.
    this.keepPhase(before);
    this.onChange(ratePerSec, 'fleet');
    this.reschedule();
  }

  /**
   * Books the next slot for a new pace from the last one taken: one new interval after it, or where the
   * old pace booked it if that is sooner.
   * @param before the old pace (`null`: none, and the next slot stays)
   */
  private keepPhase(before: number | null): void {
    const oldInterval = before === null ? 0 : 1000 / before;
    this.nextSlot = this.nextSlot - oldInterval + Math.min(oldInterval, this.intervalMs);
  }

  /** Takes up a `Retry-After` pause another process was given: nobody goes for `pauseMs` (each waiter for at most its own `maxWaitMs`). */
  pause(pauseMs: number): void {
    const now = this.now();
    if (!(pauseMs > 0) || now + pauseMs <= this.resumeAt) return;
    this.pausedAt = now;
    this.resumeAt = now + pauseMs;
    this.onChange(this.state.ratePerSec, 'retryAfter');
    this.reschedule();
  }

  /**
   * Takes up a pace learned elsewhere (a snapshot), as if throttling had just taught it: the
   * estimator's learned rate is that pace, and quiet windows grow it back as usual.
   */
  restore(ratePerSec: number): void {
    this.state = { ...unpacedState(), ratePerSec, learnedRate: ratePerSec };
  }

  /** True while this pacer counts among the fleet's live processes (it reported a window and has not left since). */
  get joinedFleet(): boolean {
    return this.joined;
  }

  /** True when the pacer holds nothing worth keeping: no pace, no queue, no pause. */
  get idle(): boolean {
    return this.state.ratePerSec === null && this.queue.length === 0 && this.now() >= this.resumeAt && this.state.noiseFloor < 0.001;
  }

  /** Lets every waiter go at once and stops the timer (detach: calls in flight finish their request). */
  releaseAll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearTimeout(this.idleWatch);
    this.idleWatch = undefined;
    this.joined = false;
    for (const waiter of this.queue.splice(0)) {
      waiter.cleanup();
      waiter.resolve();
    }
  }
}
