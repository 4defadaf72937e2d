/**
 * `npm run soak`: the chaos soak at a large size (50,000 calls by default), with
 * heap sampling after GC at every batch. Prints the figures the README's
 * Reliability section reports. Exit code 1 on any violation or heap growth
 * above the bound.
 *
 * Flags: --calls N (default 50000), --concurrency N (64), --seed N, --batch N (1000).
 */
import { CI_SOAK, runSoak, type SoakFigures } from './soak-runner.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
}

/** Heap growth allowed between the warm heap and the end of the run, after GC. */
const MAX_HEAP_GROWTH_MB = 5;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with --expose-gc (npm run soak does)');
  process.exit(2);
}
const collect = gc;

function heapMb(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const calls = flag('calls', 50_000);
const batch = flag('batch', 1000);
const heapSamples: number[] = [];
const figures: SoakFigures = await runSoak({
  ...CI_SOAK,
  calls,
  batch,
  concurrency: flag('concurrency', CI_SOAK.concurrency),
  seed: flag('seed', CI_SOAK.seed),
  onBatch: (index, running) => {
    heapSamples.push(heapMb());
    if (index % 10 === 0) console.log(`batch ${String(index)}: ${String(running.settled)} settled, heap ${heapSamples.at(-1)?.toFixed(1) ?? '?'} MB`);
  },
});

// The warm heap: after the second batch (first-use allocations, JIT and pools are in place).
const warm = heapSamples[Math.min(1, heapSamples.length - 1)] ?? 0;
const end = heapSamples.at(-1) ?? 0;
const growth = end - warm;
const injected = Object.values(figures.faultsInjected).reduce((sum, n) => sum + n, 0) - (figures.faultsInjected.ok ?? 0);

console.log('\n## Chaos soak');
console.log(`command: npm run soak -- --calls ${String(calls)}   (node ${process.version})`);
console.log('| figure | value |');
console.log('| --- | --- |');
console.log(`| calls | ${String(figures.calls)} (${String(CI_SOAK.concurrency)} in flight) |`);
console.log(`| requests received by the servers | ${String(figures.requestsSent)} |`);
console.log(`| faults injected | ${String(injected)} |`);
console.log(`| settled | ${String(figures.settled)} (succeeded ${String(figures.succeeded)}, ObsError ${String(Object.values(figures.failedByCode).reduce((s, n) => s + n, 0))}, canceled ${String(figures.canceled)}) |`);
console.log(`| lost (never settled) | ${String(figures.lost)} |`);
console.log(`| invariant violations | ${String(figures.violations.length)} |`);
console.log(`| max requests for one call | ${String(figures.maxAttempts)} |`);
console.log(`| heap after GC: warm → end | ${warm.toFixed(1)} MB → ${end.toFixed(1)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(2)} MB) |`);
const { throttled } = figures;
console.log(
  `| throttled phase | ${String(throttled.calls)} calls at a limit of ${String(throttled.limitPerSec)} req/s (set from the ${throttled.offeredPerSec.toFixed(0)} req/s offered): ${String(throttled.slowDowns)} SlowDowns of ${String(throttled.requests)} requests, ${String(throttled.paceChanges)} pace changes (pace held at the start: ${throttled.startPacePerSec === null ? 'none' : `${String(throttled.startPacePerSec)} req/s`}) |`,
);
console.log(`| longest event-loop stall | ${String(figures.maxLoopStallMs)} ms |`);
console.log(`| duration | ${(figures.durationMs / 1000).toFixed(1)} s |`);
console.log('\nfaults injected by kind:');
for (const [fault, n] of Object.entries(figures.faultsInjected).sort((x, y) => y[1] - x[1])) console.log(`  ${fault.padEnd(28)} ${String(n)}`);
console.log('\nObsError outcomes by code:');
for (const [code, n] of Object.entries(figures.failedByCode).sort((x, y) => y[1] - x[1])) console.log(`  ${code.padEnd(28)} ${String(n)}`);
for (const violation of figures.violations.slice(0, 20)) console.log(`VIOLATION ${violation}`);

const ok = figures.violations.length === 0 && figures.lost === 0 && growth < MAX_HEAP_GROWTH_MB;
console.log(ok ? '\nsoak: ok' : '\nsoak: FAILED');
process.exit(ok ? 0 : 1);
