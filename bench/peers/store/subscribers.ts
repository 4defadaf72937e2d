/**
 * Waits until a fleet's stores all listen on their news channel, so a load
 * starts with every process in the fleet (as the fleet tests do).
 */
import { Redis } from 'ioredis';
import type { StoreSpec } from './store-spec.js';

/** Waits (at most `timeoutMs`) until `count` connections listen on `<prefix>:news`; throws past it. */
export async function waitForSubscribers(spec: StoreSpec, count: number, timeoutMs = 10_000): Promise<void> {
  const probe = new Redis(spec.url, { maxRetriesPerRequest: 1 });
  probe.on('error', () => undefined);
  const channel = `${spec.prefix}:news`;
  try {
    for (const deadline = Date.now() + timeoutMs; ; ) {
      const answer = (await probe.pubsub('NUMSUB', channel)) as [string, number];
      if (answer[1] >= count) return;
      if (Date.now() > deadline) throw new Error(`only ${String(answer[1])} of ${String(count)} stores listen on ${channel}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    probe.disconnect();
  }
}
