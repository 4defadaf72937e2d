/**
 * The sizes of a run. `full` gives the figures worth publishing; `small` is
 * the same benchmark shrunk to finish in about a minute on 2 cores, to prove in
 * CI that everything works end to end (its figures are noisy; never assert them).
 */

/** One overhead setup. */
export interface OverheadSetup {
  /** Short name used in tables. */
  name: string;
  concurrency: number;
  urlStyle: 'relative' | 'absolute';
  /** GETs per client per round. */
  requests: number;
  /** Rounds in each process. */
  rounds: number;
  /** Fresh processes per client, one after another (their medians' median is reported). */
  processes: number;
}

/**
 * The alternating overhead setup: every client in one process (bare axios and
 * obs-axios-policies, built as users build axios), a plain `node:http` server
 * in another, rounds alternating the clients' order.
 */
export interface AlternatingSetup {
  concurrency: number;
  /** Unmeasured GETs per client before the first round. */
  warmup: number;
  rounds: number;
  /** GETs per client per round. */
  requests: number;
}

/** Every size knob. */
export interface Sizes {
  name: 'small' | 'full';
  overhead: { warmup: number; setups: OverheadSetup[]; alternating: AlternatingSetup };
  /** `budgetMs`: no call starts after it and calls in flight are aborted (also the fleet's). */
  throttle: { ratePerSec: number; burst: number; concurrency: number; calls: number; budgetMs: number };
  /** `--sweep`: rates × concurrencies, `seconds` of ideal work per combination. */
  sweep: { rates: number[]; concurrencies: number[]; seconds: number; budgetMs: number };
  noise: { calls: number; concurrency: number; share: number; budgetMs: number };
  outage: { callers: number; healthyMs: number; outageMs: number; maxTailMs: number; settleMs: number };
  flaky: { calls: number; concurrency: number; budgetMs: number };
  fleet: {
    /** Process counts: the fleet scenario runs once per count. */
    processes: number[];
    ratePerSec: number;
    burst: number;
    callsPerProcess: number;
    concurrencyPerProcess: number;
    outageCallersPerProcess: number;
  };
}

/** Bytes of the object every GET reads. */
export const OBJECT_BYTES = 1024;

/** Per-attempt timeout of every client. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

const FULL: Sizes = {
  name: 'full',
  overhead: {
    warmup: 2000,
    setups: [
      { name: '16 in flight, baseURL + relative path', concurrency: 16, urlStyle: 'relative', requests: 8000, rounds: 3, processes: 9 },
      { name: '32 in flight, absolute URL', concurrency: 32, urlStyle: 'absolute', requests: 8000, rounds: 3, processes: 9 },
    ],
    alternating: { concurrency: 16, warmup: 3000, rounds: 8, requests: 4000 },
  },
  throttle: { ratePerSec: 500, burst: 50, concurrency: 32, calls: 3000, budgetMs: 60_000 },
  sweep: { rates: [100, 500, 2000], concurrencies: [8, 32, 128], seconds: 3, budgetMs: 30_000 },
  noise: { calls: 5000, concurrency: 16, share: 0.1, budgetMs: 60_000 },
  outage: { callers: 8, healthyMs: 1000, outageMs: 3000, maxTailMs: 12_000, settleMs: 1000 },
  flaky: { calls: 5000, concurrency: 16, budgetMs: 60_000 },
  fleet: { processes: [8], ratePerSec: 1000, burst: 50, callsPerProcess: 600, concurrencyPerProcess: 8, outageCallersPerProcess: 4 },
};

const SMALL: Sizes = {
  name: 'small',
  overhead: {
    warmup: 200,
    setups: [
      { name: '16 in flight, baseURL + relative path', concurrency: 16, urlStyle: 'relative', requests: 250, rounds: 3, processes: 1 },
      { name: '32 in flight, absolute URL', concurrency: 32, urlStyle: 'absolute', requests: 300, rounds: 3, processes: 2 },
    ],
    alternating: { concurrency: 16, warmup: 500, rounds: 4, requests: 1000 },
  },
  throttle: { ratePerSec: 500, burst: 50, concurrency: 32, calls: 400, budgetMs: 4000 },
  sweep: { rates: [100, 500, 2000], concurrencies: [8, 32, 128], seconds: 1, budgetMs: 5000 },
  noise: { calls: 400, concurrency: 16, share: 0.1, budgetMs: 4000 },
  outage: { callers: 8, healthyMs: 300, outageMs: 1000, maxTailMs: 1000, settleMs: 200 },
  flaky: { calls: 400, concurrency: 16, budgetMs: 4000 },
  fleet: { processes: [8], ratePerSec: 1000, burst: 50, callsPerProcess: 100, concurrencyPerProcess: 4, outageCallersPerProcess: 2 },
};

/**
 * The sizes of `--size=<name>`, with `--processes` (if given) as every overhead
 * setup's processes per client and `--fleet-processes` (if given) as the fleet's process counts.
 */
export function sizesOf(name: 'small' | 'full', processes?: number, fleetProcesses?: readonly number[]): Sizes {
  const base = name === 'small' ? SMALL : FULL;
  const sizes = fleetProcesses === undefined ? base : { ...base, fleet: { ...base.fleet, processes: [...fleetProcesses] } };
  if (processes === undefined) return sizes;
  return { ...sizes, overhead: { ...sizes.overhead, setups: sizes.overhead.setups.map((setup) => ({ ...setup, processes })) } };
}
