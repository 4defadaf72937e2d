/**
 * The parent side of the IPC protocol: a child process (TypeScript through
 * tsx) that answers requests. Each request has a time limit, and a child that
 * dies fails its pending requests instead of leaving the parent waiting.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ReplyEnvelope, RequestEnvelope } from './protocol.js';
import { track } from './reaper.js';

/** Called with progress notes of the request in flight. */
export type ProgressListener = (done: number, total: number) => void;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress: ProgressListener | undefined;
  timer: NodeJS.Timeout;
}

/** A running child that answers requests over IPC. */
export class ChildPeer<Request> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exitReason: string | undefined;

  private constructor(
    /** A name for messages. */
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: ReplyEnvelope) => {
      this.receive(message);
    });
    child.once('exit', (code, signal) => {
      this.exitReason = `${name} exited (${signal ?? String(code)})`;
      for (const [id, entry] of this.pending) {
        clearTimeout(entry.timer);
        entry.reject(new Error(this.exitReason));
        this.pending.delete(id);
      }
    });
  }

  /**
   * Starts `script` (a .ts file) in a child process with tsx, and waits for
   * its ready message (request id 0), whose result it returns with the peer.
   */
  static async start<Request>(name: string, script: string, env: NodeJS.ProcessEnv, readyTimeoutMs: number): Promise<{ peer: ChildPeer<Request>; ready: unknown }> {
    // stdout is ignored so the parent's stdout stays the report; stderr shows a child's crash.
    const child = fork(script, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    track(child);
    const peer = new ChildPeer<Request>(name, child);
    const ready = await peer.await(0, readyTimeoutMs, undefined);
    return { peer, ready };
  }

  /** The child's process id (`undefined` if it failed to spawn). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends a request; resolves with the child's result, rejects on failure, exit or timeout. */
  request<T>(body: Request, timeoutMs: number, onProgress?: ProgressListener): Promise<T> {
    const id = this.nextId++;
    const reply = this.await(id, timeoutMs, onProgress);
    if (this.exitReason === undefined) {
      const envelope: RequestEnvelope<Request> = { id, body };
      this.child.send(envelope);
    }
    return reply as Promise<T>;
  }

  /** Closes the channel: the child cleans up and exits by itself (the reaper kills it if not). */
  close(): void {
    if (this.child.connected) this.child.disconnect();
  }

  private await(id: number, timeoutMs: number, onProgress: ProgressListener | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.exitReason !== undefined) {
        reject(new Error(this.exitReason));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer within ${String(timeoutMs)} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, onProgress, timer });
    });
  }

  private receive(message: ReplyEnvelope): void {
    const entry = this.pending.get(message.id);
    if (entry === undefined) return;
    if (message.type === 'progress') {
      entry.onProgress?.(message.done, message.total);
      return;
    }
    clearTimeout(entry.timer);
    this.pending.delete(message.id);
    if (message.type === 'done') entry.resolve(message.result);
    else entry.reject(new Error(`${this.name}: ${message.message}`));
  }
}
