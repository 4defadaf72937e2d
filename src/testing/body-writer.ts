/**
 * Writing an answer's body, counting the bytes handed to the socket: small
 * bodies at once, large ones piece by piece (each piece after the last has
 * drained, so the server holds no second copy of a big object), and scripted
 * cuts that break a body off mid-way: a TCP reset, or a stall that leaves the
 * connection open and silent.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import { writeReplyHead, type Reply } from './reply.js';
import type { OkStep } from './steps.js';
import { resetSocket } from './transport-faults.js';

/** How a body breaks off. */
export interface BodyCut {
  /** `reset`: a TCP RST once the bytes before the cut are written; `stall`: nothing more is sent, the connection stays open. */
  how: 'reset' | 'stall';
  /** Body bytes written before the cut. */
  afterBytes: number;
}

/** Size of one piece of a body written piece by piece. */
const PIECE_BYTES = 64 * 1024;
/** Bodies larger than this are written piece by piece. */
const LARGE_BODY_BYTES = 1024 * 1024;

/** The cut an ok step asks for (a reset wins over a stall when both are given), or none. */
export function cutOf(step: OkStep | undefined): BodyCut | undefined {
  const reset = step?.resetAfterBytes;
  if (reset !== undefined) return { how: 'reset', afterBytes: Math.max(0, Math.floor(reset)) };
  const stall = step?.stallAfterBytes;
  if (stall !== undefined) return { how: 'stall', afterBytes: Math.max(0, Math.floor(stall)) };
  return undefined;
}

/** What writing a reply came to. */
export interface WrittenBody {
  /** Called as body bytes are handed to the socket, with the running total. */
  onBytes: (total: number) => void;
  /** Called once when the body is cut (before the reset, or when the stall starts). */
  onCut: (how: BodyCut['how']) => void;
}

/**
 * Writes `reply` (head and, unless `head`, body), breaking the body off at `cut`
 * when the cut falls inside it. Bytes are counted as they are handed to the socket,
 * so a body the client abandons counts what was written before it left.
 */
export function writeCountedReply(res: http.ServerResponse, socket: Socket, reply: Reply, head: boolean, cut: BodyCut | undefined, report: WrittenBody): void {
  const hasBody = writeReplyHead(res, reply);
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  if (head || !hasBody) {
    res.end();
    return;
  }
  const cutInside = cut !== undefined && cut.afterBytes < body.length;
  if (!cutInside && body.length <= LARGE_BODY_BYTES) {
    res.end(body);
    report.onBytes(body.length);
    return;
  }
  const limit = cutInside ? cut.afterBytes : body.length;
  let written = 0;
  const finish = (): void => {
    if (!cutInside) {
      res.end();
      return;
    }
    report.onCut(cut.how);
    // A stall writes nothing more and leaves the connection open: the client's idle timeout or `close()` ends it.
    if (cut.how === 'reset') resetSocket(socket);
  };
  const writeSome = (): void => {
    while (written < limit) {
      if (socket.destroyed || res.destroyed) return;
      const piece = body.subarray(written, Math.min(limit, written + PIECE_BYTES));
      written += piece.length;
      report.onBytes(written);
      const last = written >= limit;
      // The reset waits for the last piece to reach the socket: a reset with unsent data in Node's buffers would drop it.
      const drained = res.write(piece, last ? finish : undefined);
      if (last) return;
      if (!drained) {
        res.once('drain', writeSome);
        return;
      }
    }
    finish();
  };
  writeSome();
}
