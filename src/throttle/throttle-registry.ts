/**
 * The pacers of one handle, one per endpoint origin and operation class
 * (`list`, `read`, `write`, `other`: OBS limits each kind of operation
 * apart), the endpoints in an LRU. A class of an endpoint gets a pacer on its
 * first throttling answer, so a throttled listing paces listings only; until
 * an endpoint has one, the success path only pays one map lookup.
 */
import type { PolicyEmitter } from '../reporting/emitter.js';
import type { RateChangeEvent } from '../reporting/events.js';
import type { SignalLike } from '../retry/wait.js';
import { LruMap } from '../util/lru.js';
import { EndpointPacer, type PacerSettings } from './endpoint-pacer.js';
import type { OperationClass } from './operation-class.js';
import type { PaceWindow } from './pace-estimator.js';

/** What the registry's pacers tell a fleet store (see `PacerFleetHooks`), by endpoint and class. */
export interface ThrottleFleetHooks {
  /** A pacer's window ended, or it joins the fleet (`joining`, see `PacerFleetHooks.window`): true when the store takes it, false when the pacer must judge it alone. */
  window(endpoint: string, cls: OperationClass, window: PaceWindow, joining: boolean): boolean;
  /** A `Retry-After` paused a class of an endpoint here for `pauseMs`. */
  hold(endpoint: string, cls: OperationClass, pauseMs: number): void;
  /** A class of an endpoint went idle here after it reported to the fleet: this process gives its share back. */
  idle(endpoint: string, cls: OperationClass): void;
}

/** Filled-in throttle settings. */
export interface ThrottleSettings extends PacerSettings {
  /** Endpoints with a pacer at once (least recently used dropped, with every class's pacer). */
  maxEndpoints: number;
}

/** The pacers of one endpoint, by operation class (a class has one once it was throttled). */
class ClassPacers extends Map<OperationClass, EndpointPacer> {
  /** @param endpoint the origin these pacers belong to (a snapshot names it) */
  constructor(readonly endpoint: string) {
    super();
  }
}

/** The pace of one class of one endpoint, as a snapshot keeps it. */
export interface PaceRecord {
  endpoint: string;
  class: OperationClass;
  ratePerSec: number;
}

/** A `rateChange` payload, which names the class whose pace changed. */

/** The pacers of one handle. */
export class ThrottleRegistry {
  private readonly endpoints: LruMap<string, ClassPacers>;
  /** The fleet store's side of the paces, when the handle has a store (set before the first request). */
  fleet: ThrottleFleetHooks | undefined;

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly emitter: PolicyEmitter,
    private readonly now: () => number = Date.now,
  ) {
    this.endpoints = new LruMap(settings.maxEndpoints, (_endpoint, pacers) => {
      for (const pacer of pacers.values()) pacer.releaseAll();
    });
  }

  /**
   * Waits for the pace of the endpoint's class, if it has one.
   * @param maxWaitMs the longest the request waits (the call's `retry.maxDelayMs`), for the pace and for a
   *   `Retry-After` pause alike
   * @returns `undefined` when the request may go now (always, for a class never throttled)
   */
  acquire(endpoint: string, cls: OperationClass, signal: SignalLike | undefined, deadline: number, maxWaitMs?: number): Promise<void> | undefined {
    return this.endpoints.peek(endpoint)?.get(cls)?.acquire(signal, deadline, maxWaitMs);
  }

  /**
   * True when the endpoint is learning (it was throttled): answers from it are recorded.
   * @param cls only this class of the endpoint (`undefined`: any class)
   */
  tracks(endpoint: string, cls?: OperationClass): boolean {
    const pacers = this.endpoints.peek(endpoint);
    return pacers !== undefined && (cls === undefined || pacers.has(cls));
  }

  /**
   * Learns from one answer of `endpoint` to a request of class `cls` (sent at `sentAt`, epoch ms); a throttling
   * answer starts the learning of that class. A `Retry-After` pauses the class for at most `maxPauseMs` (the
   * answered call's `retry.maxDelayMs`), and each waiting request for at most its own `maxWaitMs` after it was
   * recorded.
   */
  record(endpoint: string, cls: OperationClass, throttled: boolean, retryAfterMs: number | undefined, sentAt: number, maxPauseMs?: number): void {
    let pacer = this.endpoints.get(endpoint)?.get(cls);
    if (pacer === undefined) {
      if (!throttled) return;
      pacer = this.addPacer(endpoint, cls);
    }
    pacer.record(throttled, retryAfterMs, sentAt, maxPauseMs);
  }

  /** A new pacer for a class of an endpoint (not paced yet). */
  private addPacer(endpoint: string, cls: OperationClass): EndpointPacer {
    let pacers = this.endpoints.get(endpoint);
    const { fleet } = this;
    const pacer = new EndpointPacer(
      this.settings,
      (ratePerSec, cause) => {
        const event: RateChangeEvent = { endpoint, class: cls, ratePerSec, cause };
        this.emitter.emit('rateChange', event);
      },
      this.now,
      fleet === undefined
        ? undefined
        : {
            window: (window, joining) => fleet.window(endpoint, cls, window, joining),
            hold: (pauseMs) => {
              fleet.hold(endpoint, cls, pauseMs);
            },
            idle: () => {
              fleet.idle(endpoint, cls);
            },
          },
    );
    if (pacers === undefined) {
      pacers = new ClassPacers(endpoint);
      this.endpoints.set(endpoint, pacers);
    }
    pacers.set(cls, pacer);
    return pacer;
  }

  /** Every pace now, least recently used endpoint first (a snapshot). */
  records(): PaceRecord[] {
    const records: PaceRecord[] = [];
    for (const pacers of this.endpoints.values()) {
      for (const [cls, pacer] of pacers) {
        const ratePerSec = pacer.ratePerSec;
        if (ratePerSec !== null) records.push({ endpoint: pacers.endpoint, class: cls, ratePerSec });
      }
    }
    return records;
  }

  /**
   * Takes up a pace a snapshot kept (without a `rateChange` event): the class of the endpoint is paced
   * at that rate (at least `minRatePerSec`) and learns from there as if throttling had taught it.
   */
  restore(record: PaceRecord): void {
    const pacer = this.endpoints.peek(record.endpoint)?.get(record.class) ?? this.addPacer(record.endpoint, record.class);
    pacer.restore(Math.max(record.ratePerSec, this.settings.minRatePerSec));
  }

  /**
   * Takes up this process's share of the fleet's pace for a class of an endpoint (`null`: not paced;
   * see `EndpointPacer.follow`).
   * @param fleetRatePerSec the fleet's pace the share is of
   */
  follow(endpoint: string, cls: OperationClass, ratePerSec: number | null, fleetRatePerSec?: number | null): void {
    const pacer = this.endpoints.peek(endpoint)?.get(cls);
    if (pacer === undefined && ratePerSec === null) return;
    (pacer ?? this.addPacer(endpoint, cls)).follow(ratePerSec, fleetRatePerSec);
  }

  /** Takes up a `Retry-After` pause another process was given (see `EndpointPacer.pause`). */
  pause(endpoint: string, cls: OperationClass, pauseMs: number): void {
    (this.endpoints.peek(endpoint)?.get(cls) ?? this.addPacer(endpoint, cls)).pause(pauseMs);
  }

  /**
   * The pace in requests per second (`null`: not paced).
   * @param cls this class of the endpoint; `undefined`: the slowest pace among its classes
   */
  rate(endpoint: string, cls?: OperationClass): number | null {
    const pacers = this.endpoints.peek(endpoint);
    if (pacers === undefined) return null;
    if (cls !== undefined) return pacers.get(cls)?.ratePerSec ?? null;
    let slowest: number | null = null;
    for (const pacer of pacers.values()) {
      const rate = pacer.ratePerSec;
      if (rate !== null && (slowest === null || rate < slowest)) slowest = rate;
    }
    return slowest;
  }

  /** The classes of endpoints this process counts as live for in the fleet's paces (it reported and did not leave since). */
  joinedFleet(): { endpoint: string; cls: OperationClass }[] {
    const joined: { endpoint: string; cls: OperationClass }[] = [];
    for (const pacers of this.endpoints.values()) {
      for (const [cls, pacer] of pacers) if (pacer.joinedFleet) joined.push({ endpoint: pacers.endpoint, cls });
    }
    return joined;
  }

  /** Releases every queued request and forgets every pace (detach). */
  shutdown(): void {
    for (const pacers of this.endpoints.values()) {
      for (const pacer of pacers.values()) pacer.releaseAll();
    }
    this.endpoints.clear();
  }
}
