/**
 * Opens a client's sockets before a fleet's load starts: `sockets` GETs at
 * once, so each of the client's keep-alive sockets is connected and accepted
 * by the server. A fleet of 32 processes that opened 256 connections in the
 * same millisecond at its start, on 2 busy cores, had a few connections wait
 * seconds for the local server (SYNs retransmitted); their first requests
 * timed out, and the figures measured that storm instead of the pacing.
 */
import type { BenchClient } from './bench-client.js';

/** The longest the warm-up waits, ms: a connect that needs several SYN retransmissions still finishes. */
const WARM_LIMIT_MS = 30_000;

/** Makes `sockets` GETs at once; failures are ignored (the load that follows measures the client). */
export async function warmSockets(client: BenchClient, sockets: number): Promise<void> {
  const signal = AbortSignal.timeout(WARM_LIMIT_MS);
  await Promise.allSettled(Array.from({ length: Math.max(1, sockets) }, () => client.get(signal)));
}
