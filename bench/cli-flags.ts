/**
 * The `--name value` flags of the benchmarks that fork children of themselves
 * (bench/adapter-memory.ts, bench/resumable-download.ts,
 * bench/upload-body-factory.ts): the parent passes each child its settings on
 * the command line.
 */

/** The value after `--name` on the command line, or `undefined` when the flag is absent. */
export function textFlag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** The integer after `--name`, or `fallback` when the flag is absent, not an integer, or below `min`. */
export function integerFlag(name: string, fallback: number, min = 1): number {
  const text = textFlag(name);
  const value = text === undefined ? Number.NaN : Number(text);
  return Number.isInteger(value) && value >= min ? value : fallback;
}
