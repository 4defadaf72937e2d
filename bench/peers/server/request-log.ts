/**
 * A compact log of what the server received: per tag (bucket), the arrival
 * times and a count of answers by outcome. The server's own record list keeps
 * headers and bodies; the benchmark needs only this, so records are folded in
 * regularly and dropped, which bounds memory on long runs.
 */
import type { RecordedRequest } from '../../../src/testing/index.js';
import type { RequestLog, TagLog } from './server-protocol.js';

/** Arrival times kept per run at most; beyond it only the outcome counts grow. */
const MAX_TIMES = 2_000_000;

function outcomeOf(record: RecordedRequest): string {
  const response = record.response;
  if (response === undefined) return 'pending';
  if (typeof response === 'string') return response;
  return response.code ?? `HTTP_${String(response.status)}`;
}

/** The log of one armed run. */
export class RequestLogBook {
  private tags = new Map<string, TagLog>();
  private kept = 0;

  /** Starts a new run counting times from `origin` (epoch ms). */
  constructor(private readonly origin: number) {}

  /** Folds records in; call it only with answered records, each once. */
  add(records: readonly RecordedRequest[]): void {
    for (const record of records) {
      const tag = record.bucket === '' ? '(root)' : record.bucket;
      let log = this.tags.get(tag);
      if (log === undefined) {
        log = { times: [], outcomes: {} };
        this.tags.set(tag, log);
      }
      if (this.kept < MAX_TIMES) {
        log.times.push(record.receivedAt - this.origin);
        this.kept++;
      }
      const outcome = outcomeOf(record);
      log.outcomes[outcome] = (log.outcomes[outcome] ?? 0) + 1;
    }
  }

  /** The log so far. */
  snapshot(): RequestLog {
    return Object.fromEntries(this.tags);
  }
}
