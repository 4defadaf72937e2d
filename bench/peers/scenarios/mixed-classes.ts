/**
 * mixed-classes: one endpoint limits listings (R = 100 req/s, SlowDown above
 * it) and not reads; one client reads an object in C lanes while it lists a
 * bucket in L lanes. With one pace per endpoint, the throttled listings would
 * slow the reads too; paced per operation class, the reads go as fast as when
 * they run alone, and the listings finish near N/R.
 *
 * Two runs per row, each with a fresh client in the row's own process:
 *
 * - one stretch: N listings beside the reads, for listing completion ÷ N/R,
 *   SlowDowns and failures;
 * - sliced: the reads go on throughout while the listings run in every other
 *   slice (half a second), so reads with and without listings are measured in
 *   the same run, a few hundred ms apart: a machine whose load changes (other
 *   processes, CPU frequency) weighs on both alike. The read ratio is the
 *   reads in listing slices over the reads in quiet slices.
 *
 * Listings cost the machine CPU whatever paces them: the client and the
 * server spend it on every listing, CPU the reads have alone. The control row
 * measures that cost: bare axios whose listings the bench itself sends at R
 * on a schedule (listing k at k/R s), nothing learnt and nothing throttled.
 * A row's read ratio over the control's is what the row costs the reads
 * beyond the listings' own load. Targets: read ratio ≥ 0.95, listing
 * completion ≤ 1.10× N/R, no failed call. Figures are reported, never
 * asserted.
 */
import path from 'node:path';
import { BASELINE_ID, runsIn, type ClientVariant } from '../clients.js';
import { ATTEMPT_TIMEOUT_MS, OBJECT_BYTES } from '../cli/sizes.js';
import type { MixedClientKind, MixedResult, MixedRun, SliceFigures, SliceSpec } from '../client/mixed-protocol.js';
import type { BenchContext } from '../harness/bench-context.js';
import { measuredEntry } from '../harness/dist-snapshot.js';
import { REPO_ROOT } from '../harness/paths.js';
import { ChildPeer } from '../ipc/child-peer.js';
import { count, fixed, seconds, times, topCodes } from '../report/format.js';
import type { ScenarioSpec } from '../server/scenario-spec.js';
import { failedRow, type ScenarioReport } from './scenario-report.js';

/** The client process of this scenario. */
const MIXED_SCRIPT = path.join(REPO_ROOT, 'bench', 'peers', 'client', 'mixed-main.ts');

/** The object every read GETs. */
const OBJECT_KEY = 'object-1k';

/** Lead time between arming the server and the lanes' start. */
const START_LEAD_MS = 50;

/** Slack over a run's own deadline before the parent gives up on the process. */
const GRACE_MS = 30_000;

/** The sizes of the scenario. */
interface MixedSizes {
  /** Listings allowed per second, and the token bucket's burst. */
  ratePerSec: number;
  burst: number;
  /** Listings of the one-stretch run, and lanes listing. */
  listCalls: number;
  listConcurrency: number;
  /** Lanes reading. */
  getConcurrency: number;
  /** No call of the one-stretch run starts after this, and calls in flight are aborted. */
  budgetMs: number;
  slices: SliceSpec;
}

const SIZES: Record<'small' | 'full', MixedSizes> = {
  small: {
    ratePerSec: 100,
    burst: 10,
    listCalls: 200,
    listConcurrency: 8,
    getConcurrency: 16,
    budgetMs: 10_000,
    slices: { warmupMs: 1000, sliceMs: 500, pairs: 8, settleMs: 100 },
  },
  full: {
    ratePerSec: 100,
    burst: 10,
    listCalls: 1000,
    listConcurrency: 8,
    getConcurrency: 16,
    budgetMs: 30_000,
    slices: { warmupMs: 1000, sliceMs: 500, pairs: 24, settleMs: 100 },
  },
};

/** Target of read throughput beside listings over reads alone. */
const GET_TARGET = 0.95;
/** Target of listing completion over its ideal. */
const LIST_TARGET = 1.1;

/** The id of the control row (its listings' bucket is named after it). */
const CONTROL_ID = 'axios-scheduled';

/** The kinds this scenario knows how to run. */
function mixedKind(variant: ClientVariant): MixedClientKind | undefined {
  return variant.kind === 'obs' || variant.kind === 'axios' ? variant.kind : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads per second in the counted part of the slices that list (`listing`) or not. */
function sliceRate(slices: SliceFigures, listing: boolean): number {
  let gets = 0;
  let ms = 0;
  slices.getsBySlice.forEach((n, i) => {
    if (slices.listing[i] !== listing) return;
    gets += n;
    ms += slices.countedMs;
  });
  return ms > 0 ? (1000 * gets) / ms : Number.NaN;
}

/** The standard error of the read ratio, from the spread of the ratios of each pair of slices. */
function ratioError(slices: SliceFigures): number {
  const ratios: number[] = [];
  for (let i = 0; i + 1 < slices.getsBySlice.length; i += 2) {
    const listing = slices.listing[i] === true ? i : i + 1;
    const quiet = listing === i ? i + 1 : i;
    const quietGets = slices.getsBySlice[quiet] ?? 0;
    if (quietGets > 0) ratios.push((slices.getsBySlice[listing] ?? 0) / quietGets);
  }
  if (ratios.length < 2) return Number.NaN;
  const mean = ratios.reduce((sum, r) => sum + r, 0) / ratios.length;
  const variance = ratios.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (ratios.length - 1);
  return Math.sqrt(variance / ratios.length);
}

/** One row: a client process, its listings sent by the client or at R on the bench's schedule. */
interface Row {
  id: string;
  label: string;
  variant: ClientVariant;
  kind: MixedClientKind;
  /** Listings per second the bench schedules (the control); `undefined`: a lane lists again at once. */
  schedulePerSec: number | undefined;
  peer: ChildPeer<MixedRun> | undefined;
  stretch: { result: MixedResult; slowDowns: number } | undefined;
  sliced: MixedResult | undefined;
  /** Why the process or one of its runs failed. */
  error: string | undefined;
}

/** The reads' and the listings' buckets of a row. */
const getBucketOf = (row: Row): string => `mixed-${row.id}-get`;
const listBucketOf = (row: Row): string => `mixed-${row.id}-list`;

/** Runs the mixed-classes scenario. */
export async function mixedClassesScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const sizes = SIZES[ctx.sizes.name];
  const idealMs = (1000 * sizes.listCalls) / sizes.ratePerSec;
  const { slices } = sizes;
  const slicedMs = slices.warmupMs + 2 * slices.pairs * slices.sliceMs;
  const rows: Row[] = [];
  const rowOf = (variant: ClientVariant, kind: MixedClientKind, id: string, label: string, schedulePerSec: number | undefined): Row => ({
    id,
    label,
    variant,
    kind,
    schedulePerSec,
    peer: undefined,
    stretch: undefined,
    sliced: undefined,
    error: undefined,
  });
  for (const variant of ctx.variants) {
    const kind = mixedKind(variant);
    if (kind === undefined || !runsIn(variant, 'mixed-classes')) continue;
    rows.push(rowOf(variant, kind, variant.id, variant.label, undefined));
    if (variant.id === BASELINE_ID) rows.push(rowOf(variant, kind, CONTROL_ID, `${variant.label}, listings sent at R by the bench (control)`, sizes.ratePerSec));
  }

  /** One run of `row` with a fresh client on a freshly armed server: one stretch of N listings, or sliced. */
  const runOnce = async (row: Row, peer: ChildPeer<MixedRun>, sliced: boolean): Promise<{ result: MixedResult; slowDowns: number }> => {
    const startAt = Date.now() + START_LEAD_MS;
    const listBucket = listBucketOf(row);
    const scenarios: ScenarioSpec[] = [{ kind: 'throttle', ratePerSec: sizes.ratePerSec, burst: sizes.burst, match: { method: 'GET', path: `/${listBucket}` } }];
    await ctx.server.arm(scenarios, startAt);
    const deadlineMs = sliced ? slicedMs + GRACE_MS : sizes.budgetMs;
    const run: MixedRun = {
      type: 'run',
      kind: row.kind,
      options: row.variant.options ?? {},
      origin: ctx.server.origin,
      distEntry: measuredEntry(),
      timeoutMs: ATTEMPT_TIMEOUT_MS,
      get: { bucket: getBucketOf(row), key: OBJECT_KEY, concurrency: sizes.getConcurrency },
      list: {
        bucket: listBucket,
        calls: sizes.listCalls,
        concurrency: sizes.listConcurrency,
        ...(row.schedulePerSec === undefined ? {} : { schedulePerSec: row.schedulePerSec }),
      },
      startAt,
      getForMs: idealMs,
      deadlineMs,
      ...(sliced ? { slices } : {}),
    };
    const result = await peer.request<MixedResult>(run, START_LEAD_MS + deadlineMs + GRACE_MS, (done, total) => {
      ctx.progress.update(done, total, sliced ? 'ms' : 'listings');
    });
    const log = await ctx.server.collect();
    return { result, slowDowns: log[listBucket]?.outcomes.SlowDown ?? 0 };
  };

  /** Runs one of a row's two runs, keeping its result or why it failed. */
  const step = async (row: Row, sliced: boolean): Promise<void> => {
    if (row.error !== undefined || row.peer === undefined) return;
    ctx.progress.start(`mixed-classes · ${row.id} · ${sliced ? 'sliced' : 'one stretch'}`);
    try {
      const { result, slowDowns } = await runOnce(row, row.peer, sliced);
      if (sliced) {
        row.sliced = result;
        const counted = result.slices;
        ctx.progress.finish(counted === undefined ? 'no slices counted' : `GET ratio ${times(sliceRate(counted, true) / sliceRate(counted, false))}`);
      } else {
        row.stretch = { result, slowDowns };
        const list = result.list;
        ctx.progress.finish(`listings ${times(list === null ? Number.NaN : (list.endedAt - list.startedAt) / idealMs)} of ideal`);
      }
    } catch (error) {
      row.error = messageOf(error);
      ctx.progress.finish(`failed: ${row.error}`);
    }
  };

  try {
    for (const row of rows) {
      await ctx.server.seed(getBucketOf(row), OBJECT_KEY, OBJECT_BYTES);
      await ctx.server.seed(listBucketOf(row), OBJECT_KEY, OBJECT_BYTES);
      try {
        row.peer = (await ChildPeer.start<MixedRun>(`mixed client ${row.id}`, MIXED_SCRIPT, {}, 30_000)).peer;
      } catch (error) {
        row.error = messageOf(error);
      }
    }
    for (const row of rows) await step(row, false);
    for (const row of rows) await step(row, true);
  } finally {
    for (const row of rows) row.peer?.close();
  }

  const headers = [
    'client',
    'GET/s, quiet slices',
    'GET/s, listing slices',
    `GET ratio (≥ ${fixed(GET_TARGET, 2)})`,
    'over the control’s',
    'listings/s in their slices',
    'listing completion',
    `÷ ideal (≤ ${fixed(LIST_TARGET, 2)})`,
    'failed GET / LIST',
    'failures by code',
    'SlowDown ÷ listings',
  ];
  const ratioOf = (row: Row | undefined): number =>
    row?.sliced?.slices === undefined ? Number.NaN : sliceRate(row.sliced.slices, true) / sliceRate(row.sliced.slices, false);
  const control = rows.find((row) => row.id === CONTROL_ID);
  const controlRatio = ratioOf(control);
  const table: string[][] = [];
  const notes: string[] = [];
  for (const row of rows) {
    const stretch = row.stretch?.result;
    const sliced = row.sliced;
    if (row.error !== undefined || stretch === undefined || sliced?.slices === undefined) {
      table.push(failedRow(row.label, row.error ?? 'no result', headers.length));
      continue;
    }
    const list = stretch.list;
    const slicedList = sliced.list;
    const getRatio = ratioOf(row);
    const listMs = list === null ? Number.NaN : list.endedAt - list.startedAt;
    const listRatio = listMs / idealMs;
    const listingMs = slices.pairs * slices.sliceMs;
    const failedGets = stretch.get.failed + sliced.get.failed;
    const failedLists = (list?.failed ?? 0) + (slicedList?.failed ?? 0);
    const byCode: Record<string, number> = {};
    for (const codes of [stretch.get.byCode, list?.byCode ?? {}, sliced.get.byCode, slicedList?.byCode ?? {}]) {
      for (const [code, n] of Object.entries(codes)) byCode[code] = (byCode[code] ?? 0) + n;
    }
    table.push([
      row.label,
      count(sliceRate(sliced.slices, false)),
      count(sliceRate(sliced.slices, true)),
      `${times(getRatio)} ± ${fixed(ratioError(sliced.slices), 2)}`,
      row === control || control === undefined ? '–' : times(getRatio / controlRatio),
      count(slicedList === null ? Number.NaN : (1000 * (slicedList.ok + slicedList.failed)) / listingMs),
      seconds(listMs),
      times(listRatio),
      `${count(failedGets)} / ${count(failedLists)}`,
      topCodes(byCode),
      times((row.stretch?.slowDowns ?? 0) / sizes.listCalls),
    ]);
    if (row.kind === 'obs') {
      const missed = [
        getRatio < GET_TARGET ? `GET ratio ${times(getRatio)} < ${fixed(GET_TARGET, 2)} (the control's ${times(controlRatio)})` : undefined,
        listRatio > LIST_TARGET ? `listing completion ÷ ideal ${times(listRatio)} > ${fixed(LIST_TARGET, 2)}` : undefined,
        failedGets + failedLists > 0 ? `${count(failedGets + failedLists)} failed calls` : undefined,
      ].filter((text) => text !== undefined);
      if (missed.length > 0) notes.push(`${row.label} missed its targets: ${missed.join('; ')}.`);
    }
  }
  if (control === undefined) notes.push('Bare axios did not run (narrowed by --clients): no control row.');
  return {
    title: 'mixed-classes: listings throttled, reads not, at once',
    description:
      `The server lets ${String(sizes.ratePerSec)} listings/s through (token bucket, burst ${String(sizes.burst)}, SlowDown above it) and does not limit reads. ` +
      `One client reads a 1 KiB object in ${String(sizes.getConcurrency)} lanes while it lists a bucket (\`GET /<bucket>?list-type=2\`, a one-key listing of about 0.5 KB) in ${String(sizes.listConcurrency)} lanes. ` +
      `Each row runs twice with a fresh client. In one stretch it lists ${count(sizes.listCalls)} times (its reads stop when its last listing ends): ` +
      `listing completion against the ideal N/R = ${seconds(idealMs)} (budget ${seconds(sizes.budgetMs)}), SlowDowns, failures. ` +
      `Sliced, after ${seconds(slices.warmupMs)} of reads alone, it reads throughout ${String(2 * slices.pairs)} slices of ${seconds(slices.sliceMs)} and lists only in every other one ` +
      `(pairs ordered quiet–listing, listing–quiet, …; the first ${String(slices.settleMs)} ms of a slice are not counted): ` +
      'the GET ratio is the reads per second in listing slices over those in quiet slices (± its standard error over the pairs), each slice next to the other kind, so a change in the machine’s load weighs on both. ' +
      `The control is bare axios whose listings the bench sends at R on a schedule (listing k of a slice or stretch at k/R s): what the listings themselves cost the reads; ` +
      '"over the control’s" divides a row’s GET ratio by the control’s. ' +
      `Targets for obs-axios-policies: GET ratio ≥ ${fixed(GET_TARGET, 2)}, listing completion ÷ ideal ≤ ${fixed(LIST_TARGET, 2)}, no failed call in either run. ` +
      'SlowDown ÷ listings counts throttled answers per listing call of the stretch. A listing slice starts with the token bucket full again, so a client that lists as fast as it is let lists a little above R in its slices. ' +
      'The AWS SDK variants do not run here (their clients in this benchmark only read).',
    tables: [{ caption: `mixed-classes: R = ${String(sizes.ratePerSec)} listings/s, N = ${count(sizes.listCalls)}, reads at ${String(sizes.getConcurrency)} in flight`, headers, rows: table }],
    figures: [],
    notes,
  };
}
