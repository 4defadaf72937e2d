/** Number formatting of the tables: fixed decimals, and `n/a` for what is not a number. */

/** `value` with `digits` decimals, or `n/a`. */
export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** A ratio as `1.23×`, or `n/a`. */
export function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

/** Seconds from ms, `1.2 s`. */
export function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a';
}

/** A share as a percentage, `97.3 %`. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : 'n/a';
}

/** An integer with thousands separators. */
export function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

/** The largest few codes of a count map, `SlowDown 12, HTTP_500 3`. */
export function topCodes(byCode: Record<string, number>, limit = 3): string {
  const entries = Object.entries(byCode).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return '–';
  const shown = entries.slice(0, limit).map(([code, n]) => `${code} ${count(n)}`);
  return entries.length > limit ? `${shown.join(', ')} …` : shown.join(', ');
}
