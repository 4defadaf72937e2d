/**
 * A real Redis for tests: Debian's `redis-server` on a free loopback port,
 * without persistence (`--save "" --appendonly no`), so a restart starts
 * empty, script cache included. Ready once it answers PING.
 */
import { freePort, killRedisProcess, startRedisProcess } from '../../scripts/redis/redis-process.js';

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

/** Starts a redis-server on a free port and waits until it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child = await startRedisProcess(port);
  // A test process that dies takes its redis-server along.
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  const kill = (): Promise<void> => killRedisProcess(child);
  return {
    port,
    kill,
    async restart() {
      await kill();
      child = await startRedisProcess(port);
    },
    async stop() {
      process.off('exit', onExit);
      await kill();
    },
  };
}
