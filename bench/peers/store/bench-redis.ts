/**
 * The Redis of the fleet-store variants: Debian's `redis-server` on a free
 * loopback port, without persistence (a restart starts empty), registered
 * with the reaper so it never outlives the run. The fleet scenario kills and
 * restarts it mid-run on the same port.
 */
import type { ChildProcess } from 'node:child_process';
import { freePort, killRedisProcess, startRedisProcess } from '../../../scripts/redis/redis-process.js';
import { track } from '../ipc/reaper.js';
import { raiseServicePriority } from '../harness/service-priority.js';

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
    const child = await startRedisProcess(port);
    track(child);
    raiseServicePriority('redis-server', child.pid);
    return new BenchRedis(port, child);
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${String(this.port)}`;
  }

  /** Kills it (SIGKILL, as a crash) and waits until it is gone. */
  kill(): Promise<void> {
    return killRedisProcess(this.child);
  }

  /** Kills it if it runs, then starts a fresh, empty one on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    this.child = await startRedisProcess(this.port);
    track(this.child);
    raiseServicePriority('redis-server', this.child.pid);
  }
}
