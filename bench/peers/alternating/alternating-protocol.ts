import type { StoreSpec } from '../store/store-spec.js';

/**
 * The alternating overhead setup's messages: what the parent asks of the one
 * client process that holds every client, and what it gets back.
 */

/** One client of the process: bare axios (`axios`) or axios with the policies attached (`obs`). */
export interface AlternatingClient {
  id: string;
  kind: 'axios' | 'obs';
  /** `attachObsPolicies` options of an `obs` client (`store: { redis: true }` asks for the Redis fleet store). */
  options?: Record<string, unknown>;
  /** The Redis and prefix of a client whose options ask for the fleet store. */
  store?: StoreSpec;
}

/** The whole run, done by one request. */
export interface AlternatingRun {
  type: 'run';
  /** `http://127.0.0.1:<port>` of the plain server. */
  origin: string;
  /** Absolute path of the built package (`dist/index.js`). */
  distEntry: string;
  clients: AlternatingClient[];
  /** The axios `timeout` of every client. */
  timeoutMs: number;
  /** GETs in flight. */
  concurrency: number;
  /** Unmeasured GETs per client before the first round. */
  warmup: number;
  rounds: number;
  /** GETs per client per round. */
  requests: number;
}

/** What one client did in one round. */
export interface AlternatingSample {
  /** Process CPU (user + system) in µs over the client's GETs of the round. */
  cpuUs: number;
  ok: number;
  failed: number;
}

/** The run's figures: `rounds[r][id]` is client `id` in round `r`. */
export interface AlternatingResult {
  rounds: Record<string, AlternatingSample>[];
  /** The first failure of each client that had any (message only). */
  firstErrors: Record<string, string>;
}
