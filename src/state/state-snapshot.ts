/**
 * The learned state of a handle as plain JSON (`handle.snapshot()`), and what
 * `attachObsPolicies(instance, { initialState })` starts from: open and
 * isolated breakers, paces, remembered 301s and the clock offset, so a
 * restarted or short-lived process starts from what the last one learned.
 * The format is versioned; see docs/breaker.md.
 */
import type { OperationClass } from '../throttle/operation-class.js';

/** The format version `snapshot()` writes and `initialState` reads. */
export const STATE_VERSION = 1;

/**
 * An endpoint whose breaker refused calls when the snapshot was taken: `open` until `halfOpenAt`
 * (epoch ms; then one probe), with the open interval it had reached (`intervalMs`, the wait that
 * doubles while probes fail), or `isolated` by hand until `reset`. Half-open breakers are not kept:
 * their wait was over.
 */
export type ObsBreakerState =
  | {
      /** The endpoint's origin, `protocol://host[:port]`, as `breakerState` reads it. */
      endpoint: string;
      /** Open: refusing calls until `halfOpenAt`. */
      state: 'open';
      /** When the breaker half-opens, epoch ms. */
      halfOpenAt: number;
      /** The open interval the breaker had reached, ms. */
      intervalMs: number;
    }
  | {
      /** The endpoint's origin, `protocol://host[:port]`. */
      endpoint: string;
      /** Isolated by hand (`handle.isolate`): refusing calls until `handle.reset`. */
      state: 'isolated';
    };

/** The pace of one operation class of an endpoint. */
export interface ObsPaceState {
  /** The endpoint's origin, `protocol://host[:port]`. */
  endpoint: string;
  /** The operation class paced. */
  class: OperationClass;
  /** Requests per second. */
  ratePerSec: number;
}

/** A remembered 301: calls in `from` go to the origin `to`. */
export interface ObsRedirectState {
  /** An origin (virtual-hosted bucket), or an origin and `/<bucket>` (path-style endpoint). */
  from: string;
  /** The origin calls go to instead. */
  to: string;
}

/** A handle's learned state, JSON-serialisable: what `handle.snapshot()` returns and `initialState` takes. */
export interface ObsPolicyState {
  /** The format version: 1. */
  version: typeof STATE_VERSION;
  /** When the snapshot was taken, epoch ms. */
  takenAt: number;
  /** Open and isolated breakers, least recently used first. */
  breakers: ObsBreakerState[];
  /** Paced endpoints and classes, least recently used endpoint first. */
  paces: ObsPaceState[];
  /** Remembered 301s, least recently used first. */
  redirects: ObsRedirectState[];
  /** Server time minus local time, ms (0 when never learned). */
  clockOffsetMs: number;
}
