/**
 * The child side of the IPC protocol: answers the parent's requests one at a
 * time with a handler, and exits when the parent goes away (a parent that
 * crashed or was killed disconnects the channel), so no child outlives it.
 */
import type { ReplyEnvelope, RequestEnvelope } from './protocol.js';

/** Reports progress of the request being handled (sent to the parent, best effort). */
export type ProgressReporter = (done: number, total: number) => void;

/** Handles one request body; the resolved value is the reply (JSON). */
export type RequestHandler<T> = (body: T, progress: ProgressReporter) => Promise<unknown>;

function send(message: ReplyEnvelope): void {
  // The parent may be gone already; it cannot be told anything then.
  if (process.connected) process.send?.(message);
}

/**
 * Serves requests from the parent until it disconnects; `cleanup` runs before
 * the process exits (close servers, destroy agents).
 */
export function serveParent<T>(handler: RequestHandler<T>, cleanup: () => Promise<void>): void {
  let queue = Promise.resolve();
  process.on('message', (message: RequestEnvelope<T>) => {
    // Sequential: a request starts once the previous one has replied.
    queue = queue.then(async () => {
      const progress: ProgressReporter = (done, total) => {
        send({ id: message.id, type: 'progress', done, total });
      };
      try {
        send({ id: message.id, type: 'done', result: await handler(message.body, progress) });
      } catch (error) {
        send({ id: message.id, type: 'failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      }
    });
  });
  process.on('disconnect', () => {
    // A hard stop after a grace period, in case cleanup itself hangs.
    setTimeout(() => process.exit(0), 2000).unref();
    void cleanup().finally(() => process.exit(0));
  });
}
