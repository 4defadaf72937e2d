/**
 * mixed-classes: one endpoint limits listings (R = 100 req/s, SlowDown above
 * it) and not reads; one client reads an object in C lanes while it lists a
 * bucket N times in L lanes. With one pace per endpoint, the throttled
 * listings would slow the reads too; paced per operation class, the reads go
 * as fast as when they run alone, and the listings finish near N/R.
 *
 * Each variant runs three times on a freshly armed server: reads alone, both
 * at once, reads alone again (the two reads-alone runs are averaged, so a
 * machine that drifts during the run does not skew the ratio). Targets: read
 * throughput ≥ 0.95× reads alone, listing completion ≤ 1.10× N/R, no failed
 * call. Figures are reported, never asserted.
 */
import path from 'node:path';
import { BASELINE_ID, runsIn, type ClientVariant } from '../clients.js';
import { ATTEMPT_TIMEOUT_MS, OBJECT_BYTES } from '../cli/sizes.js';
import type { MixedClientKind, MixedResult, MixedRun } from '../client/mixed-protocol.js';
import type { BenchContext } from '../harness/bench-context.js';
import { DIST_ENTRY, REPO_ROOT } from '../harness/paths.js';
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
  /** Listings per mixed run, and lanes listing. */
  listCalls: number;
  listConcurrency: number;
  /** Lanes reading. */
  getConcurrency: number;
  /** No call starts after this, and calls in flight are aborted. */
  budgetMs: number;
}

const SIZES: Record<'small' | 'full', MixedSizes> = {
  small: { ratePerSec: 100, burst: 10, listCalls: 200, listConcurrency: 8, getConcurrency: 16, budgetMs: 10_000 },
  full: { ratePerSec: 100, burst: 10, listCalls: 1000, listConcurrency: 8, getConcurrency: 16, budgetMs: 30_000 },
};

/** Target of read throughput with listings over reads alone. */
const GET_TARGET = 0.95;
/** Target of listing completion over its ideal. */
const LIST_TARGET = 1.1;

/** The kinds this scenario knows how to run. */
function mixedKind(variant: ClientVariant): MixedClientKind | undefined {
  return variant.kind === 'obs' || variant.kind === 'axios' ? variant.kind : undefined;
}

/** Reads per second of a run. */
function getRate(result: MixedResult): number {
  const ms = result.get.endedAt - result.get.startedAt;
  return ms > 0 ? (1000 * result.get.ok) / ms : Number.NaN;
}

/** The figures of one variant. */
interface VariantFigures {
  aloneRate: number;
  mixed: MixedResult;
  listSlowDowns: number;
  listRequests: number;
}

/** Runs the three runs of one variant in its own process. */
async function runVariant(ctx: BenchContext, variant: ClientVariant, kind: MixedClientKind, sizes: MixedSizes): Promise<VariantFigures> {
  const getBucket = `mixed-${variant.id}-get`;
  const listBucket = `mixed-${variant.id}-list`;
  await ctx.server.seed(getBucket, OBJECT_KEY, OBJECT_BYTES);
  await ctx.server.seed(listBucket, OBJECT_KEY, OBJECT_BYTES);
  const idealMs = (1000 * sizes.listCalls) / sizes.ratePerSec;
  const { peer } = await ChildPeer.start<MixedRun>(`mixed client ${variant.id}`, MIXED_SCRIPT, {}, 30_000);
  try {
    const once = async (withListings: boolean): Promise<{ result: MixedResult; listLog: { outcomes: Record<string, number> } | undefined }> => {
      const startAt = Date.now() + START_LEAD_MS;
      const scenarios: ScenarioSpec[] = withListings
        ? [{ kind: 'throttle', ratePerSec: sizes.ratePerSec, burst: sizes.burst, match: { method: 'GET', path: `/${listBucket}` } }]
        : [];
      await ctx.server.arm(scenarios, startAt);
      const run: MixedRun = {
        type: 'run',
        kind,
        options: variant.options ?? {},
        origin: ctx.server.origin,
        distEntry: DIST_ENTRY,
        timeoutMs: ATTEMPT_TIMEOUT_MS,
        get: { bucket: getBucket, key: OBJECT_KEY, concurrency: sizes.getConcurrency },
        list: withListings ? { bucket: listBucket, calls: sizes.listCalls, concurrency: sizes.listConcurrency } : null,
        startAt,
        getForMs: idealMs,
        deadlineMs: sizes.budgetMs,
      };
      const result = await peer.request<MixedResult>(run, START_LEAD_MS + sizes.budgetMs + GRACE_MS, (done, total) => {
        ctx.progress.update(done, total, withListings ? 'listings' : 'ms');
      });
      const log = await ctx.server.collect();
      return { result, listLog: log[listBucket] };
    };
    const before = await once(false);
    const mixed = await once(true);
    const after = await once(false);
    const outcomes = mixed.listLog?.outcomes ?? {};
    return {
      aloneRate: (getRate(before.result) + getRate(after.result)) / 2,
      mixed: mixed.result,
      listSlowDowns: outcomes.SlowDown ?? 0,
      listRequests: Object.values(outcomes).reduce((sum, n) => sum + n, 0),
    };
  } finally {
    peer.close();
  }
}

/** Runs the mixed-classes scenario. */
export async function mixedClassesScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const sizes = SIZES[ctx.sizes.name];
  const idealMs = (1000 * sizes.listCalls) / sizes.ratePerSec;
  const headers = [
    'client',
    'GET/s alone',
    'GET/s with listings',
    `GET ÷ alone (≥ ${fixed(GET_TARGET, 2)})`,
    'listing completion',
    `÷ ideal (≤ ${fixed(LIST_TARGET, 2)})`,
    'failed GET / LIST',
    'failures by code',
    'SlowDown ÷ listings',
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  const variants = ctx.variants.filter((variant) => runsIn(variant, 'mixed-classes') && mixedKind(variant) !== undefined);
  for (const variant of variants) {
    const kind = mixedKind(variant);
    if (kind === undefined) continue;
    ctx.progress.start(`mixed-classes · ${variant.id}`);
    let figures: VariantFigures;
    try {
      figures = await runVariant(ctx, variant, kind, sizes);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      rows.push(failedRow(variant.label, message, headers.length));
      ctx.progress.finish(`failed: ${message}`);
      continue;
    }
    const { mixed } = figures;
    const list = mixed.list;
    const mixedRate = getRate(mixed);
    const listMs = list === null ? Number.NaN : list.endedAt - list.startedAt;
    const getRatio = mixedRate / figures.aloneRate;
    const listRatio = listMs / idealMs;
    const failed = mixed.get.failed + (list?.failed ?? 0);
    rows.push([
      variant.label,
      count(figures.aloneRate),
      count(mixedRate),
      times(getRatio),
      seconds(listMs),
      times(listRatio),
      `${count(mixed.get.failed)} / ${count(list?.failed ?? Number.NaN)}`,
      topCodes({ ...mixed.get.byCode, ...(list?.byCode ?? {}) }),
      times(figures.listSlowDowns / sizes.listCalls),
    ]);
    if (variant.kind === 'obs') {
      const missed = [
        getRatio < GET_TARGET ? `GET ÷ alone ${times(getRatio)} < ${fixed(GET_TARGET, 2)}` : undefined,
        listRatio > LIST_TARGET ? `listing completion ÷ ideal ${times(listRatio)} > ${fixed(LIST_TARGET, 2)}` : undefined,
        failed > 0 ? `${count(failed)} failed calls` : undefined,
      ].filter((text) => text !== undefined);
      if (missed.length > 0) notes.push(`${variant.label} missed its targets: ${missed.join('; ')}.`);
    }
    ctx.progress.finish(`GET ${times(getRatio)} of alone, listings ${times(listRatio)} of ideal, ${String(failed)} failed`);
  }
  if (variants.every((variant) => variant.id !== BASELINE_ID)) notes.push('Bare axios did not run (narrowed by --clients).');
  return {
    title: 'mixed-classes: listings throttled, reads not, at once',
    description:
      `The server lets ${String(sizes.ratePerSec)} listings/s through (token bucket, burst ${String(sizes.burst)}, SlowDown above it) and does not limit reads. ` +
      `One client reads a 1 KiB object in ${String(sizes.getConcurrency)} lanes while it lists a bucket ${count(sizes.listCalls)} times (\`GET /<bucket>?list-type=2\`) in ${String(sizes.listConcurrency)} lanes; ` +
      `its reads stop when its last listing ends. "Alone" is the mean of a reads-only run of ${seconds(idealMs)} before and one after. ` +
      `Ideal listing completion is N/R = ${seconds(idealMs)}; budget ${seconds(sizes.budgetMs)}. Targets for obs-axios-policies: GET ÷ alone ≥ ${fixed(GET_TARGET, 2)}, ` +
      `listing completion ÷ ideal ≤ ${fixed(LIST_TARGET, 2)}, no failed call. SlowDown ÷ listings counts throttled answers per listing call. ` +
      'The AWS SDK variants do not run here (their clients in this benchmark only read).',
    tables: [{ caption: `mixed-classes: R = ${String(sizes.ratePerSec)} listings/s, N = ${count(sizes.listCalls)}, reads at ${String(sizes.getConcurrency)} in flight`, headers, rows }],
    figures: [],
    notes,
  };
}
