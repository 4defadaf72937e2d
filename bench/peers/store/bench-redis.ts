/**
 * The Redis of the fleet-store variants: Debian's `redis-server` on a free
 * loopback port, without persistence (a restart starts empty), registered
 * with the reaper so it never outlives the run. The fleet scenario kills and
 * restarts it mid-run on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { track } from '../ipc/reaper.js';

/** Where Debian installs it. */
const REDIS_SERVER = '/usr/bin/redis-server';
/** How long a start may take. */
const START_TIMEOUT_MS = 10_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** True when the server on `port` answers PING with PONG within 500 ms. */
function pongs(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let answer = '';
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(500, () => {
      done(false);
    });
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.on('error', () => {
      done(false);
    });
  });
}

function spawnServer(port: number): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()];
  const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
  child.on('error', () => undefined);
  track(child);
  return child;
}

function gone(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** A running redis-server of the benchmark. */
export class BenchRedis {
  private constructor(
    /** Its port on 127.0.0.1. */
    readonly port: number,
    private child: ChildProcess,
  ) {}

  /** Starts one on a free port and waits until it answers PING. */
  static async start(): Promise<BenchRedis> {
    const port = await freePort();
    const redis = new BenchRedis(port, spawnServer(port));
    await redis.untilReady();
    return redis;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${String(this.port)}`;
  }

  /** Kills it (SIGKILL, as a crash) and waits until it is gone. */
  kill(): Promise<void> {
    const child = this.child;
    if (gone(child)) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGKILL');
    });
  }

  /** Kills it if it runs, then starts a fresh, empty one on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    this.child = spawnServer(this.port);
    await this.untilReady();
  }

  private async untilReady(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (gone(this.child)) throw new Error(`redis-server on port ${String(this.port)} exited at start`);
      if (await pongs(this.port)) return;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${String(this.port)} did not answer PING within ${String(START_TIMEOUT_MS)} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
