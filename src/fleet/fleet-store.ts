/**
 * What a fleet store does for a handle: the contract between the handle's
 * fleet sync (`fleet-sync.ts`) and a store such as the Redis one
 * (`obs-axios-policies/redis`). Every operation is one atomic step on the
 * shared state, answered by a promise; a store that is down, slow past its
 * timeout or restarted rejects (never hangs), and the handle falls back to
 * what it learned alone. Changes made by one process reach the others as
 * `FleetNews` (pub/sub), so no call waits for the store on its way.
 *
 * Every duration here is relative (ms from when the store applied it), never
 * an epoch: processes on different machines do not share a clock.
 */
import type { OperationClass } from '../throttle/operation-class.js';
import type { PaceState, PaceWindow } from '../throttle/pace-estimator.js';

/** A fleet-wide open breaker: refusing calls for `waitMs` more, then one probe for the whole fleet. */
export interface FleetOpenBreaker {
  /** The endpoint's origin, `protocol://host[:port]`. */
  endpoint: string;
  /** ms left until the breaker half-opens. */
  waitMs: number;
  /** The open interval reached (doubles while probes fail). */
  intervalMs: number;
}

/** A fleet-wide pace of one operation class of an endpoint. */
export interface FleetPace {
  /** The endpoint's origin. */
  endpoint: string;
  /** The operation class paced. */
  class: OperationClass;
  /** The whole fleet's pace, requests per second (`null`: no longer paced). */
  fleetRatePerSec: number | null;
  /** Processes that sent requests of this class recently: each paces at its share, `fleetRatePerSec / live`. */
  live: number;
  /**
   * For a process the live count does not hold yet (it loaded the state, or its report just joined it):
   * the processes to share the pace among when more than `live`, the live count at the fleet's last
   * verdict (optional). A fleet that restarts finds its pace in the store and an empty live count; each
   * process that took the whole pace as its share sent at the fleet's pace until its first report.
   */
  sharedAmong?: number;
}

/** A fleet-wide `Retry-After` pause of one operation class of an endpoint. */
export interface FleetHold {
  /** The endpoint's origin. */
  endpoint: string;
  /** The operation class paused. */
  class: OperationClass;
  /** ms left of the pause. */
  pauseMs: number;
}

/** A remembered 301 (as `ObsRedirectState`). */
export interface FleetRedirect {
  /** An origin (virtual-hosted bucket), or an origin and `/<bucket>` (path-style endpoint). */
  from: string;
  /** The origin calls go to instead. */
  to: string;
}

/** What every news item carries. */
export interface FleetNewsBase<K extends string> {
  /** What changed. */
  kind: K;
  /** The process that changed it (a handle ignores its own news). */
  origin: string;
}

/** One change another process made, as pub/sub brings it. */
export type FleetNews =
  | (FleetNewsBase<'open'> & FleetOpenBreaker)
  | (FleetNewsBase<'close'> & {
      /** The endpoint whose breaker closed. */
      endpoint: string;
    })
  | (FleetNewsBase<'pace'> & FleetPace)
  | (FleetNewsBase<'hold'> & FleetHold)
  | (FleetNewsBase<'redirect'> & FleetRedirect)
  | (FleetNewsBase<'clock'> & {
      /** The OBS server's clock minus the store's, ms. */
      serverMinusStoreMs: number;
    });

/** Everything the fleet holds now: what a process joining (or re-joining after an outage of the store) takes up. */
export interface FleetState {
  /** Breakers open fleet-wide. */
  breakers: FleetOpenBreaker[];
  /** Paces of the fleet. */
  paces: FleetPace[];
  /** `Retry-After` pauses running. */
  holds: FleetHold[];
  /** Remembered 301s. */
  redirects: FleetRedirect[];
  /** The OBS server's clock minus the store's, ms (`undefined`: never learned). */
  serverMinusStoreMs: number | undefined;
}

/** The answer to a streak report: whether this report opened the breaker for the whole fleet. */
export interface FleetStreakAnswer {
  /** Set when the fleet's summed streak reached the threshold: the breaker is open fleet-wide now. */
  opened: FleetOpenBreaker | undefined;
}

/** What a process reports of one of its pacing windows. */
export interface FleetPaceReport {
  /** The endpoint's origin. */
  endpoint: string;
  /** The operation class of the window. */
  class: OperationClass;
  /** The reporting process. */
  processId: string;
  /** What the process's window saw (`durationMs` is the process's own window length). */
  window: PaceWindow;
  /** How long a fleet window lasts before it is judged, ms. */
  windowMs: number;
  /**
   * How long the fleet's first window lasts at least, ms, while the fleet has no pace (optional:
   * `windowMs` when absent). The processes of a fleet join its live count as they report, and the
   * first verdict sets the pace from nothing for the processes live then: judged early, it shares what
   * a few got through among all of them.
   */
  firstWindowMs?: number;
  /** Answers a fleet window needs before it is judged. */
  minSamples: number;
  /** How long a process counts as live after its last report, ms. */
  liveMs: number;
  /**
   * True for the report a process joins the fleet with, at its first throttled answer (optional): it
   * counts as live and its counts join the fleet's window, but its goodput, from a few answers, stays
   * out of the fleet's sum until its next report.
   */
  joining?: boolean;
}

/**
 * The answer to a pace report: the fleet's pace now, and, for the one process whose report closed a
 * fleet window, that window and the fleet's estimator state to judge it with (`nextPace`); that
 * process then writes the verdict with `setPace`.
 */
export interface FleetPaceAnswer {
  /** The fleet's pace of the class now, with the live processes. */
  pace: FleetPace;
  /** The fleet window this report closed, and the state to judge it with; `undefined` for every other report. */
  judge: FleetPaceJudge | undefined;
}

/** A fleet window to judge (see `FleetPaceAnswer`). */
export interface FleetPaceJudge {
  /** The fleet's window: every report's counts summed, and the live processes' goodput. */
  window: PaceWindow;
  /** The fleet's estimator state (`undefined`: not paced yet). */
  state: PaceState | undefined;
  /**
   * Live processes whose goodput the window sums (optional). Processes that joined the live count with
   * a joining report are not among them until their next report: the verdict reads the window's goodput
   * as these processes' mean times the live count.
   */
  reporters?: number;
  /**
   * The live processes when the window before this one was judged (optional): the fleet's pace is a
   * pace for that many. While the pace holds requests back, processes that joined since grow it in
   * step with them (each takes a share of it), no further than the window got through when anything
   * was throttled.
   */
  liveBefore?: number;
}

/** Why the store was given up on for now. */
export type FleetStoreFault = 'timeout' | 'error' | 'closed';

/** What a store tells the handle on its own. */
export interface FleetStoreListener {
  /** Another process changed the fleet's state. */
  news(news: FleetNews): void;
  /** The store stopped answering (`fault`), or answers again (`undefined`): then the handle re-loads the state. */
  health(fault: FleetStoreFault | undefined, detail: string): void;
}

/**
 * A store of fleet state. The handle calls `connect` once (at attach) and `disconnect` at detach;
 * every other method rejects within the store's timeout when the store cannot answer.
 */
export interface ObsFleetStore {
  /** Starts listening for news; the store reports its health to `listener`. Never throws. */
  connect(listener: FleetStoreListener): void;
  /** Stops listening; leaves the client the user passed open. Never throws. */
  disconnect(): void;
  /** The fleet's state now. */
  load(): Promise<FleetState>;
  /** The store's clock minus this process's clock, ms (from a round trip's midpoint). */
  storeMinusLocalMs(): Promise<number>;

  /**
   * Sets this process's run of failures in a row at `endpoint` (`0`: it succeeded since). When the
   * live runs of the fleet add up to `threshold` and the breaker is not open, opens it fleet-wide
   * for `waitMs` (news to the others).
   * @param staleMs how long a run counts after it was set (a process that died stops counting)
   */
  reportStreak(endpoint: string, processId: string, streak: number, threshold: number, waitMs: number, intervalMs: number, staleMs: number): Promise<FleetStreakAnswer>;
  /** Opens the breaker fleet-wide for `waitMs` (a local rule opened it, or a probe failed); clears the probe claim. */
  open(breaker: FleetOpenBreaker, processId: string): Promise<void>;
  /** Closes it fleet-wide (a probe succeeded, or `reset`): the runs, the probe claim and the open record go. */
  close(endpoint: string, processId: string): Promise<void>;
  /** Claims the fleet's one half-open probe for `ttlMs`. @returns true when this process won it */
  claimProbe(endpoint: string, processId: string, ttlMs: number): Promise<boolean>;

  /** Adds a process's window to the fleet's and marks the process live. */
  reportPace(report: FleetPaceReport): Promise<FleetPaceAnswer>;
  /** Writes the verdict on a fleet window: the estimator's state and the fleet's pace (news to the others). */
  setPace(endpoint: string, cls: OperationClass, state: PaceState, processId: string): Promise<void>;
  /**
   * Takes a process out of the live processes of a class of an endpoint (it stopped sending there):
   * the others' shares of the fleet's pace grow at once (a pace news item with the new count). Its
   * next `reportPace` counts it again. A store without it (optional) lets the process count until its
   * last report ages out.
   */
  leave?(endpoint: string, cls: OperationClass, processId: string): Promise<void>;
  /** Starts (or lengthens) a fleet-wide `Retry-After` pause. */
  hold(hold: FleetHold, processId: string): Promise<void>;
  /** Remembers a 301 fleet-wide. */
  redirect(redirect: FleetRedirect, processId: string): Promise<void>;
  /** Records the OBS server's clock minus the store's. */
  clock(serverMinusStoreMs: number, processId: string): Promise<void>;
}
