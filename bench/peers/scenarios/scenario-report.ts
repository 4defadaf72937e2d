/** What a scenario hands to the report: tables for stdout and the doc, timelines for the doc. */
import type { MarkdownTable } from '../report/markdown-table.js';
import type { Timeline } from '../report/timeline.js';

/** One chart of a scenario, written to `perf/<file>.svg`. */
export interface TimelineFigure {
  file: string;
  timeline: Timeline;
}

/** A scenario's results. */
export interface ScenarioReport {
  /** The heading. */
  title: string;
  /** How the scenario is built, with its sizes (markdown). */
  description: string;
  tables: MarkdownTable[];
  figures: TimelineFigure[];
  /** Findings worth a line: clients that could not run, promises that did not hold. */
  notes: string[];
}

/** The row of a client whose run failed: its label, the reason, blanks. */
export function failedRow(label: string, error: string, width: number): string[] {
  return [label, `run failed: ${error}`, ...Array.from({ length: Math.max(0, width - 2) }, () => '')];
}
