/**
 * The client variants under comparison. Adding one is one line: an id (also
 * its requests' bucket, which tags them in the server's log), a label, the
 * library (`kind`) and its options as JSON, e.g.
 *
 *     { id: 'obs-paced', label: 'obs-axios-policies (throttle)', kind: 'obs', options: { throttle: { … } }, fleet: true },
 *
 * A variant runs in every scenario except `fleet` unless `only` narrows it;
 * `fleet: true` also runs it as the fleet. Obs options with
 * `store: { redis: true, … }` get a Redis fleet store (`store/`).
 */
import type { ClientKind } from './client/client-protocol.js';
import type { JsonObject } from './ipc/protocol.js';
import type { ScenarioName } from './scenario-names.js';

/** One client under comparison. */
export interface ClientVariant {
  /** Short id: lowercase letters, digits and `-` (it is a bucket name). */
  id: string;
  /** The row label in tables and the legend in timelines. */
  label: string;
  kind: ClientKind;
  /** Options of the kind (see `client/kinds/`). */
  options?: JsonObject;
  /** Only these scenarios (fleet excluded); default: all of them. */
  only?: readonly ScenarioName[];
  /** Also run as the fleet (`--fleet-processes` processes of this variant). */
  fleet?: boolean;
}

/** The id of the baseline every ratio is taken against. */
export const BASELINE_ID = 'axios';

/** The built-in variants; the first is the baseline. */
export const CLIENT_VARIANTS: readonly ClientVariant[] = [
  { id: BASELINE_ID, label: 'bare axios', kind: 'axios' },
  { id: 'axios-retry', label: 'axios-retry', kind: 'axios-retry', options: { retries: 3 } },
  { id: 's3-standard', label: 'aws-sdk s3 standard', kind: 's3', options: { retryMode: 'standard' } },
  { id: 's3-adaptive', label: 'aws-sdk s3 adaptive', kind: 's3', options: { retryMode: 'adaptive' } },
  // A second bare axios, measured like the others: how far two identical clients differ is the noise of the overhead figures.
  { id: 'axios-aa', label: 'bare axios again (A/A check)', kind: 'axios', only: ['overhead'] },
  { id: 'obs', label: 'obs-axios-policies', kind: 'obs', options: {}, fleet: true },
  // The same with the Redis fleet store (the bench starts a redis-server): overhead CPU and the fleet.
  { id: 'obs-redis', label: 'obs-axios-policies + Redis store', kind: 'obs', options: { store: { redis: true } }, only: ['overhead'], fleet: true },
  { id: 'obs-reset-1s', label: 'obs-axios-policies resetTimeoutMs 1000', kind: 'obs', options: { breaker: { resetTimeoutMs: 1000 } }, only: ['outage'] },
];

/** True when `variant` takes part in `scenario` (fleet has its own flag). */
export function runsIn(variant: ClientVariant, scenario: ScenarioName): boolean {
  if (scenario === 'fleet') return variant.fleet === true;
  return variant.only === undefined || variant.only.includes(scenario);
}
