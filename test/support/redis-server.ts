/**
 * A real Redis for tests: Debian's `redis-server` on a free loopback port,
 * without persistence (`--save "" --appendonly no`), so a restart starts
 * empty, script cache included. Ready once it answers PING.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';

/** Where Debian installs it. */
const REDIS_SERVER = '/usr/bin/redis-server';
/** How long a start may take before the helper gives up. */
const START_TIMEOUT_MS = 10_000;

/** A running redis-server child process. */
export interface RedisServer {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** Kills it (SIGKILL) and waits until it is gone; no-op when it is not running. */
  kill(): Promise<void>;
  /** Kills it if it runs, then starts a fresh, empty one on the same port and waits until it answers PING. */
  restart(): Promise<void>;
  /** Kills it for good (the same as `kill`, for afterAll). */
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
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

/** Resolves true when something on `port` answers `+PONG` to PING. */
function pings(port: number): Promise<boolean> {
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
  return child;
}

async function untilAnswers(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server on port ${String(port)} exited at start`);
    if (await pings(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${String(port)} did not answer PING within ${String(START_TIMEOUT_MS)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGKILL');
  });
}

/** Starts a redis-server on a free port and waits until it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child = spawnServer(port);
  // A test process that dies takes its redis-server along.
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  await untilAnswers(port, child);
  const kill = (): Promise<void> => killed(child);
  return {
    port,
    kill,
    async restart() {
      await kill();
      child = spawnServer(port);
      await untilAnswers(port, child);
    },
    async stop() {
      process.off('exit', onExit);
      await kill();
    },
  };
}
