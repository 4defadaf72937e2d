/**
 * The names of the Redis fleet store's keys and channel. Every key starts with
 * the hash tag `{prefix}`, so the keys one script touches share a Cluster slot.
 * State of one endpoint and operation class is named by the member
 * `<class>:<endpoint>` (a class never holds a colon), which is also how the
 * index sets list it, so `load` finds every record without SCAN.
 */
import type { OperationClass } from '../throttle/operation-class.js';

/** Key and channel names of one prefix. */
export interface StoreKeys {
  /** The pub/sub channel of the news, `<prefix>:news`. */
  readonly channel: string;
  /** Start of an endpoint's open-breaker record (followed by the endpoint). */
  readonly openBase: string;
  /** Start of a pace record (followed by a member). */
  readonly paceBase: string;
  /** Start of a live-process set (followed by a member). */
  readonly liveBase: string;
  /** Start of a hold record (followed by a member). */
  readonly holdBase: string;
  /** Index: endpoints with an open record. */
  readonly breakers: string;
  /** Index: members with a pace record. */
  readonly paces: string;
  /** Index: members with a hold record. */
  readonly holds: string;
  /** Hash of the remembered redirects, from → to. */
  readonly redirects: string;
  /** Sorted set of the remembered redirects by the time they were set (for the cap). */
  readonly redirectOrder: string;
  /** The OBS server's clock minus the store's. */
  readonly clock: string;
  /** An endpoint's open-breaker record (its open interval, expiring when the breaker half-opens). */
  open(endpoint: string): string;
  /** An endpoint's probe claim (the claimant, expiring with the claim). */
  probe(endpoint: string): string;
  /** An endpoint's runs of failures, process → `run:set-time`. */
  streaks(endpoint: string): string;
  /** The fleet's pacing window of a member: start, sent, throttled, waited. */
  window(member: string): string;
  /** The processes live for a member, scored by when they stop counting. */
  live(member: string): string;
  /** A member's pace: the estimator state (JSON) and the rate. */
  pace(member: string): string;
  /** A member's hold, expiring with the pause. */
  hold(member: string): string;
}

/** The member naming the state of one endpoint and operation class. */
export function memberOf(endpoint: string, cls: OperationClass): string {
  return `${cls}:${endpoint}`;
}

/** The key and channel names under `prefix`. */
export function storeKeys(prefix: string): StoreKeys {
  const tag = `{${prefix}}:`;
  const openBase = `${tag}open:`;
  const paceBase = `${tag}pace:`;
  const liveBase = `${tag}live:`;
  const holdBase = `${tag}hold:`;
  return Object.freeze({
    channel: `${prefix}:news`,
    openBase,
    paceBase,
    liveBase,
    holdBase,
    breakers: `${tag}breakers`,
    paces: `${tag}paces`,
    holds: `${tag}holds`,
    redirects: `${tag}redirects`,
    redirectOrder: `${tag}redirect-order`,
    clock: `${tag}clock`,
    open: (endpoint: string) => `${openBase}${endpoint}`,
    probe: (endpoint: string) => `${tag}probe:${endpoint}`,
    streaks: (endpoint: string) => `${tag}streaks:${endpoint}`,
    window: (member: string) => `${tag}window:${member}`,
    live: (member: string) => `${liveBase}${member}`,
    pace: (member: string) => `${paceBase}${member}`,
    hold: (member: string) => `${holdBase}${member}`,
  });
}
