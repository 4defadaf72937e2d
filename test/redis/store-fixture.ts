/**
 * What the Redis store tests share: a listener that records what a store
 * tells, the user's ioredis client, and a watch for unhandled rejections.
 */
import { Redis } from 'ioredis';
import type { FleetNews, FleetStoreFault, FleetStoreListener, ObsFleetStore } from '../../src/fleet/fleet-store.js';
import { sleep } from '../support/poll.js';

/** A listener and what it was told: news (`seen`) and health reports (`healths`). */
export interface Recorder {
  readonly listener: FleetStoreListener;
  readonly seen: FleetNews[];
  readonly healths: [FleetStoreFault | undefined, string][];
}

/** A listener that keeps everything it is told. */
export function recorder(): Recorder {
  const seen: FleetNews[] = [];
  const healths: [FleetStoreFault | undefined, string][] = [];
  return {
    listener: {
      news(news) {
        seen.push(news);
      },
      health(fault, detail) {
        healths.push([fault, detail]);
      },
    },
    seen,
    healths,
  };
}

/** The user's own client of the Redis on `port` (errors while the server is down are expected). */
export function userClient(port: number): Redis {
  const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => undefined);
  return client;
}

/** Collects the process's unhandled rejections until `stop()`. */
export function watchRejections(): { rejections: unknown[]; stop(): void } {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  return {
    rejections,
    stop() {
      process.off('unhandledRejection', onRejection);
    },
  };
}

/** How long `promise` took to settle, and how: `[ms, value or error]`. */
export async function timed<T>(promise: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = Date.now();
  try {
    const value = await promise;
    return { ms: Date.now() - start, value };
  } catch (error) {
    return { ms: Date.now() - start, error };
  }
}

/**
 * Resolves once `rec` has received a news that `publisher` sent, so the store
 * `rec` listens to is subscribed and `publisher` answered. The news sent have
 * the origin `warm-up`; a publish that failed (a slow start past a short
 * timeout) is tried again.
 */
export async function subscribed(publisher: ObsFleetStore, rec: Recorder): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!rec.seen.some((news) => news.origin === 'warm-up')) {
    if (Date.now() > deadline) throw new Error('the store did not subscribe within 10 s');
    await publisher.clock(0, 'warm-up').catch(() => undefined);
    await sleep(20);
  }
}
