/**
 * Transport faults of the local OBS server: connections reset before or in
 * the middle of an answer. A TCP RST (not a polite FIN) is what a crashed
 * proxy or a dropped connection looks like to the client: `ECONNRESET`.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import { obsHeaders, withHeaders } from './reply.js';
import type { ResetStep } from './steps.js';

/** What `after-head` sends of the body before the reset; the head announces more. */
const PARTIAL_BODY = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Partial>');
const ANNOUNCED_LENGTH = PARTIAL_BODY.length + 1024;

/** Resets the connection (RST). */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  socket.resetAndDestroy();
}

/**
 * Plays a reset step: `before-head` resets at once; `after-head` writes the head
 * (announcing a longer body), part of the body, and resets once that is flushed.
 */
export function playReset(step: ResetStep, res: http.ServerResponse, socket: Socket): void {
  if (step.reset === 'before-head') {
    resetSocket(socket);
    return;
  }
  const headers = withHeaders({ ...obsHeaders(), 'content-type': 'application/octet-stream', 'content-length': String(ANNOUNCED_LENGTH) }, step.headers);
  res.writeHead(step.status ?? 200, headers);
  // Flush first: a reset with unsent data in Node's buffers would lose the head too.
  res.write(PARTIAL_BODY, () => {
    resetSocket(socket);
  });
}
