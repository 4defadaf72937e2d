/** The variants of a run: the built-in ones, plus `--obs-options`, narrowed by `--clients`. */
import { CLIENT_VARIANTS, type ClientVariant } from './clients.js';
import type { Flags } from './cli/flags.js';

/** The variants `flags` ask for; throws on an unknown `--clients` id. */
export function selectVariants(flags: Flags): ClientVariant[] {
  const all: ClientVariant[] = [...CLIENT_VARIANTS];
  if (flags.obsOptions !== undefined) {
    all.push({ id: 'obs-custom', label: 'obs-axios-policies (--obs-options)', kind: 'obs', options: flags.obsOptions, fleet: true });
  }
  if (flags.clients === undefined) return all;
  const unknown = flags.clients.filter((id) => !all.some((variant) => variant.id === id));
  if (unknown.length > 0) throw new TypeError(`--clients: unknown id(s) ${unknown.join(', ')}; known: ${all.map((variant) => variant.id).join(', ')}`);
  return all.filter((variant) => flags.clients?.includes(variant.id) === true);
}
