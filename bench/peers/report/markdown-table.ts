/** A markdown table: what stdout and `performance.md` show of every scenario. */

/** A table: a header row and body rows of the same width. */
export interface MarkdownTable {
  /** A short line above the table. */
  caption: string;
  headers: string[];
  rows: string[][];
}

/** Escapes what would break a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Renders the table as GitHub markdown (caption in bold above it). */
export function renderTable(table: MarkdownTable): string {
  const lines = [`**${table.caption}**`, '', `| ${table.headers.map(cell).join(' | ')} |`, `| ${table.headers.map(() => '---').join(' | ')} |`];
  for (const row of table.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}
