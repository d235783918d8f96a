import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { writeFileAtomic } from '../runs/atomic.js';
import type { MetricName } from '../scenario/types.js';
import { toolVersion } from '../util/version.js';
import { formatValue } from './format.js';
import { xmlEscape } from './junit.js';
import { metricDef, metricValue } from './metrics.js';
import { readRunForCompare, resolveRunDirs } from './read.js';
import { median } from './stats.js';

export const HISTORY_METRICS: readonly MetricName[] = ['rps', 'latencyP99Us', 'cpuUsPerRequest'];

export interface HistoryPoint {
  label: string;
  dir: string;
  runs: number;
  /** Median over the point's repeats, and their range; null where no run had the metric. */
  values: Record<string, { median: number; min: number; max: number } | null>;
}

/** One point per given directory (a run, or a dir of repeats summarised by its median), in the given order. */
export async function historyPoints(dirs: readonly string[]): Promise<HistoryPoint[]> {
  const points: HistoryPoint[] = [];
  for (const dir of dirs) {
    const runDirs = await resolveRunDirs(dir);
    const runs = (await Promise.all(runDirs.map(readRunForCompare))).filter((r) => r.manifest.status !== 'failed');
    const values: HistoryPoint['values'] = {};
    for (const metric of HISTORY_METRICS) {
      const xs = runs.map((r) => metricValue(r, metric)).filter((v): v is number => v !== null);
      values[metric] = xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) } : null;
    }
    points.push({ label: path.basename(path.resolve(dir)), dir: path.resolve(dir), runs: runs.length, values });
  }
  return points;
}

const W = 860;
const H = 240;
const M = { left: 80, right: 20, top: 16, bottom: 70 };
const r2 = (x: number) => (Math.round(x * 100) / 100).toString();

/** A line plot of one metric across the points, with each point's repeat range as a whisker. Pure, deterministic SVG. */
export function historySvg(points: readonly HistoryPoint[], metric: MetricName): string {
  const def = metricDef(metric);
  const present = points.map((p, i) => ({ i, v: p.values[metric] ?? null, label: p.label })).filter((p) => p.v !== null) as Array<{ i: number; v: { median: number; min: number; max: number }; label: string }>;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"><title>${xmlEscape(def.label)}</title>`];
  if (present.length === 0) {
    parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="muted">no data</text></svg>`);
    return parts.join('');
  }
  let lo = Math.min(0, ...present.map((p) => p.v.min));
  let hi = Math.max(...present.map((p) => p.v.max));
  if (hi === lo) hi = lo + 1;
  hi += (hi - lo) * 0.05;
  const n = points.length;
  const x = (i: number) => M.left + (n === 1 ? (W - M.left - M.right) / 2 : (i / (n - 1)) * (W - M.left - M.right));
  const y = (v: number) => M.top + (1 - (v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${r2(y(v))}" y2="${r2(y(v))}" class="grid"/>`);
    parts.push(`<text x="${M.left - 6}" y="${r2(y(v) + 4)}" text-anchor="end" class="tick">${xmlEscape(formatValue(v, def.unit))}</text>`);
  }
  points.forEach((p, i) => {
    parts.push(`<text transform="translate(${r2(x(i))},${H - M.bottom + 14}) rotate(30)" class="tick">${xmlEscape(p.label.length > 28 ? `${p.label.slice(0, 27)}…` : p.label)}</text>`);
  });
  parts.push(`<polyline class="line" fill="none" points="${present.map((p) => `${r2(x(p.i))},${r2(y(p.v.median))}`).join(' ')}"/>`);
  for (const p of present) {
    parts.push(`<line x1="${r2(x(p.i))}" x2="${r2(x(p.i))}" y1="${r2(y(p.v.min))}" y2="${r2(y(p.v.max))}" class="whisker"/>`);
    parts.push(
      `<circle cx="${r2(x(p.i))}" cy="${r2(y(p.v.median))}" r="4" class="dot"><title>${xmlEscape(`${p.label}: ${formatValue(p.v.median, def.unit)} (range ${formatValue(p.v.min, def.unit)} – ${formatValue(p.v.max, def.unit)})`)}</title></circle>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

let compiled: Handlebars.TemplateDelegate | null = null;

export function renderHistoryHtml(points: readonly HistoryPoint[]): string {
  compiled ??= Handlebars.create().compile(readFileSync(new URL('./templates/history.hbs', import.meta.url), 'utf8'));
  return compiled({
    charts: HISTORY_METRICS.map((m) => ({ label: metricDef(m).label, unit: metricDef(m).unit, svg: historySvg(points, m) })),
    points: points.map((p) => ({
      label: p.label,
      dir: p.dir,
      runs: p.runs,
      cells: HISTORY_METRICS.map((m) => formatValue(p.values[m]?.median ?? null, metricDef(m).unit)),
    })),
    headers: HISTORY_METRICS.map((m) => metricDef(m).label),
    version: toolVersion(),
  });
}

/** Trend of rps, p99 and CPU µs/request across runs, in the given order, as a self-contained HTML file. Returns its path. */
export async function renderHistory(runDirs: string[], opts: { out?: string } = {}): Promise<string> {
  const out = path.resolve(opts.out ?? path.join('reports', 'history.html'));
  await writeFileAtomic(out, renderHistoryHtml(await historyPoints(runDirs)));
  return out;
}
