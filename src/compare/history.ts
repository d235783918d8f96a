import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { BASE_METRIC_NAMES, type BaseMetricName } from '../metrics/index.js';
import { lineChart } from '../report/plots/line-chart.js';
import { nginxVersionOf } from '../orchestrator/label.js';
import { writeFileAtomic } from '../runs/atomic.js';
import { toolVersion } from '../util/version.js';
import { formatValue } from '../util/format.js';
import { metricDef, metricValue } from './metrics.js';
import { readRunForCompare, resolveRunDirs, type RunForCompare } from './read.js';
import { median } from './stats.js';

/** Every fixed metric of the catalogue (src/metrics), in its order. */
export const HISTORY_METRICS: readonly BaseMetricName[] = BASE_METRIC_NAMES;

export interface HistoryPoint {
  /** --label, else the label recorded by `run --label`, else git describe, else the directory name. */
  label: string;
  dir: string;
  runs: number;
  scenario: string | null;
  variant: string | null;
  /** From the first run: when it started, the git describe and nginx version it recorded. */
  startedAt: string | null;
  gitDescribe: string | null;
  nginxVersion: string | null;
  /** Runs whose measured window drifted (src/orchestrator/steady.ts): their numbers describe no single state. */
  drifting: number;
  /** Median over the point's repeats, and their range; null where no run had the metric. */
  values: Record<string, { median: number; min: number; max: number } | null>;
}

function labelOf(dir: string, first: RunForCompare | undefined): string {
  return first?.manifest.label?.label ?? first?.manifest.label?.gitDescribe ?? path.basename(path.resolve(dir));
}

/** One point per given directory (a run, or a dir of repeats summarised by its median), in the given order. `labels[i]` overrides point i's label. */
export async function historyPoints(dirs: readonly string[], labels: readonly string[] = []): Promise<HistoryPoint[]> {
  const points: HistoryPoint[] = [];
  for (const [i, dir] of dirs.entries()) {
    const runDirs = await resolveRunDirs(dir);
    const runs = (await Promise.all(runDirs.map(readRunForCompare))).filter((r) => r.manifest.status !== 'failed');
    const values: HistoryPoint['values'] = {};
    for (const metric of HISTORY_METRICS) {
      const xs = runs.map((r) => metricValue(r, metric)).filter((v): v is number => v !== null);
      values[metric] = xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) } : null;
    }
    const first = runs[0];
    points.push({
      label: labels[i] ?? labelOf(dir, first),
      dir: path.resolve(dir),
      runs: runs.length,
      scenario: first?.manifest.scenario.name ?? null,
      variant: first?.manifest.variant ?? null,
      startedAt: first?.manifest.timings.startedAt ?? null,
      gitDescribe: first?.manifest.label?.gitDescribe ?? null,
      nginxVersion: nginxVersionOf(first?.manifest.environment?.nginxVersion),
      drifting: runs.filter((r) => r.manifest.steadyState?.status === 'drifting').length,
      values,
    });
  }
  return points;
}

const W = 860;
const H = 280;

/** Category labels fit their slot: the chart's x ticks are centred, so a long label is cut with an ellipsis. */
function fitLabel(label: string, slotPx: number): string {
  const max = Math.max(4, Math.floor(slotPx / 6.5));
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/**
 * One metric across the points: the median line, and the repeats' min and max as dashed lines.
 * Drawn by the report's lineChart, so axes and ticks (src/report/plots/ticks.ts) are the report's.
 */
export function historySvg(points: readonly HistoryPoint[], metric: BaseMetricName): string {
  const def = metricDef(metric);
  const fmt = (v: number) => (v === 0 ? '0' : formatValue(v, def.unit));
  const at = (pick: 'median' | 'min' | 'max') =>
    points.flatMap((p, i): Array<[number, number]> => {
      const v = p.values[metric];
      return v ? [[i, v[pick]]] : [];
    });
  const n = points.length;
  const slot = (W - 110) / Math.max(1, n);
  const ranged = points.some((p) => p.runs > 1);
  return lineChart({
    title: def.label,
    width: W,
    height: H,
    // Half a slot of room either side, so the first and last labels are not cut at the frame.
    x: { label: 'run (in the order given)', min: -0.5, max: n - 0.5, ticks: points.map((p, i) => ({ value: i, label: fitLabel(p.label, slot) })) },
    y: { label: def.unit || 'count', min: 0, format: fmt },
    series: [
      { name: ranged ? 'median of repeats' : 'value', color: '#2456b8', points: at('median'), markers: true },
      ...(ranged
        ? [
            { name: 'min', color: '#8aa9e6', points: at('min'), dash: '4 3' },
            { name: 'max', color: '#8aa9e6', points: at('max'), dash: '4 3' },
          ]
        : []),
    ],
    tooltip: (s, x, y) => `${points[x]?.label ?? x}: ${s.name} ${fmt(y)}`,
  });
}

let compiled: Handlebars.TemplateDelegate | null = null;

export function renderHistoryHtml(points: readonly HistoryPoint[]): string {
  compiled ??= Handlebars.create().compile(readFileSync(new URL('./templates/history.hbs', import.meta.url), 'utf8'));
  return compiled({
    charts: HISTORY_METRICS.map((m) => ({ svg: historySvg(points, m) })),
    points: points.map((p) => ({
      label: p.label,
      dir: p.dir,
      runs: p.runs,
      git: p.gitDescribe ?? '—',
      nginx: p.nginxVersion ?? '—',
      drifting: p.drifting,
      cells: HISTORY_METRICS.map((m) => formatValue(p.values[m]?.median ?? null, metricDef(m).unit)),
    })),
    headers: HISTORY_METRICS.map((m) => metricDef(m).label),
    version: toolVersion(),
  });
}

/** Trend of every catalogue metric across runs, in the given order, as a self-contained HTML file. Returns its path and the points. */
export async function renderHistory(runDirs: string[], opts: { out?: string; labels?: readonly string[] } = {}): Promise<{ file: string; points: HistoryPoint[] }> {
  const out = path.resolve(opts.out ?? path.join('reports', 'history.html'));
  const points = await historyPoints(runDirs, opts.labels ?? []);
  await writeFileAtomic(out, renderHistoryHtml(points));
  return { file: out, points };
}
