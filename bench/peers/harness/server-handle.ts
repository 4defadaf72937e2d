/**
 * The parent's handle on the OBS server process: start it, seed buckets, arm
 * a scenario, collect the log of what arrived.
 */
import { ChildPeer } from '../ipc/child-peer.js';
import type { ScenarioSpec } from '../server/scenario-spec.js';
import type { RequestLog, ServerRequest } from '../server/server-protocol.js';
import { SERVER_SCRIPT } from './paths.js';
import { raiseServicePriority } from './service-priority.js';

const CALL_TIMEOUT_MS = 30_000;

/** The running OBS server process. */
export class ServerHandle {
  private readonly seeded = new Set<string>();

  private constructor(
    private readonly peer: ChildPeer<ServerRequest>,
    /** `http://127.0.0.1:<port>`. */
    readonly origin: string,
  ) {}

  /** Starts the server process and waits until it listens. */
  static async start(): Promise<ServerHandle> {
    const { peer, ready } = await ChildPeer.start<ServerRequest>('OBS server', SERVER_SCRIPT, {}, 30_000);
    raiseServicePriority('OBS server', peer.pid);
    const { port } = ready as { port: number };
    return new ServerHandle(peer, `http://127.0.0.1:${String(port)}`);
  }

  /** Makes sure `bucket` holds the benchmark object. */
  async seed(bucket: string, key: string, bytes: number): Promise<void> {
    if (this.seeded.has(bucket)) return;
    await this.peer.request({ type: 'seed', buckets: [bucket], key, bytes }, CALL_TIMEOUT_MS);
    this.seeded.add(bucket);
  }

  /** Clears scenarios and records, then plays `scenarios`; arrival times will count from `origin` (epoch ms). */
  async arm(scenarios: ScenarioSpec[], origin: number): Promise<void> {
    await this.peer.request({ type: 'arm', scenarios, origin }, CALL_TIMEOUT_MS);
  }

  /** What arrived since `arm`, per bucket. */
  collect(): Promise<RequestLog> {
    return this.peer.request<RequestLog>({ type: 'collect' }, CALL_TIMEOUT_MS);
  }

  /** Lets the process exit. */
  close(): void {
    this.peer.close();
  }
}
