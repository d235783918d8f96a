import { esc, num } from './svg.js';
import { niceScale } from './ticks.js';

/**
 * A small deterministic SVG line chart: axes, ticks, grid, labels, legend, shaded bands.
 * Our own rather than uPlot/Chart.js: the report must open offline as one file, and a library would
 * have to be inlined (tens of KB) and would draw at load time with JS, so the output could not be
 * golden-tested or printed reliably. Static SVG is drawn once, here, the same way every time.
 * Every string it draws (titles, labels, series names) is escaped here, so its output may be
 * inserted into the report unescaped.
 */

export interface ChartSeries {
  name: string;
  color: string;
  points: Array<[number, number]>;
  dash?: string;
  /** Dots with a hover tooltip on each point (only drawn when there are few points). */
  markers?: boolean;
}

export interface ChartBand {
  x0: number;
  x1: number;
  label: string;
  fill: string;
}

export interface Tick {
  value: number;
  label: string;
}

export interface ChartAxis {
  label: string;
  min?: number;
  max?: number;
  /** Fixed ticks (value + label); otherwise nice ticks over the data range. */
  ticks?: Tick[];
  format?: (v: number) => string;
}

export interface LineChartSpec {
  title: string;
  x: ChartAxis;
  y: ChartAxis;
  series: ChartSeries[];
  bands?: ChartBand[];
  /** Labelled points (e.g. p99) drawn as dots with their label next to them. */
  callouts?: Array<{ x: number; y: number; label: string; color: string; tooltip?: string }>;
  /** Tooltip text for a point; default "x, y". */
  tooltip?: (series: ChartSeries, x: number, y: number) => string;
  width?: number;
  height?: number;
}

const MARGIN = { left: 70, right: 36, top: 54, bottom: 46 };
const MAX_MARKERS = 150;

function axisTicks(axis: ChartAxis, lo: number, hi: number): { min: number; max: number; ticks: Tick[] } {
  const fmt = axis.format ?? ((v: number) => String(v));
  if (axis.ticks) {
    const min = axis.min ?? Math.min(lo, ...axis.ticks.map((t) => t.value));
    const max = axis.max ?? Math.max(hi, ...axis.ticks.map((t) => t.value));
    return { min, max, ticks: axis.ticks };
  }
  const s = niceScale(axis.min ?? lo, axis.max ?? hi, 5);
  const min = axis.min ?? s.min;
  const max = axis.max !== undefined ? Math.max(axis.max, s.max) : s.max;
  return { min, max, ticks: s.ticks.filter((t) => t >= min && t <= max).map((value) => ({ value, label: fmt(value) })) };
}

export function lineChart(spec: LineChartSpec): string {
  const W = spec.width ?? 760;
  const H = spec.height ?? 280;
  // Band labels sit in a strip above the plot area, where no line can cross them.
  const top = MARGIN.top + (spec.bands?.length ? 14 : 0);
  const pw = W - MARGIN.left - MARGIN.right;
  const ph = H - top - MARGIN.bottom;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of spec.series) for (const [x, y] of s.points) if (Number.isFinite(x) && Number.isFinite(y)) (xs.push(x), ys.push(y));
  const hasData = xs.length > 0;
  const xa = axisTicks(spec.x, hasData ? Math.min(...xs) : 0, hasData ? Math.max(...xs) : 1);
  const ya = axisTicks(spec.y, hasData ? Math.min(0, ...ys) : 0, hasData ? Math.max(...ys) : 1);
  const sx = (x: number) => MARGIN.left + ((x - xa.min) / (xa.max - xa.min || 1)) * pw;
  const sy = (y: number) => top + ph - ((y - ya.min) / (ya.max - ya.min || 1)) * ph;
  const clampX = (x: number) => Math.max(xa.min, Math.min(xa.max, x));
  const fx = spec.x.format ?? ((v: number) => String(v));
  const fy = spec.y.format ?? ((v: number) => String(v));
  const tip = spec.tooltip ?? ((s, x, y) => `${s.name}: ${fy(y)} at ${fx(x)}`);

  const o: string[] = [];
  o.push(
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(spec.title)}">`,
  );
  o.push(`<title>${esc(spec.title)}</title>`);
  o.push(`<text class="chart-title" x="${MARGIN.left}" y="20">${esc(spec.title)}</text>`);

  // Legend: one row under the title.
  let lx = MARGIN.left;
  for (const s of spec.series) {
    o.push(
      `<g class="legend"><line x1="${num(lx)}" y1="36" x2="${num(lx + 18)}" y2="36" stroke="${esc(s.color)}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${esc(s.dash)}"` : ''}/>` +
        `<text x="${num(lx + 23)}" y="40">${esc(s.name)}</text></g>`,
    );
    lx += 23 + 7.2 * s.name.length + 18;
  }

  // Bands (phases) under everything else.
  for (const b of spec.bands ?? []) {
    const x0 = sx(clampX(b.x0));
    const x1 = sx(clampX(b.x1));
    if (x1 - x0 < 0.5) continue;
    o.push(`<rect class="band" x="${num(x0)}" y="${top - 14}" width="${num(x1 - x0)}" height="${ph + 14}" fill="${esc(b.fill)}"/>`);
    if (x1 - x0 > 8 * b.label.length + 8) {
      o.push(`<text class="band-label" x="${num(x0 + 2)}" y="${top - 4}">${esc(b.label)}</text>`);
    }
  }

  // Grid + y ticks.
  for (const t of ya.ticks) {
    const y = sy(t.value);
    o.push(`<line class="grid" x1="${MARGIN.left}" y1="${num(y)}" x2="${MARGIN.left + pw}" y2="${num(y)}"/>`);
    o.push(`<text class="tick" x="${MARGIN.left - 6}" y="${num(y + 4)}" text-anchor="end">${esc(t.label)}</text>`);
  }
  for (const t of xa.ticks) {
    const x = sx(t.value);
    o.push(`<line class="grid grid-x" x1="${num(x)}" y1="${top}" x2="${num(x)}" y2="${top + ph}"/>`);
    o.push(`<text class="tick" x="${num(x)}" y="${top + ph + 16}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  o.push(`<rect class="frame" x="${MARGIN.left}" y="${top}" width="${pw}" height="${ph}" fill="none"/>`);
  o.push(`<text class="axis-label" x="${num(MARGIN.left + pw / 2)}" y="${H - 8}" text-anchor="middle">${esc(spec.x.label)}</text>`);
  o.push(
    `<text class="axis-label" transform="translate(14 ${num(top + ph / 2)}) rotate(-90)" text-anchor="middle">${esc(spec.y.label)}</text>`,
  );

  if (!hasData) {
    o.push(`<text class="no-data" x="${num(MARGIN.left + pw / 2)}" y="${num(top + ph / 2)}" text-anchor="middle">no data</text>`);
  }

  for (const s of spec.series) {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length === 0) continue;
    const d = pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(sx(clampX(x)))} ${num(sy(y))}`).join(' ');
    o.push(
      `<path class="series" d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="2"${s.dash ? ` stroke-dasharray="${esc(s.dash)}"` : ''}/>`,
    );
    if ((s.markers || pts.length === 1) && pts.length <= MAX_MARKERS) {
      for (const [x, y] of pts) {
        o.push(
          `<circle class="pt" cx="${num(sx(clampX(x)))}" cy="${num(sy(y))}" r="3" fill="${esc(s.color)}"><title>${esc(tip(s, x, y))}</title></circle>`,
        );
      }
    }
  }

  for (const c of spec.callouts ?? []) {
    const x = sx(clampX(c.x));
    const y = sy(c.y);
    const title = c.tooltip ? `<title>${esc(c.tooltip)}</title>` : '';
    o.push(`<circle class="callout" cx="${num(x)}" cy="${num(y)}" r="4" fill="#fff" stroke="${esc(c.color)}" stroke-width="2">${title}</circle>`);
    o.push(`<text class="callout-label" x="${num(x)}" y="${num(y - 9)}" text-anchor="middle">${esc(c.label)}</text>`);
  }
  o.push('</svg>');
  return o.join('\n');
}
