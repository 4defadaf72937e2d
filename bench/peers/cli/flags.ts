/**
 * Command-line flags of `npm run bench:peers`:
 *
 * - `--size=small|full` (default full): see `sizes.ts`;
 * - `--only=<scenario>[,<scenario>…]`: overhead, throttle, noise, outage, flaky, fleet;
 * - `--sweep`: also the throttle sweep (rates × concurrencies);
 * - `--clients=<id>[,<id>…]`: only these variants (ids from `clients.ts`);
 * - `--obs-options=<json>`: one more obs-axios-policies variant (`obs-custom`) with these options, fleet included;
 * - `--out=<dir>`: where `performance.md` and `perf/*.svg` go (default `docs`);
 * - `--processes=<n>`: fresh processes per client in each overhead setup (default: the size's);
 * - `--fleet-processes=<n>[,<n>…]`: the fleet scenario once per process count (default: the size's, 8).
 */
import { isScenarioName, SCENARIOS, type ScenarioName } from '../scenario-names.js';
import type { JsonObject } from '../ipc/protocol.js';

/** Parsed flags. */
export interface Flags {
  size: 'small' | 'full';
  scenarios: ScenarioName[];
  sweep: boolean;
  clients: string[] | undefined;
  obsOptions: JsonObject | undefined;
  outDir: string;
  /** Overrides the overhead setups' processes per client. */
  processes: number | undefined;
  /** Overrides the fleet's process counts. */
  fleetProcesses: number[] | undefined;
}

function valueOf(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  const found = args.find((arg) => arg.startsWith(prefix));
  return found?.slice(prefix.length);
}

function listOf(value: string | undefined): string[] | undefined {
  return value?.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function parseObject(text: string): JsonObject {
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TypeError('--obs-options must be a JSON object');
  return parsed as JsonObject;
}

/** Parses `args`; throws a TypeError naming the flag on a bad value. */
export function parseFlags(args: readonly string[]): Flags {
  const known = ['--size=', '--only=', '--sweep', '--clients=', '--obs-options=', '--out=', '--processes=', '--fleet-processes='];
  const unknown = args.filter((arg) => !known.some((flag) => arg === flag || (flag.endsWith('=') && arg.startsWith(flag))));
  if (unknown.length > 0) throw new TypeError(`unknown flag(s): ${unknown.join(' ')}`);
  const size = valueOf(args, 'size') ?? 'full';
  if (size !== 'small' && size !== 'full') throw new TypeError(`--size must be small or full, not ${size}`);
  const only = listOf(valueOf(args, 'only'));
  const bad = only?.filter((name) => !isScenarioName(name)) ?? [];
  if (bad.length > 0) throw new TypeError(`--only: unknown scenario(s) ${bad.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  const obsText = valueOf(args, 'obs-options');
  const processesText = valueOf(args, 'processes');
  const processes = processesText === undefined ? undefined : Number(processesText);
  if (processes !== undefined && (!Number.isInteger(processes) || processes < 1)) throw new TypeError(`--processes must be a whole number ≥ 1, not ${String(processesText)}`);
  const fleetText = listOf(valueOf(args, 'fleet-processes'));
  const fleetProcesses = fleetText?.map(Number);
  if (fleetProcesses !== undefined && (fleetProcesses.length === 0 || fleetProcesses.some((n) => !Number.isInteger(n) || n < 1))) {
    throw new TypeError(`--fleet-processes must be whole numbers ≥ 1, comma-separated, not ${String(valueOf(args, 'fleet-processes'))}`);
  }
  return {
    size,
    scenarios: only === undefined ? [...SCENARIOS] : SCENARIOS.filter((name) => only.includes(name)),
    sweep: args.includes('--sweep'),
    clients: listOf(valueOf(args, 'clients')),
    obsOptions: obsText === undefined ? undefined : parseObject(obsText),
    outDir: valueOf(args, 'out') ?? 'docs',
    processes,
    fleetProcesses,
  };
}
