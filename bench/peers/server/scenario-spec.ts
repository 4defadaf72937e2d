/**
 * What the parent asks the OBS server process to play, as JSON. The server
 * process turns each spec into one of the local server's own scenarios
 * (`throttle`, `outage`, or a `custom` rule built in this folder).
 */

/** A token bucket: `ratePerSec` sustained, `burst` at once; the rest get SlowDown. */
export interface ThrottleSpec {
  kind: 'throttle';
  ratePerSec: number;
  burst: number;
  /** Only these requests are throttled: a method, and a path prefix (the server's `StepMatch`). */
  match?: { method?: string; path?: string };
}

/** Every request gets 500 InternalError from `startAt` (epoch ms) for `durationMs`. */
export interface OutageSpec {
  kind: 'outage';
  startAt: number;
  durationMs: number;
}

/** A seeded fault mix: each request independently gets one fault with its share, or the normal answer. */
export interface FaultMixSpec {
  kind: 'faults';
  seed: number;
  /** Share of requests per fault, e.g. `{ SlowDown: 0.1 }`; names are {@link FaultName}s. */
  shares: Partial<Record<FaultName, number>>;
}

/** The faults a {@link FaultMixSpec} can inject. */
export type FaultName = 'SlowDown' | 'InternalError' | 'RequestTimeout' | 'reset' | 'malformedXml';

/** One persistent server behaviour. */
export type ScenarioSpec = ThrottleSpec | OutageSpec | FaultMixSpec;
