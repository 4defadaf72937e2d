/**
 * `npx tsx bench/upload-body-factory.ts`: a large file uploaded from a stream
 * factory (`obs: { body: () => fs.createReadStream(path) }`) through SlowDown,
 * InternalError and a 307 to another allowed host, with the policies attached:
 * does every request carry the file byte for byte, and how much client memory
 * does it cost?
 *
 * Three processes, so each figure is one side's alone:
 * - this one (the parent) writes the file (a pattern, in os.tmpdir(), deleted
 *   at the end) and checks the outcome;
 * - the local OBS server runs in a child with `keepBodiesUpTo`, so it keeps
 *   only the length, SHA-256 and MD5 of each large body (a 1 GiB upload sent
 *   four times never sits in any memory);
 * - each client runs in a fresh child on one axios adapter: the baseline
 *   (after a GC), the peak RSS (sampled every millisecond, and the kernel's
 *   maxRSS, which misses no spike) and the growth between them.
 *
 * The server answers the first request SlowDown, the second InternalError, the
 * third a 307 to `photos.obs.b-region.test` (allowed by `allowHosts`; every
 * host name resolves to 127.0.0.1), which stores it. The check: four requests,
 * each with the file's length and SHA-256; the factory called four times; every
 * stream it made destroyed by the end of the call.
 *
 * Flags: --mb N (file size in MiB, default 1024), --adapters http,fetch (default both).
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axios, { type CreateAxiosDefaults } from 'axios';
import { Agent as UndiciAgent } from 'undici';
import { attachObsPolicies } from 'obs-axios-policies';
import { createLoopbackAgent, createObsServer, loopbackLookup } from 'obs-axios-policies/testing';
import { textFlag } from './cli-flags.js';
import { forceGc, watchMemory } from './memory-watch.js';

type Adapter = 'http' | 'fetch';
const MIB = 1024 * 1024;
/** The server keeps bodies up to this size whole; larger ones only as their digests. */
const SERVER_KEEPS_BYTES = MIB;
const KEY = 'bench/upload.bin';

/** One request as the server saw it. */
interface ServerRecord {
  host: string;
  status: number | undefined;
  code: string | undefined;
  bytes: number;
  sha256: string;
}

/** What a client child measured (bytes, ms). */
interface ClientResult {
  adapter: Adapter;
  status: number;
  durationMs: number;
  factoryCalls: number;
  allDestroyed: boolean;
  events: string[];
  baselineRss: number;
  peakRss: number;
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

// ---------------------------------------------------------------- server child

async function runServer(): Promise<void> {
  const server = await createObsServer({ keepBodiesUpTo: SERVER_KEEPS_BYTES });
  const redirectTo = `http://photos.obs.b-region.test:${String(server.port)}/${KEY}`;
  process.on('message', (message: { type: string }) => {
    if (message.type === 'script') {
      server.reset(true);
      server.enqueue({ error: 'SlowDown' }, { error: 'InternalError' }, { redirect: 307, location: redirectTo });
      process.send?.({ type: 'scripted' });
    } else if (message.type === 'records') {
      const records: ServerRecord[] = server.requests.map((r) => ({
        host: r.host,
        status: typeof r.response === 'object' ? r.response.status : undefined,
        code: typeof r.response === 'object' ? r.response.code : undefined,
        bytes: r.bodyDigest?.bytes ?? r.body.length,
        sha256: r.bodyDigest?.sha256 ?? createHash('sha256').update(r.body).digest('hex'),
      }));
      process.send?.({ type: 'records', records });
    }
  });
  process.send?.({ type: 'port', port: server.port });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- client child

function transport(adapter: Adapter): { config: CreateAxiosDefaults; close: () => Promise<void> } {
  if (adapter === 'fetch') {
    const dispatcher = new UndiciAgent({ connect: { lookup: loopbackLookup } });
    return { config: { adapter: 'fetch', fetchOptions: { dispatcher } }, close: () => dispatcher.destroy() };
  }
  const agent = createLoopbackAgent();
  return {
    config: { httpAgent: agent },
    close: () => {
      agent.destroy();
      return Promise.resolve();
    },
  };
}

async function runClient(adapter: Adapter, port: number, file: string, size: number): Promise<ClientResult> {
  const { config, close } = transport(adapter);
  const client = axios.create({ baseURL: `http://photos.obs.test:${String(port)}`, proxy: false, ...config });
  const handle = attachObsPolicies(client, { retry: { minDelayMs: 1, maxDelayMs: 5 }, redirect: { allowHosts: ['.obs.b-region.test'] } });
  const events: string[] = [];
  for (const name of ['retry', 'redirect', 'failFast', 'giveUp'] as const) handle.on(name, () => events.push(name));
  const made: ReadStream[] = [];
  const body = (): ReadStream => {
    const stream = createReadStream(file);
    made.push(stream);
    return stream;
  };
  forceGc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  forceGc();
  const memory = watchMemory(1);
  const started = performance.now();
  const response = await client.put(`/${KEY}`, undefined, {
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
    obs: { body },
  });
  const durationMs = performance.now() - started;
  const peakRss = memory.stop().rss;
  handle.detach();
  await close();
  return {
    adapter,
    status: response.status,
    durationMs,
    factoryCalls: made.length,
    allDestroyed: made.every((stream) => stream.destroyed),
    events,
    baselineRss: memory.baseline.rss,
    peakRss,
  };
}

// ---------------------------------------------------------------- parent

/** Writes `size` bytes of a pattern (each MiB different) to `file`; returns their SHA-256. */
async function writePatternFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'w');
  try {
    const block = Buffer.alloc(MIB);
    for (let offset = 0; offset < size; offset += MIB) {
      const n = Math.min(MIB, size - offset);
      const seed = offset / MIB;
      for (let i = 0; i < n; i += 4) block.writeUInt32LE(((i * 2654435761) ^ seed) >>> 0, i);
      const chunk = block.subarray(0, n);
      hash.update(chunk);
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

type Child = ReturnType<typeof fork>;

function nextMessage<T>(child: Child, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`child exited with code ${String(code)} before sending ${type}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function forkSelf(args: string[]): Child {
  return fork(import.meta.filename, args, { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: 'inherit' });
}

async function measureClient(adapter: Adapter, port: number, file: string, size: number): Promise<ClientResult> {
  const child = forkSelf(['--client', adapter, '--port', String(port), '--file', file, '--size', String(size)]);
  const result = await nextMessage<{ type: string; result: ClientResult }>(child, 'result');
  await new Promise((resolve) => child.once('exit', resolve));
  return result.result;
}

async function runParent(): Promise<void> {
  const mb = Number(textFlag('mb') ?? 1024);
  if (!(Number.isInteger(mb) && mb > 0)) throw new Error('--mb must be a positive integer');
  const adapters = (textFlag('adapters') ?? 'http,fetch').split(',') as Adapter[];
  const size = mb * MIB;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'obs-upload-bench-'));
  const file = path.join(dir, 'upload.bin');
  const server = forkSelf(['--server']);
  const rows: string[] = [];
  let failed = false;
  try {
    const fileSha256 = await writePatternFile(file, size);
    const { port } = await nextMessage<{ port: number }>(server, 'port');
    for (const adapter of adapters) {
      server.send({ type: 'script' });
      await nextMessage(server, 'scripted');
      const result = await measureClient(adapter, port, file, size);
      server.send({ type: 'records' });
      const { records } = await nextMessage<{ records: ServerRecord[] }>(server, 'records');
      const answers = records.map((r) => (r.code === undefined ? String(r.status) : `${String(r.status)} ${r.code}`));
      const exact = records.length === 4 && records.every((r) => r.bytes === size && r.sha256 === fileSha256);
      const expectedAnswers = ['503 SlowDown', '500 InternalError', '307 TemporaryRedirect', '200'];
      const ok =
        exact &&
        result.status === 200 &&
        answers.join() === expectedAnswers.join() &&
        records[3]?.host.startsWith('photos.obs.b-region.test') === true &&
        result.factoryCalls === 4 &&
        result.allDestroyed;
      if (!ok) failed = true;
      rows.push(
        `| ${adapter} | ${answers.join(', ')} | ${exact ? 'yes' : 'NO'} | ${String(result.factoryCalls)} (${result.allDestroyed ? 'all destroyed' : 'NOT all destroyed'}) | ` +
          `${mib(result.baselineRss)} | ${mib(result.peakRss)} | **+${mib(result.peakRss - result.baselineRss)}** | ${(result.durationMs / 1000).toFixed(1)} s |`,
      );
    }
  } finally {
    server.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`command: npx tsx bench/upload-body-factory.ts --mb ${String(mb)} --adapters ${adapters.join(',')}`);
  console.log(`node ${process.version}, axios ${axios.VERSION}, ${String(os.cpus().length)} cores; a ${String(mb)} MiB file, 4 requests (SlowDown, InternalError, 307, 200), each sending the whole file`);
  console.log('');
  console.log('| adapter | server answers | every request byte for byte (length + SHA-256) | streams made | client RSS before | peak RSS | growth | time |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  if (failed) {
    console.error('FAILED: the upload did not arrive as expected (see the table)');
    process.exitCode = 1;
  }
}

// ---------------------------------------------------------------- entry

if (process.argv.includes('--server')) {
  await runServer();
} else if (textFlag('client') !== undefined) {
  const adapter = textFlag('client') as Adapter;
  const result = await runClient(adapter, Number(textFlag('port')), textFlag('file') ?? '', Number(textFlag('size')));
  process.send?.({ type: 'result', result }, () => {
    process.exit(0);
  });
} else {
  await runParent();
}
