/**
 * Debian's `redis-server` as a child process on a free loopback port, without
 * persistence (a restart starts empty): what the fleet tests (test/support) and
 * the fleet benchmark (bench/peers/store) start, kill and restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';

/** Where Debian installs it. */
const REDIS_SERVER = '/usr/bin/redis-server';
/** How long a start may take before it counts as failed. */
const START_TIMEOUT_MS = 10_000;

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

/** Resolves true when something on `port` answers `+PONG` to PING within 500 ms. */
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

/** True once the child process has exited. */
function gone(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Starts a redis-server on `port` and waits until it answers PING. @throws Error when it exits or does not answer within 10 s */
export async function startRedisProcess(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()];
  const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
  child.on('error', () => undefined);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (gone(child)) throw new Error(`redis-server on port ${String(port)} exited at start`);
    if (await pongs(port)) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${String(port)} did not answer PING within ${String(START_TIMEOUT_MS)} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Kills it (SIGKILL, as a crash) and resolves once it is gone. */
export function killRedisProcess(child: ChildProcess): Promise<void> {
  if (gone(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGKILL');
  });
}
