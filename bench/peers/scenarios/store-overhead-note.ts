/**
 * The success-path cost of the Redis fleet store: in the one-process overhead
 * setup, each store variant against the obs variant with the same options
 * but no store, round by round (both ran back to back in the same process).
 */
import type { ClientVariant } from '../clients.js';
import { fixed, times } from '../report/format.js';
import { median } from '../report/stats.js';
import { wantsRedisStore, without } from '../store/store-spec.js';

/** The options of `variant` without its `store`, as comparable text. */
function withoutStore(variant: ClientVariant): string {
  return JSON.stringify(without(variant.options ?? {}, 'store'));
}

/**
 * One line per store variant with a storeless twin: the median of the
 * per-round CPU-per-GET ratios, and every ratio; undefined when none has a twin.
 */
export function storeOverheadNote(
  setupName: string,
  variants: readonly ClientVariant[],
  cpuPerGet: (id: string, round: number) => number,
  rounds: readonly number[],
): string | undefined {
  const lines: string[] = [];
  for (const withStore of variants.filter((variant) => variant.kind === 'obs' && wantsRedisStore(variant.options))) {
    const twin = variants.find((variant) => variant.kind === 'obs' && !wantsRedisStore(variant.options) && withoutStore(variant) === withoutStore(withStore));
    if (twin === undefined) continue;
    const ratios = rounds.map((round) => cpuPerGet(withStore.id, round) / cpuPerGet(twin.id, round));
    lines.push(
      `${setupName}: CPU per GET of ${withStore.label} ÷ ${twin.label} (same process, same rounds): ${times(median(ratios))} ` +
        `(median of per-round ratios: ${ratios.map((ratio) => fixed(ratio, 3)).join(', ')})`,
    );
  }
  return lines.length === 0 ? undefined : lines.join('; ');
}
