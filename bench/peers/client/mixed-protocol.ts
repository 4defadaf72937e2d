/**
 * What the parent asks a mixed-classes client process (`mixed-main.ts`) to
 * run, and what it reports: GETs of one object, alone or at the same time as
 * bucket listings, through one client.
 */
import type { JsonObject } from '../ipc/protocol.js';

/** The clients the mixed-classes scenario runs: bare axios, or axios with the policies attached. */
export type MixedClientKind = 'axios' | 'obs';

/** One run: a fresh client, GET lanes, and (mixed) listing lanes, all from `startAt`. */
export interface MixedRun {
  type: 'run';
  kind: MixedClientKind;
  /** `attachObsPolicies` options for `obs`. */
  options: JsonObject;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Absolute path of the built package, for `obs`. */
  distEntry: string;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** GETs of `/<bucket>/<key>` in `concurrency` lanes that call again at once. */
  get: { bucket: string; key: string; concurrency: number };
  /**
   * `calls` listings of `/<bucket>?list-type=2` in `concurrency` lanes; `null`: a GET-only run. With
   * `schedulePerSec` the bench paces them itself: listing k starts no earlier than k / schedulePerSec s
   * after the lanes' start; without it, a lane lists again as soon as its listing ends.
   */
  list: { bucket: string; calls: number; concurrency: number; schedulePerSec?: number } | null;
  /** Epoch ms when the lanes start. */
  startAt: number;
  /** A GET-only run's length; a mixed run's GETs stop when the last listing ends. */
  getForMs: number;
  /** Nothing starts after this long, and calls in flight are aborted at it. */
  deadlineMs: number;
  /** A sliced run instead of `calls` listings in one stretch (`list` required). */
  slices?: SliceSpec;
}

/**
 * A sliced run: the GET lanes read throughout, the listing lanes list only in
 * every other slice, in pairs ordered quiet–listing, listing–quiet,
 * quiet–listing … so that a machine that drifts during the run weighs on both
 * kinds of slice alike. The listings' `calls` do not apply: they list for as
 * long as their slices last.
 */
export interface SliceSpec {
  /** Reads alone before the first slice, not counted (the client warms up). */
  warmupMs: number;
  sliceMs: number;
  /** Pairs of one quiet and one listing slice. */
  pairs: number;
  /** The first ms of each slice are not counted (a listing in flight or queued at the turn ends in them). */
  settleMs: number;
}

/** What a sliced run counted. */
export interface SliceFigures {
  /** GETs ended in the counted part of each slice, and which slices listed. */
  getsBySlice: number[];
  listing: boolean[];
  /** Counted ms per slice. */
  countedMs: number;
}

/** What one kind of call came to. */
export interface LaneFigures {
  ok: number;
  failed: number;
  /** Failed calls by code (`SlowDown`, `HTTP_503`, `Aborted`, `NotStarted` …). */
  byCode: Record<string, number>;
  /** Epoch ms of the lanes' start and of the last call's end. */
  startedAt: number;
  endedAt: number;
}

/** The figures of one run. */
export interface MixedResult {
  get: LaneFigures;
  /** `null` for a GET-only run. */
  list: LaneFigures | null;
  /** A sliced run's counts. */
  slices?: SliceFigures;
}
