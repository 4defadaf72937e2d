/**
 * overhead: client CPU per successful GET against bare axios, measured in the
 * same run. Every variant gets its own process with one client; after a
 * warm-up, rounds alternate the order of the variants (forward, then
 * backward…) so none always runs on a warmer or cooler machine. That is done
 * `processes` times with fresh processes: two processes running the same code
 * differ by up to ±10 % in CPU per GET (JIT and memory-layout luck, seen with
 * identical clients), more than the effect measured, so a single process per
 * client measures its luck. Reported: the median of the per-process medians.
 * No faults: the success path only.
 */
import { BASELINE_ID, runsIn, type ClientVariant } from '../clients.js';
import { ATTEMPT_TIMEOUT_MS, type OverheadSetup } from '../cli/sizes.js';
import type { FixedResult } from '../client/client-protocol.js';
import type { BenchContext } from '../harness/bench-context.js';
import type { ClientWorker } from '../harness/client-worker.js';
import { fixed, times } from '../report/format.js';
import { median } from '../report/stats.js';
import { binTimes } from '../report/timeline.js';
import { alternatingOverhead, describeAlternating } from './overhead-alternating.js';
import { failedRow, type ScenarioReport, type TimelineFigure } from './scenario-report.js';

interface Samples {
  cpuPerGet: number[];
  /** Median CPU per GET of each process's rounds. */
  processMedians: number[];
  perSecond: number[];
  failed: number;
  lastTimes: number[];
  error?: string;
}

const ROUND_DEADLINE_MS = 120_000;

/** The A/A variant's id (a second bare axios; see clients.ts). */
const AA_ID = 'axios-aa';

function cpuPerGet(result: FixedResult): number {
  return result.cpuUs / Math.max(1, result.ok + result.failed);
}

async function runSetup(ctx: BenchContext, variants: readonly ClientVariant[], setup: OverheadSetup): Promise<Map<string, Samples>> {
  const samples = new Map<string, Samples>();
  for (const variant of variants) samples.set(variant.id, { cpuPerGet: [], processMedians: [], perSecond: [], failed: 0, lastTimes: [] });
  for (let index = 0; index < setup.processes; index++) {
    // Alternate which client starts, as the rounds do.
    await runProcesses(ctx, index % 2 === 0 ? variants : [...variants].reverse(), setup, samples, index);
  }
  return samples;
}

/** One fresh process per variant: warm-up, then `setup.rounds` alternating rounds. */
async function runProcesses(ctx: BenchContext, variants: readonly ClientVariant[], setup: OverheadSetup, samples: Map<string, Samples>, index: number): Promise<void> {
  const workers = new Map<string, ClientWorker>();
  const tag = setup.processes > 1 ? ` · process ${String(index + 1)}/${String(setup.processes)}` : '';
  const roundsOf = new Map<string, number[]>();
  for (const variant of variants) {
    const entry = samples.get(variant.id);
    if (entry === undefined || entry.error !== undefined) continue;
    ctx.progress.start(`overhead (${setup.name})${tag} · ${variant.id} warm-up`);
    try {
      const worker = await ctx.openClient(variant, { bucket: ctx.bucketOf(variant), sockets: setup.concurrency, urlStyle: setup.urlStyle });
      await ctx.server.arm([], Date.now());
      // Warm-up: JIT, sockets, first-use allocations; not measured.
      await worker.fixed({ mode: 'fixed', calls: ctx.sizes.overhead.warmup, concurrency: setup.concurrency, startAt: Date.now(), deadlineMs: ROUND_DEADLINE_MS });
      workers.set(variant.id, worker);
      ctx.progress.finish('');
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
      ctx.discard(variant);
      ctx.progress.finish(`failed: ${entry.error}`);
    }
  }
  for (let round = 0; round < setup.rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const worker = workers.get(variant.id);
      const entry = samples.get(variant.id);
      if (worker === undefined || entry === undefined) continue;
      ctx.progress.start(`overhead (${setup.name})${tag} · round ${String(round + 1)}/${String(setup.rounds)} · ${variant.id}`);
      try {
        const origin = Date.now() + 20;
        await ctx.server.arm([], origin);
        const result = await worker.fixed(
          { mode: 'fixed', calls: setup.requests, concurrency: setup.concurrency, startAt: origin, deadlineMs: ROUND_DEADLINE_MS },
          (done, total) => {
            ctx.progress.update(done, total, 'GETs');
          },
        );
        const log = (await ctx.server.collect())[ctx.bucketOf(variant)];
        entry.cpuPerGet.push(cpuPerGet(result));
        let rounds = roundsOf.get(variant.id);
        if (rounds === undefined) roundsOf.set(variant.id, (rounds = []));
        rounds.push(cpuPerGet(result));
        entry.perSecond.push((1000 * (result.ok + result.failed)) / Math.max(1, result.endedAt - result.startedAt));
        entry.failed += result.failed;
        entry.lastTimes = log?.times ?? [];
        ctx.progress.finish(`${fixed(cpuPerGet(result), 1)} µs/GET`);
      } catch (error) {
        entry.error = error instanceof Error ? error.message : String(error);
        workers.delete(variant.id);
        ctx.discard(variant);
        ctx.progress.finish(`failed: ${entry.error}`);
      }
    }
  }
  for (const variant of variants) {
    await workers.get(variant.id)?.drop();
    // The next process iteration (and the next scenario) must start from a fresh process.
    if (workers.has(variant.id)) ctx.discard(variant);
  }
  for (const [id, rounds] of roundsOf) samples.get(id)?.processMedians.push(median(rounds));
}

/** Runs the per-process overhead setups, then the one-process setup (`overhead-alternating.ts`). */
export async function overheadScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const variants = ctx.variants.filter((variant) => runsIn(variant, 'overhead'));
  const report: ScenarioReport = {
    title: 'overhead: client CPU per GET on the success path',
    description: [
      `Each client GETs a 1 KiB object from the local OBS server (no faults) in its own process; CPU is \`process.cpuUsage()\` of that process over the round, divided by the GETs.`,
      `After ${String(ctx.sizes.overhead.warmup)} warm-up GETs per client process, rounds alternate the order of the clients (forward, backward, …); each client runs in several fresh processes one after another (two processes of the same code differ by up to ±10 %), and the median of the per-process medians is reported.`,
      `Every axios client uses the same keep-alive agent settings, \`maxRedirects: 0\`, \`responseType: 'arraybuffer'\` and a ${String(ATTEMPT_TIMEOUT_MS / 1000)} s timeout; the SDK reads the body with \`transformToByteArray()\` (its URL style does not change, it always signs).`,
      describeAlternating(ctx),
    ]
      .filter((sentence) => sentence !== '')
      .join(' '),
    tables: [],
    figures: [],
    notes: [],
  };
  for (const setup of ctx.sizes.overhead.setups) {
    const samples = await runSetup(ctx, variants, setup);
    const baseline = samples.get(BASELINE_ID);
    const baseCpu = median(baseline?.processMedians ?? []);
    const baseRate = median(baseline?.perSecond ?? []);
    const headers = ['client', 'CPU µs/GET (median)', 'CPU ÷ bare axios', 'GETs/s (median)', 'GETs/s ÷ bare axios', 'failed', 'CPU µs/GET per process (median of its rounds)'];
    const rows = variants.map((variant) => {
      const entry = samples.get(variant.id);
      if (entry?.error !== undefined) return failedRow(variant.label, entry.error, headers.length);
      const cpu = median(entry?.processMedians ?? []);
      const rate = median(entry?.perSecond ?? []);
      return [
        variant.label,
        fixed(cpu, 1),
        times(cpu / baseCpu),
        fixed(rate, 0),
        times(rate / baseRate),
        String(entry?.failed ?? 0),
        (entry?.processMedians ?? []).map((value) => fixed(value, 1)).join(', '),
      ];
    });
    const aa = samples.get(AA_ID);
    if (aa !== undefined && aa.error === undefined && aa.processMedians.length > 0) {
      report.notes.push(
        `${setup.name}: the A/A check (bare axios again, measured like every client) came out at ${times(median(aa.processMedians) / baseCpu)} of bare axios — the noise of this setup's ratios in this run.`,
      );
    }
    report.tables.push({
      caption: `overhead, ${setup.name}: ${String(setup.requests)} GETs per client per round, ${String(setup.rounds)} rounds in each of ${String(setup.processes)} process(es) per client`,
      headers,
      rows,
    });
    const figure: TimelineFigure = {
      file: `overhead-${String(setup.concurrency)}-${setup.urlStyle}`,
      timeline: {
        title: `overhead, ${setup.name} (last round of each client)`,
        series: variants.map((variant) => ({ label: variant.label, bins: binTimes(samples.get(variant.id)?.lastTimes ?? []) })),
        shades: [],
        guides: [],
      },
    };
    report.figures.push(figure);
  }
  const alternating = await alternatingOverhead(ctx);
  if (alternating !== undefined) {
    report.tables.push(alternating.table);
    report.notes.push(...alternating.notes);
  }
  return report;
}
