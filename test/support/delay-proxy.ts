/**
 * A TCP proxy on 127.0.0.1 in front of a port, for slow and silent networks:
 * every chunk, both ways, is forwarded `delayMs` after it arrived (in order;
 * the delay can change at any time and applies to the chunks that arrive
 * after), and a black hole accepts connections and holds everything, both
 * ways, never forwarding until it is lifted (a partition, as TCP sees one:
 * nothing is lost, nothing arrives).
 */
import { createConnection, createServer, type Socket } from 'node:net';

/** A running proxy. */
export interface DelayProxy {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** Sets the delay of the chunks that arrive from now on, ms. */
  setDelay(ms: number): void;
  /** Holds everything (`true`) or lets the held chunks go on (`false`). */
  blackHole(on: boolean): void;
  /** Closes the proxy and every connection through it. */
  close(): Promise<void>;
}

interface Held {
  chunk: Buffer;
  due: number;
}

/** One direction of one connection. */
class Lane {
  private readonly queue: Held[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly out: Socket,
    private readonly held: () => boolean,
  ) {}

  push(chunk: Buffer, delayMs: number): void {
    this.queue.push({ chunk, due: Date.now() + delayMs });
    this.pump();
  }

  pump(): void {
    if (this.timer !== undefined) return;
    for (let head = this.queue[0]; !this.held() && head !== undefined; head = this.queue[0]) {
      const wait = head.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.queue.shift();
      if (!this.out.destroyed) this.out.write(head.chunk);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

/** Starts a proxy to `targetPort` on 127.0.0.1. */
export async function startDelayProxy(targetPort: number): Promise<DelayProxy> {
  let delayMs = 0;
  let holding = false;
  const held = (): boolean => holding;
  const lanes = new Set<Lane>();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ port: targetPort, host: '127.0.0.1' });
    const toUpstream = new Lane(upstream, held);
    const toClient = new Lane(client, held);
    for (const lane of [toUpstream, toClient]) lanes.add(lane);
    for (const socket of [client, upstream]) sockets.add(socket);
    client.on('data', (chunk: Buffer) => {
      toUpstream.push(chunk, delayMs);
    });
    upstream.on('data', (chunk: Buffer) => {
      toClient.push(chunk, delayMs);
    });
    const end = (): void => {
      for (const lane of [toUpstream, toClient]) {
        lane.stop();
        lanes.delete(lane);
      }
      for (const socket of [client, upstream]) {
        socket.destroy();
        sockets.delete(socket);
      }
    };
    for (const socket of [client, upstream]) socket.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    setDelay(ms) {
      delayMs = ms;
    },
    blackHole(on) {
      holding = on;
      if (!on) for (const lane of lanes) lane.pump();
    },
    close() {
      for (const lane of lanes) lane.stop();
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => {
        resolve();
      }));
    },
  };
}
