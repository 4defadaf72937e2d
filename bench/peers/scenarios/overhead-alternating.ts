/**
 * overhead, one process: the recipe of users' default axios config. Bare
 * axios and obs-axios-policies (and the A/A bare client, when selected) live
 * in ONE process, each `axios.create({ baseURL, httpAgent: keep-alive agent,
 * maxRedirects: 0, timeout })` GETting relative paths with the default
 * `responseType`, from a plain `node:http` server in another process that
 * answers 1 KiB with OBS headers. After a warm-up of each client, rounds
 * alternate the clients' order (A B, B A, A B, …). Reported per client: the
 * median CPU µs per GET of its rounds, and the median of its per-round
 * ratios to bare axios (each round's ratio compares GETs run back to back
 * in the same process), with every per-round ratio listed.
 */
import { BASELINE_ID, runsIn, type ClientVariant } from '../clients.js';
import { ATTEMPT_TIMEOUT_MS } from '../cli/sizes.js';
import type { AlternatingClient, AlternatingResult, AlternatingRun } from '../alternating/alternating-protocol.js';
import type { BenchContext } from '../harness/bench-context.js';
import { measuredEntry } from '../harness/dist-snapshot.js';
import { ALTERNATING_SCRIPT, PLAIN_SERVER_SCRIPT } from '../harness/paths.js';
import { ChildPeer } from '../ipc/child-peer.js';
import type { JsonObject } from '../ipc/protocol.js';
import type { MarkdownTable } from '../report/markdown-table.js';
import { fixed, times } from '../report/format.js';
import { median } from '../report/stats.js';
import { freshStorePrefix, wantsRedisStore } from '../store/store-spec.js';
import { storeOverheadNote } from './store-overhead-note.js';

/** Bound on one GET in the parent's time limit for the whole run (generous: the machine may be shared). */
const MS_PER_GET_BOUND = 5;

/** What the one-process setup adds to the overhead report. */
export interface AlternatingReport {
  table: MarkdownTable;
  notes: string[];
}

/** The clients of the setup: the kinds it knows (bare axios, obs-axios-policies) among the selected overhead variants. */
function clientsOf(ctx: BenchContext): { variant: ClientVariant; client: AlternatingClient }[] {
  const picked: { variant: ClientVariant; client: AlternatingClient }[] = [];
  for (const variant of ctx.variants) {
    if (!runsIn(variant, 'overhead')) continue;
    if (variant.kind !== 'axios' && variant.kind !== 'obs') continue;
    // A store variant needs the bench's Redis: each gets a prefix of its own.
    const store = wantsRedisStore(variant.options) && ctx.redis !== undefined ? { url: ctx.redis.url, prefix: freshStorePrefix() } : undefined;
    const client: AlternatingClient =
      variant.kind === 'obs' ? { id: variant.id, kind: 'obs', options: variant.options ?? {}, ...(store === undefined ? {} : { store }) } : { id: variant.id, kind: 'axios' };
    picked.push({ variant, client });
  }
  return picked;
}

/** True when the clients include bare axios and at least one obs-axios-policies variant. */
function runnable(picked: readonly { variant: ClientVariant; client: AlternatingClient }[]): boolean {
  return picked.some(({ variant }) => variant.id === BASELINE_ID) && picked.some(({ client }) => client.kind === 'obs');
}

async function runInProcesses(ctx: BenchContext, run: Omit<AlternatingRun, 'origin'>): Promise<AlternatingResult> {
  const { peer: server, ready } = await ChildPeer.start<never>('plain server', PLAIN_SERVER_SCRIPT, {}, 30_000);
  try {
    const { port } = ready as { port: number };
    const { peer: client } = await ChildPeer.start<AlternatingRun>('one-process clients', ALTERNATING_SCRIPT, {}, 30_000);
    try {
      const gets = run.clients.length * (run.warmup + run.rounds * run.requests);
      return await client.request<AlternatingResult>({ ...run, origin: `http://127.0.0.1:${String(port)}` }, 60_000 + gets * MS_PER_GET_BOUND, (done, total) => {
        ctx.progress.update(done, total, 'GETs');
      });
    } finally {
      client.close();
    }
  } finally {
    server.close();
  }
}

/**
 * Runs the one-process setup; `undefined` when bare axios or every
 * obs-axios-policies variant is left out of the run (`--clients`).
 */
export async function alternatingOverhead(ctx: BenchContext): Promise<AlternatingReport | undefined> {
  const setup = ctx.sizes.overhead.alternating;
  const picked = clientsOf(ctx);
  if (!runnable(picked)) return undefined;
  const name = `one process, ${String(setup.concurrency)} in flight, users' default config`;
  const headers = ['client', 'CPU µs/GET (median of rounds)', 'CPU ÷ bare axios (median of per-round ratios)', 'failed', 'per-round ratios to bare axios (in round order)'];
  const caption = `overhead, ${name}: ${String(setup.requests)} GETs per client per round, ${String(setup.rounds)} rounds alternating the order, all clients in one process`;
  ctx.progress.start(`overhead (${name}) · ${picked.map(({ variant }) => variant.id).join(', ')}`);
  let result: AlternatingResult;
  try {
    result = await runInProcesses(ctx, {
      type: 'run',
      distEntry: measuredEntry(),
      clients: picked.map(({ client }) => client),
      timeoutMs: ATTEMPT_TIMEOUT_MS,
      concurrency: setup.concurrency,
      warmup: setup.warmup,
      rounds: setup.rounds,
      requests: setup.requests,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.progress.finish(`failed: ${message}`);
    return { table: { caption, headers, rows: [['(all clients)', `run failed: ${message}`, '', '', '']] }, notes: [] };
  }
  const cpuPerGet = (id: string, round: number): number => {
    const sample = result.rounds[round]?.[id];
    return sample === undefined ? Number.NaN : sample.cpuUs / Math.max(1, sample.ok + sample.failed);
  };
  const roundIndexes = result.rounds.map((_round, index) => index);
  const ratiosOf = (id: string): number[] => roundIndexes.map((round) => cpuPerGet(id, round) / cpuPerGet(BASELINE_ID, round));
  const rows = picked.map(({ variant }) => {
    const ratios = ratiosOf(variant.id);
    const failed = result.rounds.reduce((total, round) => total + (round[variant.id]?.failed ?? 0), 0);
    return [
      variant.label,
      fixed(median(roundIndexes.map((round) => cpuPerGet(variant.id, round))), 1),
      variant.id === BASELINE_ID ? times(1) : times(median(ratios)),
      String(failed),
      variant.id === BASELINE_ID ? '–' : ratios.map((ratio) => fixed(ratio, 2)).join(', '),
    ];
  });
  const notes = Object.entries(result.firstErrors).map(([id, message]) => `${name}: ${id} failed GETs, the first with: ${message}`);
  const storeNote = storeOverheadNote(
    name,
    picked.map(({ variant }) => variant),
    (id, round) => cpuPerGet(id, round),
    roundIndexes,
  );
  if (storeNote !== undefined) notes.push(storeNote);
  ctx.progress.finish(picked.map(({ variant }) => `${variant.id} ${fixed(median(ratiosOf(variant.id)), 2)}×`).join(', '));
  return { table: { caption, headers, rows }, notes };
}

/** How the one-process setup is built, for the report's description (empty when it does not run). */
export function describeAlternating(ctx: BenchContext): string {
  const setup = ctx.sizes.overhead.alternating;
  const picked = clientsOf(ctx);
  if (!runnable(picked)) return '';
  const obs = picked.filter(({ client }) => client.kind === 'obs');
  const options = obs.map(({ variant }) => `${variant.label} \`${JSON.stringify(variant.options ?? ({} as JsonObject))}\``).join(', ');
  return [
    `The one-process setup is the recipe of users' default axios config: bare axios and ${options} live in one process, each \`axios.create({ baseURL, httpAgent: new http.Agent({ keepAlive: true }), maxRedirects: 0, timeout: ${String(ATTEMPT_TIMEOUT_MS)} })\` GETting relative paths with the default \`responseType\`,`,
    `from a plain \`node:http\` server in another process answering 1 KiB with the OBS headers (\`x-obs-request-id\`, \`x-obs-id-2\`, \`etag\`, \`last-modified\`);`,
    `${String(setup.warmup)} warm-up GETs per client, then ${String(setup.rounds)} rounds of ${String(setup.requests)} GETs per client at ${String(setup.concurrency)} in flight, the clients' order alternating (A B, B A, …); the ratio is the median of the per-round ratios.`,
  ].join(' ');
}
