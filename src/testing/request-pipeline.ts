/**
 * How the local OBS server answers a recorded request: the signature check
 * (with credentials), then a queued step, a scenario or the store, now or after
 * the step's delay; a step that cannot be played becomes a 500 naming the problem.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { AuthGate } from './auth/auth-gate.js';
import type { ObjectStore } from './object-store.js';
import { cutOf, writeCountedReply } from './body-writer.js';
import type { RecordedRequest, RecordedResponse } from './recorded-request.js';
import { renderStep } from './render-step.js';
import { errorReply, type Reply } from './reply.js';
import { scenarioAnswer, type ActiveScenario } from './scenarios.js';
import type { StepQueue } from './step-queue.js';
import { serveFromStore } from './store-routes.js';
import type { ObsServerStep, OkStep } from './steps.js';
import { playReset, resetSocket } from './transport-faults.js';

/** `setTimeout` fires at once for delays beyond this; longer delays are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the pipeline reads and writes of its server. */
export interface PipelineState {
  readonly store: ObjectStore;
  readonly queue: StepQueue;
  readonly scenarios: readonly ActiveScenario[];
  /** Delayed answers in flight; `close()` clears them. */
  readonly timers: Set<NodeJS.Timeout>;
  readonly now: () => number;
  readonly autoCreateBuckets: boolean;
  /** The smallest size of every part but the last of a completed multipart upload. */
  readonly minPartBytes: number;
  readonly auth: AuthGate | undefined;
}

/** Answers the requests of one server. */
export class RequestPipeline {
  constructor(private readonly state: PipelineState) {}

  /** With `credentials`, checks the signature first (in arrival order) and answers a refusal itself. */
  admit(record: RecordedRequest, res: http.ServerResponse, socket: Socket): void {
    if (this.state.auth === undefined) {
      this.dispatch(record, res, socket);
      return;
    }
    void this.state.auth
      .check(record)
      .then((denial) => {
        if (denial === undefined) this.dispatch(record, res, socket);
        else if (!socket.destroyed && !res.writableEnded) this.send(record, res, denial, socket);
      })
      .catch((error: unknown) => {
        this.fail(record, res, socket, error);
      });
  }

  /** Picks the step (queue first, then scenarios) and answers now or after its delay. */
  private dispatch(record: RecordedRequest, res: http.ServerResponse, socket: Socket): void {
    let step: ObsServerStep | undefined;
    try {
      step = this.state.queue.take(record) ?? this.scenarioStep(record);
    } catch (error) {
      this.fail(record, res, socket, error);
      return;
    }
    const delay = Math.min(step?.delayMs ?? 0, MAX_TIMER_MS);
    if (!(delay > 0)) {
      this.answer(record, step, res, socket);
      return;
    }
    const timer = setTimeout(() => {
      this.state.timers.delete(timer);
      this.answer(record, step, res, socket);
    }, delay);
    this.state.timers.add(timer);
  }

  private scenarioStep(record: RecordedRequest): ObsServerStep | undefined {
    const now = this.state.now();
    for (const active of this.state.scenarios) {
      const answer = scenarioAnswer(active, now, record);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  private answer(record: RecordedRequest, step: ObsServerStep | undefined, res: http.ServerResponse, socket: Socket): void {
    // The client may have given up during a delay: nothing to answer.
    if (socket.destroyed || res.writableEnded) return;
    try {
      if (step !== undefined && 'reset' in step) {
        record.response = 'reset';
        playReset(step, res, socket);
      } else if (step !== undefined && 'hang' in step) {
        record.response = 'hang';
      } else if (step === undefined || 'ok' in step) {
        const { store, autoCreateBuckets, minPartBytes } = this.state;
        this.send(record, res, serveFromStore(store, record, { autoCreateBuckets, minPartBytes }), socket, step);
      } else {
        this.send(record, res, renderStep(step, record), socket);
      }
    } catch (error) {
      this.fail(record, res, socket, error);
    }
  }

  /** Writes `reply`, recording its status and the body bytes it wrote; an ok step's cut and replacement apply to a success. */
  private send(record: RecordedRequest, res: http.ServerResponse, reply: Reply, socket: Socket, step?: OkStep): void {
    const response: Exclude<RecordedResponse, string> = reply.code === undefined ? { status: reply.status } : { status: reply.status, code: reply.code };
    record.response = response;
    // Only a success carries the object: a cut or a replacement applies to it, not to an error answer.
    const success = reply.status >= 200 && reply.status < 300;
    writeCountedReply(res, socket, reply, record.method === 'HEAD', success ? cutOf(step) : undefined, {
      onBytes: (total) => {
        record.bodyBytes = total;
      },
      onCut: (how) => {
        response.cut = how;
      },
    });
    if (success && step?.replaceWith !== undefined) this.replaceObject(record, step.replaceWith);
  }

  /** Stores a new version of the requested object (its type kept), once the old one's head is out. */
  private replaceObject(record: RecordedRequest, content: Buffer | string): void {
    const { store } = this.state;
    const current = store.get(record.bucket, record.key);
    store.put(record.bucket, record.key, Buffer.isBuffer(content) ? content : Buffer.from(content), current?.contentType);
  }

  /**
   * A step that cannot be played (a custom scenario that throws, a header value
   * Node refuses) becomes a 500 InternalError naming the problem, so the test
   * sees it rather than a crashed process; if the head is already out, a reset.
   */
  private fail(record: RecordedRequest, res: http.ServerResponse, socket: Socket, error: unknown): void {
    if (res.headersSent) {
      record.response = 'reset';
      resetSocket(socket);
      return;
    }
    try {
      this.send(record, res, errorReply({ error: 'InternalError', message: `Local OBS server: ${messageOf(error)}` }, record), socket);
    } catch {
      record.response = 'reset';
      resetSocket(socket);
    }
  }
}
