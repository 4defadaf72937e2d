/**
 * `npx tsx bench/resumable-download.ts`: a large object streamed through
 * mid-body faults, on each axios adapter (http: Node stream, fetch: WHATWG
 * stream), through `attachObsPolicies` (its resumable bodies:
 * src/transport/resumable-body.ts, wired in src/call/policy-call.ts).
 *
 * The local OBS server runs in this (parent) process and holds the object in
 * one Buffer. It answers the first GETs with bodies cut at spread offsets:
 * `--resets` TCP resets and `--stalls` stalls (the connection stays open and
 * silent until the client's idle timeout gives up on it), then answers the
 * last range read whole. Each run is a fresh child process with one client on
 * one adapter that reads the stream the caller would get and hashes it, so the
 * memory figures are the client's alone: RSS before the download (after a GC)
 * and its peak while it runs (sampled, and the kernel's maxRSS).
 *
 * Reported: whether the bytes arrived byte for byte (sha256), the extra
 * requests (every request after the first), and the bytes sent twice: what
 * the server wrote for the object (every answer's body bytes, counted as
 * they are handed to the socket, those of cut answers included) minus the
 * object's size; and, on the http adapter, the bytes received twice: what the
 * client's sockets read (heads included) minus the object's size. The two
 * differ by what a reset drops from the server's own socket buffer: written by
 * the server, never sent, so written again but not carried twice.
 *
 * The client allows `--resets + --stalls` retries (each resume is one), with
 * `bodyIdleTimeoutMs` set to `--idle-ms`.
 *
 * Flags: --mb N (object size, default 256), --resets N (default 5), --stalls N (default 1),
 * --idle-ms N (the stall timeout, default 1000), --runs N (per adapter, default 1).
 */
import axios from 'axios';
import http from 'node:http';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { attachObsPolicies } from 'obs-axios-policies';
import { createObsServer } from 'obs-axios-policies/testing';
import { measureInChild } from './child-measurement.js';
import { integerFlag, textFlag } from './cli-flags.js';
import { forceGc, watchMemory } from './memory-watch.js';

type Adapter = 'http' | 'fetch';
const ADAPTERS: readonly Adapter[] = ['http', 'fetch'];
const MB = 1024 * 1024;
const KEY = 'large.bin';
const PATH = `/bench/${KEY}`;
/** A child that has not finished by then is killed: the run fails rather than hangs. */
const CHILD_LIMIT_MS = 10 * 60 * 1000;

/** What a child measured. */
interface Measurement {
  adapter: Adapter;
  /** sha256 of every byte the caller got. */
  sha256: string;
  bytes: number;
  /** The error that ended the stream, if one did. */
  error: string | undefined;
  /** The allowance's questions, in order: `reset@<bytes>` / `stall@<bytes>`. */
  resumes: string[];
  durationMs: number;
  baselineRss: number;
  peakRss: number;
  /** http adapter: bytes the client's sockets read (bodies and heads), i.e. what crossed the wire; fetch: `undefined`. */
  wireBytes: number | undefined;
}

/** A deterministic object: a pseudo-random MiB, each copy stamped with its index so no two MiB are alike. */
function makeObject(size: number): Buffer {
  const block = Buffer.alloc(MB);
  let x = 0x9e3779b9;
  for (let i = 0; i < MB; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block.writeUInt32LE(x >>> 0, i);
  }
  const object = Buffer.alloc(size);
  for (let offset = 0, index = 0; offset < size; offset += MB, index += 1) {
    block.copy(object, offset, 0, Math.min(MB, size - offset));
    if (offset + 8 <= size) object.writeBigUInt64LE(BigInt(index), offset);
  }
  return object;
}

/** An http.Agent that remembers its sockets, to count what crossed the wire (undici's sockets are out of reach). */
class CountingAgent extends http.Agent {
  readonly sockets_ = new Set<{ bytesRead: number }>();
  override createConnection(...args: Parameters<http.Agent['createConnection']>): ReturnType<http.Agent['createConnection']> {
    const socket = super.createConnection(...args);
    if (socket !== undefined && socket !== null) this.sockets_.add(socket as unknown as { bytesRead: number });
    return socket;
  }
}

/** Child: one streamed GET on one adapter through the policies, resumed through the faults, hashed as it is read. */
async function runChild(adapter: Adapter, baseURL: string, idleMs: number, allowed: number): Promise<Measurement> {
  const agent = new CountingAgent({ keepAlive: true });
  const client = axios.create({ baseURL, httpAgent: agent, ...(adapter === 'fetch' ? { adapter: 'fetch' as const } : {}) });
  const handle = attachObsPolicies(client, { bodyIdleTimeoutMs: idleMs, retry: { retries: allowed, minDelayMs: 1, maxDelayMs: 10 }, random: () => 0.5 });
  const resumes: string[] = [];
  handle.on('resume', (event) => {
    resumes.push(`${event.reason}@${String(event.receivedBytes)}`);
  });
  const sockets = agent.sockets_;
  // A GC before the download makes the baseline comparable.
  forceGc();
  const memory = watchMemory(5);
  const started = performance.now();
  const hash = createHash('sha256');
  let bytes = 0;
  let error: string | undefined;
  try {
    const body: unknown = (await client.get(PATH, { responseType: 'stream' })).data;
    if (adapter === 'http') {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
      }
    } else {
      const reader = (body as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        bytes += value.length;
      }
    }
  } catch (caught) {
    error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  }
  const durationMs = performance.now() - started;
  const peakRss = memory.stop().rss;
  const wireBytes = adapter === 'http' ? [...sockets].reduce((sum, socket) => sum + socket.bytesRead, 0) : undefined;
  return { adapter, sha256: hash.digest('hex'), bytes, error, resumes, durationMs, baselineRss: memory.baseline.rss, peakRss, wireBytes };
}

/** Parent: forks one child for `adapter` and waits for its measurement. */
function measureAdapter(adapter: Adapter, baseURL: string, idleMs: number, allowed: number): Promise<Measurement> {
  return measureInChild<Measurement>({
    script: import.meta.filename,
    args: ['--child', adapter, '--url', baseURL, '--idle-ms', String(idleMs), '--allowed', String(allowed)],
    label: adapter,
    limitMs: CHILD_LIMIT_MS,
  });
}

function mib(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MiB`;
}

async function runParent(): Promise<void> {
  const mb = integerFlag('mb', 256);
  const resets = integerFlag('resets', 5, 0);
  const stalls = integerFlag('stalls', 1, 0);
  const idleMs = integerFlag('idle-ms', 1000);
  const runs = integerFlag('runs', 1);
  const size = mb * MB;
  const object = makeObject(size);
  const sha = createHash('sha256').update(object).digest('hex');
  const faults = resets + stalls;
  // Cut every answer after an equal share, so the cuts fall at spread offsets; the stalls come in the middle.
  const share = Math.floor(size / (faults + 1));
  const stallFrom = Math.floor((faults - stalls) / 2);
  const server = await createObsServer();
  const rows: string[] = [];
  let ok = true;
  try {
    for (let run = 0; run < runs; run++) {
      for (const adapter of ADAPTERS) {
        server.reset(true);
        server.putObject('bench', KEY, object);
        for (let i = 0; i < faults; i++) {
          const stall = i >= stallFrom && i < stallFrom + stalls;
          server.enqueue(stall ? { ok: true, stallAfterBytes: share, match: { path: PATH } } : { ok: true, resetAfterBytes: share, match: { path: PATH } });
        }
        const m = await measureAdapter(adapter, server.url, idleMs, faults);
        const requests = server.requests.filter((r) => r.path === PATH);
        const written = requests.reduce((sum, r) => sum + (r.bodyBytes ?? 0), 0);
        const twice = written - size;
        const wireTwice = m.wireBytes === undefined ? undefined : m.wireBytes - size;
        const wire = wireTwice === undefined ? 'n/a' : `${mib(wireTwice)} (${((wireTwice / size) * 100).toFixed(2)} %)`;
        const intact = m.error === undefined && m.bytes === size && m.sha256 === sha;
        ok &&= intact;
        rows.push(
          `| ${adapter} | ${intact ? 'yes' : `NO (${m.error ?? `${String(m.bytes)} bytes, sha ${m.sha256.slice(0, 12)}`})`} | ${String(requests.length - 1)} | ` +
            `${mib(twice)} (${((twice / size) * 100).toFixed(2)} %) | ${wire} | ${mib(m.baselineRss)} | +${mib(m.peakRss - m.baselineRss)} | ${(m.durationMs / 1000).toFixed(1)} s |`,
        );
        console.error(`${adapter}: resumes ${m.resumes.join(', ')}; server wrote ${String(written)} bytes in ${String(requests.length)} answers`);
      }
    }
  } finally {
    await server.close();
  }
  console.log(`command: npx tsx bench/resumable-download.ts --mb ${String(mb)} --resets ${String(resets)} --stalls ${String(stalls)} --idle-ms ${String(idleMs)} --runs ${String(runs)}`);
  console.log(`node ${process.version}, axios ${axios.VERSION}, undici ${process.versions.undici ?? '?'} (global fetch), ${String(os.cpus().length)} cores`);
  console.log(
    `one streamed GET of a ${String(mb)} MiB object; the first ${String(faults)} answers cut after ${mib(share)} each ` +
      `(${String(resets)} resets, ${String(stalls)} stall${stalls === 1 ? '' : 's'} of which the idle timeout gives up after ${String(idleMs)} ms)`,
  );
  console.log('');
  console.log('| adapter | byte for byte | extra requests | written twice (server) | received twice (wire) | client RSS before | client peak RSS growth | time |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  if (!ok) process.exitCode = 1;
}

const childAdapter = textFlag('child');
if (childAdapter !== undefined) {
  if (!ADAPTERS.includes(childAdapter as Adapter)) throw new Error(`unknown adapter ${childAdapter}`);
  const measurement = await runChild(childAdapter as Adapter, textFlag('url') ?? '', integerFlag('idle-ms', 1000), integerFlag('allowed', 6, 0));
  process.send?.(measurement, () => {
    process.exit(0);
  });
} else {
  await runParent();
}
