/**
 * The error catalog of docs/error-catalog.md, from OBS_ERROR_CODES.
 */
import { OBS_ERROR_CODES } from '../src/catalog/error-codes.js';

/** The error catalog as Markdown. */
export function renderCatalogTable(): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    '| Status | Code | Message | Solution (`err.hint`) | Source |',
    '| --- | --- | --- | --- | --- |',
    ...OBS_ERROR_CODES.map(
      (entry) => `| ${entry.status} | \`${entry.code}\` | ${escape(entry.message)} | ${escape(entry.solution)} | ${entry.source} |`,
    ),
  ].join('\n');
}
