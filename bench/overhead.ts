/**
 * `npm run bench`: the cost of the policies on the success path, measured
 * against bare axios in the same process and the same run.
 *
 * The local OBS server runs in a child process, so `process.cpuUsage()` here
 * is the client only. Two axios instances with identical keep-alive agents
 * (one bare, one with `attachObsPolicies` and its defaults) GET a 1 KiB object
 * many thousand times at a fixed concurrency; the variants alternate over
 * several rounds (ABAB…) to cancel drift, and medians are reported.
 *
 * Flags: --requests N (per variant per round, default 20000), --concurrency C (32), --rounds R (5).
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import { attachObsPolicies } from 'obs-axios-policies';
import { median, numberFlag } from './bench-args.js';

const REQUESTS = numberFlag('requests', 20_000);
const CONCURRENCY = numberFlag('concurrency', 32);
const ROUNDS = numberFlag('rounds', 5);

interface Sample {
  cpuUsPerRequest: number;
  requestsPerSecond: number;
}

async function drive(client: AxiosInstance, requests: number): Promise<Sample> {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests) {
        next++;
        await client.get('/bench/object-1k', { responseType: 'arraybuffer' });
      }
    }),
  );
  const wallNs = Number(process.hrtime.bigint() - started);
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuUsPerRequest: (cpu.user + cpu.system) / requests, requestsPerSecond: requests / (wallNs / 1e9) };
}

const child = fork(path.join(import.meta.dirname, 'server-process.ts'), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
const port = await new Promise<number>((resolve) => {
  child.once('message', (message: { port: number }) => {
    resolve(message.port);
  });
});

const baseURL = `http://127.0.0.1:${String(port)}`;
const bareAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const policyAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const bare = axios.create({ baseURL, httpAgent: bareAgent });
const managed = axios.create({ baseURL, httpAgent: policyAgent });
const handle = attachObsPolicies(managed);

// Warm-up: JIT, sockets, first-use allocations.
await drive(bare, 3000);
await drive(managed, 3000);

const samples: { bare: Sample[]; policies: Sample[] } = { bare: [], policies: [] };
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which variant goes first, so neither always runs on a warmer machine.
  const order = round % 2 === 0 ? (['bare', 'policies'] as const) : (['policies', 'bare'] as const);
  for (const variant of order) samples[variant].push(await drive(variant === 'bare' ? bare : managed, REQUESTS));
}

const result = {
  bare: { cpu: median(samples.bare.map((s) => s.cpuUsPerRequest)), rps: median(samples.bare.map((s) => s.requestsPerSecond)) },
  policies: { cpu: median(samples.policies.map((s) => s.cpuUsPerRequest)), rps: median(samples.policies.map((s) => s.requestsPerSecond)) },
};
const cpuRatio = result.policies.cpu / result.bare.cpu;
const rpsRatio = result.policies.rps / result.bare.rps;

console.log(`command: npm run bench -- --requests ${String(REQUESTS)} --concurrency ${String(CONCURRENCY)} --rounds ${String(ROUNDS)}`);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${String(os.cpus().length)} cores; client CPU only (the server runs in a child process)`);
console.log('');
console.log('| variant | client CPU per request (median) | throughput (median) |');
console.log('| --- | --- | --- |');
console.log(`| bare axios | ${result.bare.cpu.toFixed(1)} µs | ${result.bare.rps.toFixed(0)} req/s |`);
console.log(`| with attachObsPolicies | ${result.policies.cpu.toFixed(1)} µs | ${result.policies.rps.toFixed(0)} req/s |`);
console.log(`| ratio (policies / bare) | ${cpuRatio.toFixed(3)} (${((cpuRatio - 1) * 100).toFixed(1)}% extra CPU) | ${rpsRatio.toFixed(3)} |`);
console.log('');
console.log(`per-round CPU µs/request, bare:     ${samples.bare.map((s) => s.cpuUsPerRequest.toFixed(1)).join(', ')}`);
console.log(`per-round CPU µs/request, policies: ${samples.policies.map((s) => s.cpuUsPerRequest.toFixed(1)).join(', ')}`);

handle.detach();
bareAgent.destroy();
policyAgent.destroy();
child.disconnect();
