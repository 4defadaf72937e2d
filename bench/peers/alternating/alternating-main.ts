/**
 * The client process of the alternating overhead setup: every client lives in
 * this one process, built the way users build axios (`axios.create` with a
 * `baseURL`, a keep-alive agent, `maxRedirects: 0`, a timeout, relative
 * paths, default `responseType`), one of them with the policies attached
 * (from the built package). After a warm-up of each client, rounds alternate
 * the order of the clients (forward, backward, …), so each client runs as
 * often first as last, on the same JIT, heap and sockets' process as the
 * others. CPU is `process.cpuUsage()` of the process over one client's GETs.
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import axios, { type AxiosInstance } from 'axios';
import type * as Policies from '../../../src/index.js';
import { serveParent, type ProgressReporter } from '../ipc/serve.js';
import { attachStore } from '../store/attach-store.js';
import type { AlternatingClient, AlternatingResult, AlternatingRun, AlternatingSample } from './alternating-protocol.js';

/** Objects the GETs cycle through (the server answers them all alike). */
const KEYS = 100;

interface Built {
  id: string;
  instance: AxiosInstance;
  agent: http.Agent;
  detach: () => void;
}

async function build(run: AlternatingRun, client: AlternatingClient): Promise<Built> {
  const agent = new http.Agent({ keepAlive: true });
  const instance = axios.create({ baseURL: run.origin, httpAgent: agent, maxRedirects: 0, timeout: run.timeoutMs });
  if (client.kind === 'axios') return { id: client.id, instance, agent, detach: () => undefined };
  // Typed as the source's exports; loaded from the build.
  const policies = (await import(pathToFileURL(run.distEntry).href)) as typeof Policies;
  const store = await attachStore(run.distEntry, client.options ?? {}, client.store);
  const handle = policies.attachObsPolicies(instance, store.options);
  return {
    id: client.id,
    instance,
    agent,
    detach: () => {
      handle.detach();
      store.close();
    },
  };
}

/** `calls` GETs with `concurrency` in flight; never rejects (failures are counted). */
async function drive(client: Built, calls: number, concurrency: number, errors: Record<string, string>): Promise<AlternatingSample> {
  let started = 0;
  let ok = 0;
  let failed = 0;
  const lane = async (): Promise<void> => {
    while (started < calls) {
      started++;
      try {
        await client.instance.get(`/bench/object-${String(started % KEYS)}`);
        ok++;
      } catch (error) {
        failed++;
        errors[client.id] ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  const cpu = process.cpuUsage(before);
  return { cpuUs: cpu.user + cpu.system, ok, failed };
}

async function runAll(run: AlternatingRun, progress: ProgressReporter): Promise<AlternatingResult> {
  const clients: Built[] = [];
  try {
    for (const client of run.clients) clients.push(await build(run, client));
    const firstErrors: Record<string, string> = {};
    const total = clients.length * (run.warmup + run.rounds * run.requests);
    let done = 0;
    // Warm-up: JIT, sockets, first-use allocations of every client; not measured.
    for (const client of clients) {
      await drive(client, run.warmup, run.concurrency, firstErrors);
      progress((done += run.warmup), total);
    }
    const rounds: Record<string, AlternatingSample>[] = [];
    for (let round = 0; round < run.rounds; round++) {
      const order = round % 2 === 0 ? clients : [...clients].reverse();
      const samples: Record<string, AlternatingSample> = {};
      for (const client of order) {
        samples[client.id] = await drive(client, run.requests, run.concurrency, firstErrors);
        progress((done += run.requests), total);
      }
      rounds.push(samples);
    }
    return { rounds, firstErrors };
  } finally {
    for (const client of clients) {
      client.detach();
      client.agent.destroy();
    }
  }
}

serveParent<AlternatingRun>(
  (request, progress) => runAll(request, progress),
  () => Promise.resolve(),
);
process.send?.({ id: 0, type: 'done', result: { pid: process.pid } });
