/**
 * Settling after the current macrotask, in microseconds. A refusal that never
 * touches I/O must still let timers run, or a caller that retries at once in a
 * loop starves the timer that would end the refusals (a breaker's half-open
 * timer, a pace slot); and it must not cost the 1 ms (4 ms in browsers) a
 * `setTimeout(0)` does. Where `setImmediate` exists (Node, Bun) it is used: each
 * turn of the event loop runs its due timers before its immediates. Browsers get
 * one shared `MessageChannel` (a task, so timers interleave) with a queue;
 * `setTimeout(0)` is the last resort.
 */

/** Runs a callback in a later macrotask. */
type Scheduler = (task: () => void) => void;

/** The globals a scheduler may be built on (`globalThis`, or a stand-in in tests). */
export interface MacrotaskRuntime {
  /** Node and Bun: runs the callback in this loop turn's check phase; the next turn runs due timers first. */
  setImmediate?: ((callback: () => void) => unknown) | undefined;
  /** Browsers (and workers): a posted message is a task of its own. */
  MessageChannel?: (new () => MessageChannel) | undefined;
  /** Everywhere; clamped to at least 1 ms (4 ms once nested in browsers), so the last resort. */
  setTimeout: (callback: () => void, ms: number) => unknown;
}

/**
 * One `MessageChannel` for every task: each busy spell posts one message and
 * runs, when it arrives, the tasks queued until then (tasks queued while they
 * run wait for the next message, so timers get their turn in between). The
 * listener is there only while tasks wait, so an idle channel holds no runtime open.
 */
function channelScheduler(Channel: new () => MessageChannel): Scheduler {
  let channel: MessageChannel | undefined;
  let queue: (() => void)[] = [];
  const runQueued = (): void => {
    channel?.port1.removeEventListener('message', runQueued);
    const due = queue;
    queue = [];
    for (const task of due) task();
  };
  return (task) => {
    queue.push(task);
    if (queue.length > 1) return;
    channel ??= new Channel();
    channel.port1.addEventListener('message', runQueued);
    channel.port1.start();
    channel.port2.postMessage(undefined);
  };
}

/**
 * The fastest way `runtime` offers to run a callback after the current macrotask:
 * `setImmediate`, else one shared `MessageChannel`, else `setTimeout(0)`.
 */
export function macrotaskScheduler(runtime: MacrotaskRuntime): Scheduler {
  const { setImmediate: immediate, MessageChannel: Channel, setTimeout: timeout } = runtime;
  if (typeof immediate === 'function') return (task) => immediate(task);
  if (typeof Channel === 'function') return channelScheduler(Channel);
  return (task) => timeout(task, 0);
}

/** The scheduler of a runtime without `setImmediate`, made on first use. */
let fallback: Scheduler | undefined;

/** Runs `task` after the current macrotask, on this runtime's fastest scheduler. */
function schedule(task: () => void): void {
  // Looked up on every call, so fake timers installed (or removed) later are honoured.
  const runtime = globalThis as MacrotaskRuntime;
  if (typeof runtime.setImmediate === 'function') {
    runtime.setImmediate(task);
    return;
  }
  fallback ??= macrotaskScheduler(runtime);
  fallback(task);
}

/**
 * Settles after the current macrotask, without a timer where the runtime allows:
 * microseconds, yet timers due meanwhile still run first.
 */
export function nextMacrotask(): Promise<void> {
  return new Promise(schedule);
}
