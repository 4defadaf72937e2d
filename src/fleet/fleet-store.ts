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
  endpoint: string;
  /** ms left until the breaker half-opens. */
  waitMs: number;
  /** The open interval reached (doubles while probes fail). */
  intervalMs: number;
}

/** A fleet-wide pace of one operation class of an endpoint. */
export interface FleetPace {
  endpoint: string;
  class: OperationClass;
  /** The whole fleet's pace, requests per second (`null`: no longer paced). */
  fleetRatePerSec: number | null;
  /** Processes that sent requests of this class recently: each paces at its share, `fleetRatePerSec / live`. */
  live: number;
}

/** A fleet-wide `Retry-After` pause of one operation class of an endpoint. */
export interface FleetHold {
  endpoint: string;
  class: OperationClass;
  /** ms left of the pause. */
  pauseMs: number;
}

/** A remembered 301 (as `ObsRedirectState`). */
export interface FleetRedirect {
  from: string;
  to: string;
}

/** One change another process made, as pub/sub brings it. `origin` is the process that made it. */
export type FleetNews =
  | ({ kind: 'open'; origin: string } & FleetOpenBreaker)
  | { kind: 'close'; origin: string; endpoint: string }
  | ({ kind: 'pace'; origin: string } & FleetPace)
  | ({ kind: 'hold'; origin: string } & FleetHold)
  | ({ kind: 'redirect'; origin: string } & FleetRedirect)
  | { kind: 'clock'; origin: string; serverMinusStoreMs: number };

/** Everything the fleet holds now: what a process joining (or re-joining after an outage of the store) takes up. */
export interface FleetState {
  breakers: FleetOpenBreaker[];
  paces: FleetPace[];
  holds: FleetHold[];
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
  endpoint: string;
  class: OperationClass;
  /** The reporting process. */
  processId: string;
  /** What the process's window saw (`durationMs` is the process's own window length). */
  window: PaceWindow;
  /** How long a fleet window lasts before it is judged, ms. */
  windowMs: number;
  /** Answers a fleet window needs before it is judged. */
  minSamples: number;
  /** How long a process counts as live after its last report, ms. */
  liveMs: number;
}

/**
 * The answer to a pace report: the fleet's pace now, and, for the one process whose report closed a
 * fleet window, that window and the fleet's estimator state to judge it with (`nextPace`); that
 * process then writes the verdict with `setPace`.
 */
export interface FleetPaceAnswer {
  pace: FleetPace;
  judge: { window: PaceWindow; state: PaceState | undefined } | undefined;
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
  /** Starts (or lengthens) a fleet-wide `Retry-After` pause. */
  hold(hold: FleetHold, processId: string): Promise<void>;
  /** Remembers a 301 fleet-wide. */
  redirect(redirect: FleetRedirect, processId: string): Promise<void>;
  /** Records the OBS server's clock minus the store's. */
  clock(serverMinusStoreMs: number, processId: string): Promise<void>;
}
