/**
 * One call of the pacing simulations, retried as the package retries
 * throttled answers: up to 3 retries, each after a full-jitter wait from
 * 100 ms × throttleMultiplier 4, factor 2, capped at 20 s (the defaults).
 */
import type { EndpointPacer } from '../../src/throttle/endpoint-pacer.js';

/** What a simulated call runs on. */
export interface SimulatedCallParts {
  /** Paces every request and learns from its answer; `undefined`: unpaced. */
  pacer: EndpointPacer | undefined;
  /** Sends one request to the simulated server; resolves `true` when it was throttled. */
  serve: () => Promise<boolean>;
  /** Waits `ms` of (fake) time. */
  sleep: (ms: number) => Promise<void>;
  /** The run's seeded PRNG, in [0, 1). */
  random: () => number;
}

/**
 * Makes one call to its end.
 * @returns `true` when a request got through, `false` when the call gave up throttled after 3 retries
 */
export async function simulatedCall({ pacer, serve, sleep, random }: SimulatedCallParts): Promise<boolean> {
  for (let retry = 0; ; retry++) {
    if (pacer) await pacer.acquire(undefined, Number.POSITIVE_INFINITY);
    const sentAt = Date.now();
    const throttled = await serve();
    pacer?.record(throttled, undefined, sentAt);
    if (!throttled) return true;
    if (retry >= 3) return false;
    await sleep(Math.round(random() * Math.min(20_000, 400 * 2 ** retry)));
  }
}
