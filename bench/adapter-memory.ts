/**
 * `npx tsx bench/adapter-memory.ts`: the client memory one large, retried PUT
 * costs on each axios adapter (http and fetch), with the policies attached.
 *
 * The local OBS server runs in this (parent) process and answers SlowDown
 * `--slowdowns` times, then 200; each attempt uploads the whole body, so the
 * call sends it `slowdowns + 1` times. Every run is a fresh child process with
 * one client on one adapter, so the figures are that adapter's alone: the
 * baseline (after the body Buffer is allocated and a GC), the peak RSS (the
 * kernel's maxRSS, which misses no spike) and the peak `external` /
 * `arrayBuffers` (sampled every millisecond) while the call runs.
 *
 * Why the figures differ: the http adapter writes the caller's Buffer to the
 * socket as is; the fetch adapter builds a fetch `Request` per attempt, and the
 * Fetch spec (undici follows it) makes a Request body a copy of the bytes of a
 * BufferSource. Each attempt therefore allocates one more body-sized copy,
 * which lives until a GC collects it.
 *
 * Flags: --mb N (body size, default 50), --slowdowns N (0 or more, default 2), --runs N (per adapter, default 3).
 */
import os from 'node:os';
import axios from 'axios';
import { attachObsPolicies } from 'obs-axios-policies';
import { createObsServer } from 'obs-axios-policies/testing';
import { median } from './bench-args.js';
import { measureInChild } from './child-measurement.js';
import { integerFlag, textFlag } from './cli-flags.js';
import { forceGc, watchMemory } from './memory-watch.js';

type Adapter = 'http' | 'fetch';
const ADAPTERS: readonly Adapter[] = ['http', 'fetch'];
const MB = 1024 * 1024;

/** What a child measured, in bytes (durations in ms). */
interface Measurement {
  adapter: Adapter;
  status: number;
  durationMs: number;
  baselineRss: number;
  peakRss: number;
  baselineExternal: number;
  peakExternal: number;
  baselineArrayBuffers: number;
  peakArrayBuffers: number;
  /** `external` after the call and settled GCs: what stays retained. */
  afterGcExternal: number;
}

/**
 * Full GCs a few event-loop turns apart. One GC right after a fetch call still
 * finds a body copy that these turns free, so "retained" is measured after them.
 */
async function settleGc(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    forceGc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  forceGc();
}

/** Child: one client on one adapter, one PUT of `mb` MB, memory watched throughout. */
async function runChild(adapter: Adapter, baseURL: string, mb: number, retries: number): Promise<Measurement> {
  const body = Buffer.alloc(mb * MB, 7);
  // Stock adapters, as users get them: Node's http default, or `adapter: 'fetch'` on the global fetch.
  const client = axios.create({ baseURL, ...(adapter === 'fetch' ? { adapter: 'fetch' as const } : {}) });
  const handle = attachObsPolicies(client, { retry: { retries, minDelayMs: 1, maxDelayMs: 5 } });
  await settleGc();
  const memory = watchMemory(1);
  const started = performance.now();
  const response = await client.put('/bench/large.bin', body, { headers: { 'content-type': 'application/octet-stream' } });
  const durationMs = performance.now() - started;
  const peak = memory.stop();
  const { baseline } = memory;
  handle.detach();
  await settleGc();
  return {
    adapter,
    status: response.status,
    durationMs,
    baselineRss: baseline.rss,
    peakRss: peak.rss,
    baselineExternal: baseline.external,
    peakExternal: peak.external,
    baselineArrayBuffers: baseline.arrayBuffers,
    peakArrayBuffers: peak.arrayBuffers,
    afterGcExternal: process.memoryUsage().external,
  };
}

/** Parent: forks one child for `adapter` and waits for its measurement. */
function measureAdapter(adapter: Adapter, baseURL: string, mb: number, retries: number): Promise<Measurement> {
  return measureInChild<Measurement>({
    script: import.meta.filename,
    args: ['--child', adapter, '--url', baseURL, '--mb', String(mb), '--retries', String(retries)],
    label: adapter,
  });
}

function mib(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}

async function runParent(): Promise<void> {
  const mb = integerFlag('mb', 50);
  const slowdowns = integerFlag('slowdowns', 2, 0);
  const runs = integerFlag('runs', 3);
  const server = await createObsServer();
  const results: Record<Adapter, Measurement[]> = { http: [], fetch: [] };
  try {
    for (let run = 0; run < runs; run++) {
      for (const adapter of ADAPTERS) {
        server.reset(true);
        if (slowdowns > 0) server.enqueue({ error: 'SlowDown', times: slowdowns });
        const measurement = await measureAdapter(adapter, server.url, mb, slowdowns);
        // The call must really have uploaded the body slowdowns + 1 times and stored it whole.
        const stored = server.getObject('bench', 'large.bin')?.length;
        if (measurement.status !== 200 || server.requests.length !== slowdowns + 1 || stored !== mb * MB) {
          throw new Error(`${adapter}: status ${String(measurement.status)}, ${String(server.requests.length)} requests, stored ${String(stored)} bytes`);
        }
        results[adapter].push(measurement);
      }
    }
  } finally {
    await server.close();
  }

  console.log(`command: npx tsx bench/adapter-memory.ts --mb ${String(mb)} --slowdowns ${String(slowdowns)} --runs ${String(runs)}`);
  console.log(`node ${process.version}, axios ${axios.VERSION}, undici ${process.versions.undici ?? '?'} (global fetch), ${String(os.cpus().length)} cores`);
  console.log(`one PUT of a ${String(mb)} MB Buffer, answered SlowDown ${String(slowdowns)}× then 200 (${String(slowdowns + 1)} uploads); medians of ${String(runs)} runs, each in a fresh process`);
  console.log('');
  console.log('| adapter | RSS before | peak RSS (growth) | peak external (growth) | peak arrayBuffers (growth) | external after the call (GC) | time |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const adapter of ADAPTERS) {
    const m = results[adapter];
    const med = (pick: (x: Measurement) => number): number => median(m.map(pick));
    console.log(
      `| ${adapter} | ${mib(med((x) => x.baselineRss))} | ${mib(med((x) => x.peakRss))} (+${mib(med((x) => x.peakRss - x.baselineRss))}) | ` +
        `${mib(med((x) => x.peakExternal))} (+${mib(med((x) => x.peakExternal - x.baselineExternal))}) | ` +
        `${mib(med((x) => x.peakArrayBuffers))} (+${mib(med((x) => x.peakArrayBuffers - x.baselineArrayBuffers))}) | ` +
        `${mib(med((x) => x.afterGcExternal))} | ${med((x) => x.durationMs).toFixed(0)} ms |`,
    );
  }
  console.log('');
  for (const adapter of ADAPTERS) {
    console.log(`per-run peak RSS growth, ${adapter}: ${results[adapter].map((x) => mib(x.peakRss - x.baselineRss)).join(', ')}`);
  }
}

const childAdapter = textFlag('child');
if (childAdapter !== undefined) {
  if (!ADAPTERS.includes(childAdapter as Adapter)) throw new Error(`unknown adapter ${childAdapter}`);
  const measurement = await runChild(childAdapter as Adapter, textFlag('url') ?? '', integerFlag('mb', 50), integerFlag('retries', 2, 0));
  process.send?.(measurement, () => {
    process.exit(0);
  });
} else {
  await runParent();
}
