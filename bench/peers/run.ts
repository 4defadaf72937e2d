/**
 * `npm run bench:peers`: obs-axios-policies against bare axios, axios-retry
 * and @aws-sdk/client-s3 (standard and adaptive retry), scenario by scenario,
 * against the local OBS server with faults scripted in it. Each client runs in
 * its own process and the server in another. Prints markdown tables of ratios
 * on stdout, writes `docs/performance.md` and `docs/perf/*.svg`, shows a
 * progress line on stderr. Figures are reported, never asserted: the exit
 * code says only whether the benchmark itself ran.
 *
 * Flags: see `cli/flags.ts` (`--size=small|full`, `--only=…`, `--sweep`, `--clients=…`, `--obs-options=…`, `--out=…`, `--processes=…`, `--fleet-processes=…`).
 */
import { parseFlags } from './cli/flags.js';
import { sizesOf } from './cli/sizes.js';
import { BenchContext } from './harness/bench-context.js';
import { buildAndSnapshot } from './harness/build-and-snapshot.js';
import { dropSnapshot } from './harness/dist-snapshot.js';
import { describeRevision } from './harness/revision.js';
import { ServerHandle } from './harness/server-handle.js';
import { servicePriorityLine } from './harness/service-priority.js';
import { killAllNow, reapAll } from './ipc/reaper.js';
import { Progress } from './progress.js';
import { renderTable } from './report/markdown-table.js';
import { machineLine, writeDocs } from './report/write-docs.js';
import { runScenario } from './scenarios/run-scenario.js';
import type { ScenarioReport } from './scenarios/scenario-report.js';
import { sweepScenario } from './scenarios/sweep.js';
import { selectVariants } from './select-variants.js';
import { startRedisIfNeeded } from './store/redis-if-needed.js';
import type { BenchRedis } from './store/bench-redis.js';

/** The whole run may not take longer than this; then every child is killed and the run fails. */
const WATCHDOG_MS = { small: 5 * 60_000, full: 60 * 60_000 } as const;

function printReports(command: string, revision: string, reports: readonly ScenarioReport[]): void {
  const out = [`# bench:peers`, '', `\`${command}\` — ${machineLine()} — code ${revision}`, ''];
  const priority = servicePriorityLine();
  if (priority !== '') out.push(priority, '');
  for (const report of reports) {
    out.push(`## ${report.title}`, '');
    for (const table of report.tables) out.push(renderTable(table), '');
    for (const note of report.notes) out.push(`- ${note}`);
    if (report.notes.length > 0) out.push('');
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = parseFlags(args);
  const sizes = sizesOf(flags.size, flags.processes, flags.fleetProcesses);
  const variants = selectVariants(flags);
  const command = ['npm run bench:peers', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
  const progress = new Progress();
  const startedAt = new Date();
  const revision = describeRevision();
  const watchdog = setTimeout(() => {
    progress.note(`bench:peers: still running after ${String(WATCHDOG_MS[sizes.name] / 60_000)} min; stopping`);
    killAllNow();
    process.exit(2);
  }, WATCHDOG_MS[sizes.name]);
  watchdog.unref();
  const reports: ScenarioReport[] = [];
  let server: ServerHandle | undefined;
  let ctx: BenchContext | undefined;
  let redis: BenchRedis | undefined;
  try {
    progress.note(`bench:peers (${sizes.name}): ${await buildAndSnapshot()}`);
    server = await ServerHandle.start();
    redis = await startRedisIfNeeded(variants, flags.scenarios);
    if (redis !== undefined) progress.note(`bench:peers: redis-server on port ${String(redis.port)}`);
    ctx = new BenchContext(sizes, variants, server, progress, redis);
    for (const name of flags.scenarios) {
      reports.push(await runScenario(ctx, name));
      if (name === 'throttle' && flags.sweep) reports.push(await sweepScenario(ctx));
    }
  } finally {
    ctx?.closeAll();
    server?.close();
    await redis?.kill();
    await reapAll();
    dropSnapshot();
    clearTimeout(watchdog);
  }
  progress.end();
  printReports(command, revision, reports);
  const info = {
    command,
    sizes,
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    clients: variants.map((variant) => variant.id),
    scenarios: flags.scenarios,
    revision,
  };
  const written = writeDocs(flags.outDir, info, reports);
  progress.note(`wrote ${written.length.toString()} files under ${flags.outDir}/ in ${(info.durationMs / 1000).toFixed(1)} s`);
}

// Whatever happens, no child outlives the run.
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

main().catch((error: unknown) => {
  console.error(`bench:peers failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killAllNow();
  process.exitCode = 1;
});
