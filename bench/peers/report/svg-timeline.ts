/**
 * Draws a timeline as a standalone SVG, by hand (no plotting library): one
 * polyline per client through its per-bin counts, shaded windows behind them,
 * dashed reference lines (a rate limit), axes with ticks and labels, and a
 * legend on the right.
 */
import { BIN_MS, type Timeline } from './timeline.js';

const WIDTH = 940;
const HEIGHT = 380;
const LEFT = 64;
const RIGHT = 290;
const TOP = 36;
const BOTTOM = 52;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;

/** Distinct colours, readable on white (one per line; they repeat past ten). */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A tick step of 1, 2 or 5 × 10^k giving about `target` ticks up to `max`. */
function tickStep(max: number, target: number): number {
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  const factor = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10;
  return factor * power;
}

function round(value: number): string {
  return value.toFixed(1);
}

/** The SVG text of a timeline. */
export function renderTimelineSvg(timeline: Timeline): string {
  const binCount = Math.max(1, ...timeline.series.map((series) => series.bins.length));
  const maxMs = Math.max(binCount * BIN_MS, ...timeline.shades.map((shade) => shade.toMs));
  const peak = Math.max(1, ...timeline.series.flatMap((series) => series.bins), ...timeline.guides.map((guide) => guide.perBin));
  const yStep = tickStep(peak, 5);
  const yMax = Math.ceil((peak * 1.05) / yStep) * yStep;
  const xStep = tickStep(maxMs / 1000, 8);
  const xMax = maxMs / 1000;
  const x = (ms: number): number => LEFT + (ms / 1000 / xMax) * PLOT_W;
  const y = (value: number): number => TOP + PLOT_H - (value / yMax) * PLOT_H;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(WIDTH)}" height="${String(HEIGHT)}" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" font-family="sans-serif" font-size="12">`,
    `<rect width="${String(WIDTH)}" height="${String(HEIGHT)}" fill="#ffffff"/>`,
    `<text x="${String(LEFT)}" y="22" font-size="15" font-weight="bold">${escapeXml(timeline.title)}</text>`,
  ];
  for (const shade of timeline.shades) {
    const from = x(Math.max(0, shade.fromMs));
    const to = x(Math.min(maxMs, shade.toMs));
    parts.push(`<rect x="${round(from)}" y="${String(TOP)}" width="${round(Math.max(0, to - from))}" height="${String(PLOT_H)}" fill="#f4a261" fill-opacity="0.22"/>`);
    parts.push(`<text x="${round(from + 4)}" y="${String(TOP + 14)}" fill="#b5651d">${escapeXml(shade.label)}</text>`);
  }
  // Grid and ticks.
  for (let value = 0; value <= yMax + 1e-9; value += yStep) {
    parts.push(`<line x1="${String(LEFT)}" x2="${String(LEFT + PLOT_W)}" y1="${round(y(value))}" y2="${round(y(value))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${String(LEFT - 6)}" y="${round(y(value) + 4)}" text-anchor="end">${String(Number(value.toPrecision(6)))}</text>`);
  }
  for (let value = 0; value <= xMax + 1e-9; value += xStep) {
    const at = x(value * 1000);
    parts.push(`<line x1="${round(at)}" x2="${round(at)}" y1="${String(TOP + PLOT_H)}" y2="${String(TOP + PLOT_H + 5)}" stroke="#333"/>`);
    parts.push(`<text x="${round(at)}" y="${String(TOP + PLOT_H + 18)}" text-anchor="middle">${String(Number(value.toPrecision(6)))}</text>`);
  }
  parts.push(`<line x1="${String(LEFT)}" x2="${String(LEFT + PLOT_W)}" y1="${String(TOP + PLOT_H)}" y2="${String(TOP + PLOT_H)}" stroke="#333"/>`);
  parts.push(`<line x1="${String(LEFT)}" x2="${String(LEFT)}" y1="${String(TOP)}" y2="${String(TOP + PLOT_H)}" stroke="#333"/>`);
  parts.push(`<text x="${String(LEFT + PLOT_W / 2)}" y="${String(HEIGHT - 12)}" text-anchor="middle">time since the run started (s)</text>`);
  parts.push(
    `<text transform="translate(16 ${String(TOP + PLOT_H / 2)}) rotate(-90)" text-anchor="middle">requests reaching the server per ${String(BIN_MS)} ms</text>`,
  );
  for (const guide of timeline.guides) {
    const at = round(y(guide.perBin));
    parts.push(`<line x1="${String(LEFT)}" x2="${String(LEFT + PLOT_W)}" y1="${at}" y2="${at}" stroke="#555" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${String(LEFT + PLOT_W - 4)}" y="${round(y(guide.perBin) - 4)}" text-anchor="end" fill="#555">${escapeXml(guide.label)}</text>`);
  }
  timeline.series.forEach((series, index) => {
    const colour = PALETTE[index % PALETTE.length] ?? '#000000';
    // Each count is drawn at the middle of its bin.
    const points = series.bins.map((value, bin) => `${round(x((bin + 0.5) * BIN_MS))},${round(y(value))}`).join(' ');
    if (points !== '') parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="1.6" stroke-linejoin="round"/>`);
    const legendY = TOP + 8 + index * 18;
    parts.push(`<line x1="${String(LEFT + PLOT_W + 14)}" x2="${String(LEFT + PLOT_W + 36)}" y1="${String(legendY)}" y2="${String(legendY)}" stroke="${colour}" stroke-width="3"/>`);
    parts.push(`<text x="${String(LEFT + PLOT_W + 42)}" y="${String(legendY + 4)}" font-size="11">${escapeXml(series.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
