/**
 * The parent's handle on one client process: build a client in it (`open`),
 * drive loads, drop it. Requests are time-limited from the load's own bounds.
 */
import type { ClientRequest, ClientSpec, FixedLoad, FixedResult, LoadSpec, LoopLoad, LoopResult } from '../client/client-protocol.js';
import { ChildPeer, type ProgressListener } from '../ipc/child-peer.js';
import { CLIENT_SCRIPT } from './paths.js';

/** Slack over a load's own time bound before the parent gives up on the process. */
const GRACE_MS = 30_000;

/** End of a load, as epoch ms, from its own bounds. */
function loadEnd(load: LoadSpec): number {
  return load.mode === 'fixed' ? load.startAt + load.deadlineMs : load.hardEndAt;
}

/** A client process. */
export class ClientWorker {
  private constructor(
    /** Its name in messages. */
    readonly name: string,
    private readonly peer: ChildPeer<ClientRequest>,
  ) {}

  /** Starts a client process. */
  static async start(name: string): Promise<ClientWorker> {
    // The SDK warns once per process that future versions need Node 22; that is not news for a benchmark.
    const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const { peer } = await ChildPeer.start<ClientRequest>(name, CLIENT_SCRIPT, env, 30_000);
    return new ClientWorker(name, peer);
  }

  /** Builds a fresh client (dropping the previous one). */
  async open(spec: ClientSpec): Promise<void> {
    await this.peer.request({ type: 'open', spec }, 30_000);
  }

  /** Connects the client's `sockets` keep-alive sockets (one GET on each at once). */
  async warm(sockets: number): Promise<void> {
    await this.peer.request({ type: 'warm', sockets }, 60_000);
  }

  /** Drives a fixed load. */
  fixed(load: FixedLoad, onProgress?: ProgressListener): Promise<FixedResult> {
    return this.load<FixedResult>(load, onProgress);
  }

  /** Drives a loop load. */
  loop(load: LoopLoad, onProgress?: ProgressListener): Promise<LoopResult> {
    return this.load<LoopResult>(load, onProgress);
  }

  /** Drops the client (sockets, breakers, timers). */
  async drop(): Promise<void> {
    await this.peer.request({ type: 'close' }, 30_000);
  }

  /** Lets the process exit. */
  close(): void {
    this.peer.close();
  }

  private load<T>(load: LoadSpec, onProgress: ProgressListener | undefined): Promise<T> {
    const timeout = Math.max(0, loadEnd(load) - Date.now()) + GRACE_MS;
    return this.peer.request<T>({ type: 'load', load }, timeout, onProgress);
  }
}
