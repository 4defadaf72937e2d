/**
 * The store's own two connections to Redis, duplicates of the user's client
 * (which is never changed): one for commands, which rejects at once while
 * disconnected (no offline queue, no retry or resend of a command that was in
 * flight, so nothing runs after its caller was told it failed), and one
 * subscribed to the news channel. Every operation runs through `run`: bounded
 * by the timeout, refused at once while the store is down, and its failure
 * gives the store up (reported once per outage, see StoreHealth). A closed
 * connection gives it up too, since news may have been missed meanwhile.
 */
import type { Redis, RedisOptions } from 'ioredis';
import type { FleetStoreListener } from '../fleet/fleet-store.js';
import { decodeNews } from './news-codec.js';
import type { RedisStoreSettings } from './redis-options.js';
import { STORE_SCRIPTS } from './scripts.js';
import { failureOf, StoreTimeout, StoreUnavailable, systemCodeOf } from './store-fault.js';
import { StoreHealth } from './store-health.js';

/** A connected store: its operations and its end. */
export interface StoreConnection {
  /** Runs `op` on the command connection, bounded by the timeout. @throws StoreUnavailable */
  run<T>(op: (client: Redis) => Promise<T>): Promise<T>;
  /** Closes both connections; the user's client stays as it is. */
  close(): void;
}

/**
 * How long an operation may wait for the command connection's first handshake before it counts as
 * failed (the store's `timeoutMs` when that is longer). The handshake takes several round trips, each
 * needing the process's event loop: 32 processes starting at once on 2 cores took 0.1–0.8 s for it,
 * past the 100 ms default, and 26 of them reported the store down at their start. The store's timeout
 * bounds every operation once the connection has been ready.
 */
const FIRST_READY_MS = 1000;

function unrefTimer(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(callback, ms);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

/** Opens the store's connections from `redis` and reports news and health to `listener`. */
export function openConnection(redis: Redis, settings: RedisStoreSettings, channel: string, listener: FleetStoreListener): StoreConnection {
  const common: Partial<RedisOptions> = {
    lazyConnect: false,
    keyPrefix: '',
    retryStrategy: (times: number) => Math.min(times * 50, settings.retryMs),
    // How long a closing socket may linger before it is destroyed (ioredis keeps a timer for it).
    disconnectTimeout: settings.timeoutMs,
  };
  const cmd = redis.duplicate({ ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false });
  const sub = redis.duplicate({ ...common, enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true });
  for (const script of STORE_SCRIPTS) cmd.defineCommand(script.name, { lua: script.lua, numberOfKeys: script.numberOfKeys });
  let stopped = false;
  let lastCode: string | undefined;
  /** The command connection has been ready once (its first handshake is done). */
  let wasReady = false;
  cmd.once('ready', () => {
    wasReady = true;
  });
  const isStopped = (): boolean => stopped;

  const health = new StoreHealth(
    (fault, detail) => {
      try {
        listener.health(fault, detail);
      } catch {
        // The listener's own failure is not the store's.
      }
    },
    async () => {
      if (sub.status !== 'ready') return false;
      await bounded((client) => client.ping());
      return true;
    },
    settings.retryMs,
  );

  /** `op` on the command connection now, a throw as a rejection. */
  function started<T>(op: (client: Redis) => Promise<T>): Promise<T> {
    try {
      return op(cmd);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('non-error throw'));
    }
  }

  /**
   * Runs `op` once the command connection is ready, rejecting with StoreTimeout after the timeout
   * (`FIRST_READY_MS` at least while the connection has never been ready). The
   * timeout is decided after the event loop's next poll for I/O: a process whose loop was held up (a busy
   * machine, a long synchronous task) wakes with the timer due and the answer already in its socket, and
   * timers run before I/O, so the answer read in that same turn counts.
   */
  function bounded<T>(op: (client: Redis) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let stopWaiting = (): void => undefined;
      const limitMs = wasReady || cmd.status === 'ready' ? settings.timeoutMs : Math.max(settings.timeoutMs, FIRST_READY_MS);
      const timer = unrefTimer(() => {
        setImmediate(() => {
          if (settled) return;
          settled = true;
          stopWaiting();
          reject(new StoreTimeout(limitMs));
        });
      }, limitMs);
      // On a ready connection the command is written now, in order with what the caller does next (a
      // process that leaves the fleet's paces and closes the store: its LEAVE goes before the QUIT).
      const sent =
        cmd.status === 'ready'
          ? started(op)
          : new Promise<void>((readyNow) => {
              const onReady = (): void => {
                stopWaiting();
                readyNow();
              };
              stopWaiting = () => cmd.off('ready', onReady);
              cmd.on('ready', onReady);
            }).then(() => (settled ? undefined : op(cmd)));
      sent
        .then(
          (value) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(value as T);
          },
          (error: unknown) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error('non-error rejection'));
          },
        );
    });
  }

  const onError = (error: unknown): void => {
    lastCode = systemCodeOf(error) ?? lastCode;
  };
  const closedBy = (which: string) => (): void => {
    if (stopped) return;
    health.fail({ fault: 'closed', detail: `${which} to Redis closed${lastCode === undefined ? '' : ` (${lastCode})`}` });
  };
  const onCmdClose = closedBy('the command connection');
  const onSubClose = closedBy('the subscriber connection');
  const onReady = (): void => {
    lastCode = undefined;
    health.nudge();
  };
  const onMessage = (from: unknown, message: unknown): void => {
    if (stopped || from !== channel) return;
    const news = decodeNews(message);
    if (news === undefined) return;
    try {
      listener.news(news);
    } catch {
      // The listener's own failure is not the store's.
    }
  };
  cmd.on('error', onError).on('close', onCmdClose).on('ready', onReady);
  sub.on('error', onError).on('close', onSubClose).on('ready', onReady).on('message', onMessage);
  sub.subscribe(channel).catch(() => undefined);

  return {
    async run<T>(op: (client: Redis) => Promise<T>): Promise<T> {
      if (stopped) throw new StoreUnavailable({ fault: 'closed', detail: 'disconnected' });
      const down = health.down;
      if (down !== undefined) throw new StoreUnavailable(down);
      try {
        return await bounded(op);
      } catch (error) {
        const failure = failureOf(error);
        // Closed meanwhile: the failure is the closing's, not Redis's.
        if (!isStopped()) health.fail(failure);
        throw new StoreUnavailable(failure);
      }
    },
    close(): void {
      if (stopped) return;
      stopped = true;
      health.stop();
      cmd.off('close', onCmdClose).off('ready', onReady);
      sub.off('close', onSubClose).off('ready', onReady).off('message', onMessage);
      for (const client of [cmd, sub]) {
        // The 'error' listener stays: a late socket error of a closing connection is not unhandled.
        if (client.status !== 'ready') {
          client.disconnect();
          continue;
        }
        // QUIT unanswered within the timeout (a silent network): close the socket instead.
        const force = unrefTimer(() => {
          if (client.status !== 'end') client.disconnect();
        }, settings.timeoutMs);
        const settled = (): void => {
          clearTimeout(force);
        };
        client.quit().then(settled, settled);
      }
    },
  };
}
