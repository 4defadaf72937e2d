// `npm run test:all`: everything `npm test` runs, then the checks that are slow but must stay (the
// jest project `slow`, the packed consumers, the other Node lines, Bun and Deno, the peer benchmark
// at its small size). Each step runs on its own, bounded by its own timeout and by what is left of
// the whole run's (TOTAL_TIMEOUT_MS); a failed step does not stop the later ones. At the end, a
// table of each step's wall time and result; exit code 1 if any step failed.
//
// The steps of `npm test` are read from package.json's "test" script (`npm run a && npm run b ...`),
// so this list never drifts from it, and each is timed on its own.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MINUTE = 60_000;

/** The whole run's bound (.ci/run allows a little more): a step starts with what is left of it. */
const TOTAL_TIMEOUT_MS = 45 * MINUTE;
/** Bounds of the steps of `npm test`: jest's own, and everything else's. */
const JEST_TIMEOUT_MS = 15 * MINUTE;
const STEP_TIMEOUT_MS = 5 * MINUTE;

/** The slow steps, after `npm test` (`npm run build` has made dist/ by then). */
const SLOW_STEPS = [
  { args: ['run', 'test:slow'], timeoutMs: 5 * MINUTE },
  { args: ['run', 'check:consumers'], timeoutMs: 5 * MINUTE },
  { args: ['run', 'check:node-lines'], timeoutMs: 15 * MINUTE },
  { args: ['run', 'check:runtimes'], timeoutMs: 10 * MINUTE },
  { args: ['run', 'bench:peers', '--', '--size=small', '--out=.bench-out'], timeoutMs: 5 * MINUTE },
];

/** The steps of package.json's "test" script, each `npm run <script>`. */
function npmTestSteps() {
  const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return scripts.test.split('&&').map((part) => {
    const match = /^npm run ([\w:-]+)$/.exec(part.trim());
    if (match === null) throw new Error(`package.json "test": "${part.trim()}" is not \`npm run <script>\`; scripts/test-all.mjs runs its steps one by one`);
    const script = match[1];
    return { args: ['run', script], timeoutMs: script === 'test:unit' ? JEST_TIMEOUT_MS : STEP_TIMEOUT_MS };
  });
}

/**
 * Runs `npm <args>` with the terminal's output, in its own process group; past `timeoutMs` the whole
 * group is killed (npm, and whatever it started).
 * @returns {Promise<{ ok: boolean, ms: number, note: string }>}
 */
function run(args, timeoutMs) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(npm, args, { cwd: root, stdio: 'inherit', detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    const finish = (ok, note) => {
      clearTimeout(timer);
      resolve({ ok, ms: performance.now() - started, note });
    };
    child.on('error', (error) => finish(false, error.message));
    child.on('exit', (code, signal) => {
      if (timedOut) finish(false, `timed out after ${String(timeoutMs / 1000)} s`);
      else finish(code === 0, code === 0 ? '' : `exit ${String(code ?? signal)}`);
    });
  });
}

const steps = [...npmTestSteps().map((step) => ({ ...step, group: 'npm test' })), ...SLOW_STEPS.map((step) => ({ ...step, group: 'slow' }))];
const rows = [];
const deadline = performance.now() + TOTAL_TIMEOUT_MS;
for (const step of steps) {
  const label = `npm ${step.args.join(' ')}`;
  const timeoutMs = Math.min(step.timeoutMs, Math.round(deadline - performance.now()));
  if (timeoutMs <= 0) {
    rows.push({ label, group: step.group, ok: false, ms: 0, note: `not run: the ${String(TOTAL_TIMEOUT_MS / MINUTE)} minutes of test:all are spent` });
    continue;
  }
  console.log(`\n=== ${label} (${step.group}; at most ${String(Math.round(timeoutMs / 1000))} s)`);
  rows.push({ label, group: step.group, ...(await run(step.args, timeoutMs)) });
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const width = Math.max(...rows.map((row) => row.label.length));
console.log('\n## npm run test:all: time per step\n');
for (const row of rows) console.log(`${row.label.padEnd(width)}  ${seconds(row.ms).padStart(8)}  ${row.ok ? 'ok' : `FAILED (${row.note})`}`);
const total = (group) => rows.filter((row) => group === undefined || row.group === group).reduce((sum, row) => sum + row.ms, 0);
console.log(`${'npm test (its steps together)'.padEnd(width)}  ${seconds(total('npm test')).padStart(8)}`);
console.log(`${'all'.padEnd(width)}  ${seconds(total()).padStart(8)}`);
const failed = rows.filter((row) => !row.ok);
console.log(failed.length === 0 ? '\ntest:all: ok' : `\ntest:all: FAILED (${failed.map((row) => row.label).join(', ')})`);
process.exit(failed.length === 0 ? 0 : 1);
