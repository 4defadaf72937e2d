/**
 * A tiny hostile HTTP/1.1 server on 127.0.0.1, written on raw sockets so it can
 * say anything a broken or malicious server can: odd statuses, header values
 * with CR/LF or control bytes, lying framing, resets in the middle of the head
 * or the body, bytes trickled slowly, or no answer at all. It records every
 * request that arrives (Host header included), in order, and answers each
 * with the next entry of its script. `{target}` in an answer's headers or body
 * is replaced by the request's own target (path and query), so a Location can
 * move only the origin, as a real 301 does.
 */
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';

/** One answer of the script. */
export type HostileAnswer =
  | {
      type: 'respond';
      status: number;
      /** Reason phrase as sent (may be empty or odd). */
      reason: string;
      /** Header lines as sent, byte for byte (no framing headers: `framing` adds those). */
      headers: readonly (readonly [string, string])[];
      body: string;
      /** `length`: exact Content-Length; `close`: none, ends at close; `chunked`: one broken chunk; `short`: claims more than it sends. */
      framing: 'length' | 'close' | 'chunked' | 'short';
      /** The answer goes out in this many pieces… */
      pieces: number;
      /** …with this pause (ms) between two pieces: a trickle. */
      pauseMs: number;
    }
  /** Part of a status line, then a TCP reset. */
  | { type: 'resetInHead' }
  /** A complete head announcing more body than comes, part of the body, then a TCP reset. */
  | { type: 'resetInBody'; status: number; body: string }
  /** Reads the request and never answers (the socket stays open until the client gives up or the server closes). */
  | { type: 'silent' };

/** The answer that sends a status line, headers and a body. */
export type RespondAnswer = Extract<HostileAnswer, { type: 'respond' }>;

/** A request as the server saw it. */
export interface Arrival {
  /** 0-based order of arrival on this server. */
  index: number;
  /** The Host header, lower-cased, or `undefined` (a TLS handshake has none). */
  host: string | undefined;
  method: string;
  /** The request target as sent (path and query). */
  target: string;
  /** Header lines, names lower-cased (the last one wins). */
  headers: Record<string, string>;
  /** True when the bytes were a TLS ClientHello: somebody tried https on this plain port. */
  tls: boolean;
}

/** What a test holds of a running hostile server. */
export interface HostileServer {
  readonly port: number;
  /** Every request that arrived, in order. */
  readonly arrivals: readonly Arrival[];
  /** Answers the next requests with `answers`, then with `fallback` forever; clears nothing else. */
  script(answers: readonly HostileAnswer[], fallback: HostileAnswer): void;
  /** On an https server: connections whose TLS handshake failed (a cleartext request, most often); never reset. */
  readonly cleartextAttempts: number;
  /** Called when a request arrives, before it is answered (e.g. to abort the call at a chosen point). */
  onArrival: ((arrival: Arrival) => void) | undefined;
  /** Forgets the arrivals and the script, and destroys every open connection. */
  reset(): void;
  /** Closes the server and every connection. */
  close(): Promise<void>;
}

const HEAD_END = '\r\n\r\n';
/** A request head larger than this is not a request worth waiting for. */
const MAX_HEAD_BYTES = 64 * 1024;

function parseHead(head: string): Omit<Arrival, 'index' | 'tls'> {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const [method = '', target = ''] = requestLine.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { host: headers.host?.toLowerCase(), method, target, headers };
}

/** The bytes of a `respond` answer, split into its pieces. */
function responsePieces(answer: RespondAnswer): Buffer[] {
  const body = Buffer.from(answer.body, 'latin1');
  const lines = [`HTTP/1.1 ${String(answer.status)} ${answer.reason}`];
  for (const [name, value] of answer.headers) lines.push(`${name}: ${value}`);
  lines.push('Connection: close');
  let payload = body;
  if (answer.framing === 'length') lines.push(`Content-Length: ${String(body.length)}`);
  if (answer.framing === 'short') lines.push(`Content-Length: ${String(body.length + 100)}`);
  if (answer.framing === 'chunked') {
    lines.push('Transfer-Encoding: chunked');
    // A chunk size that lies, and no last chunk.
    payload = Buffer.concat([Buffer.from(`${(body.length + 7).toString(16)}\r\n`), body, Buffer.from('\r\nzz\r\n')]);
  }
  const all = Buffer.concat([Buffer.from(lines.join('\r\n') + HEAD_END, 'latin1'), payload]);
  const count = Math.max(1, Math.min(answer.pieces, all.length));
  const size = Math.ceil(all.length / count);
  const pieces: Buffer[] = [];
  for (let start = 0; start < all.length; start += size) pieces.push(all.subarray(start, start + size));
  return pieces;
}

/** Options of {@link startHostileServer}. */
export interface HostileServerOptions {
  /** Serve https with this key and certificate (PEM) instead of plain http. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** `reply` with `{target}` replaced by the request target it answers. */
function withTarget(reply: HostileAnswer, target: string): HostileAnswer {
  if (reply.type !== 'respond') return reply;
  return {
    ...reply,
    headers: reply.headers.map(([name, value]) => [name, value.replaceAll('{target}', target)] as const),
    body: reply.body.replaceAll('{target}', target),
  };
}

/** Starts a hostile server on 127.0.0.1 (a free port). */
export async function startHostileServer(options: HostileServerOptions = {}): Promise<HostileServer> {
  const arrivals: Arrival[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let answers: readonly HostileAnswer[] = [];
  let fallback: HostileAnswer = { type: 'respond', status: 200, reason: 'OK', headers: [], body: 'ok', framing: 'length', pieces: 1, pauseMs: 0 };
  let answered = 0;

  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const answer = (socket: net.Socket, reply: HostileAnswer): void => {
    switch (reply.type) {
      case 'silent':
        return;
      case 'resetInHead':
        socket.write('HTTP/1.1 200 O', () => {
          socket.resetAndDestroy();
        });
        return;
      case 'resetInBody': {
        const head = `HTTP/1.1 ${String(reply.status)} X\r\nContent-Length: ${String(reply.body.length + 1000)}\r\n\r\n`;
        socket.write(head + reply.body, 'latin1', () => {
          socket.resetAndDestroy();
        });
        return;
      }
      case 'respond': {
        const pieces = responsePieces(reply);
        const sendFrom = (index: number): void => {
          if (socket.destroyed) return;
          const piece = pieces[index];
          if (piece === undefined) {
            socket.end();
            return;
          }
          socket.write(piece);
          if (index + 1 < pieces.length && reply.pauseMs > 0) {
            later(reply.pauseMs, () => {
              sendFrom(index + 1);
            });
          } else {
            sendFrom(index + 1);
          }
        };
        sendFrom(0);
      }
    }
  };

  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      // A client that resets or gives up is the point of the exercise.
    });
    let buffered = '';
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      if (buffered === '' && chunk[0] === 0x16) {
        done = true;
        const arrival: Arrival = { index: arrivals.length, host: undefined, method: '', target: '', headers: {}, tls: true };
        arrivals.push(arrival);
        server.emit('arrival', arrival);
        socket.destroy();
        return;
      }
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf(HEAD_END);
      if (end < 0) {
        if (buffered.length > MAX_HEAD_BYTES) socket.destroy();
        return;
      }
      done = true;
      const arrival: Arrival = { index: arrivals.length, tls: false, ...parseHead(buffered.slice(0, end)) };
      arrivals.push(arrival);
      server.emit('arrival', arrival);
      const scripted = answers[answered] ?? fallback;
      answered++;
      answer(socket, withTarget(scripted, arrival.target));
    });
  };
  const server = options.tls === undefined ? net.createServer(onConnection) : tls.createServer(options.tls, onConnection);
  let cleartextAttempts = 0;
  // Not an arrival: no request was read. Counted, as a cleartext request to the https port lands here.
  server.on('tlsClientError', () => {
    cleartextAttempts++;
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hostile: HostileServer = {
    port: (server.address() as AddressInfo).port,
    arrivals,
    get cleartextAttempts() {
      return cleartextAttempts;
    },
    script(next, nextFallback) {
      answers = next;
      fallback = nextFallback;
      answered = 0;
    },
    onArrival: undefined,
    reset() {
      arrivals.length = 0;
      answers = [];
      answered = 0;
      hostile.onArrival = undefined;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
    },
    close() {
      hostile.reset();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
  server.on('arrival', (arrival: Arrival) => hostile.onArrival?.(arrival));
  return hostile;
}
