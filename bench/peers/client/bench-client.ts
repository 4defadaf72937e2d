/**
 * What the drivers need of a client, whatever library is underneath: one GET
 * of the benchmark object (body read), a short code for a failure, and a way
 * to let go of sockets and timers.
 */

/** A client under test. */
export interface BenchClient {
  /** GETs the object and reads its body; rejects when the library gives up. `signal` aborts it. */
  get(signal: AbortSignal): Promise<void>;
  /** A short code for a rejection: the OBS/S3 code, `HTTP_<status>`, a socket error code, `CircuitOpen`, `Aborted` … */
  codeOf(error: unknown): string;
  /** Releases sockets, breakers and timers. */
  close(): void;
}

/** The code of a rejection that came from our own abort at the deadline. */
export const ABORTED = 'Aborted';
