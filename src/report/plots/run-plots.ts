import type { CpuSample, LoadResult, LoadSecond } from '../../runs/types.js';
import { formatCount, formatPercentile, formatUs, formatUsShort, groupThousands } from '../../util/format.js';
import { lineChart, type ChartBand, type ChartSeries } from './line-chart.js';

/** Fixed colours so the same run always gives the same picture, and a worker keeps its colour across charts. */
export const COLORS = {
  rps: '#2563eb',
  p50: '#059669',
  p99: '#dc2626',
  spectrum: '#7c3aed',
  loader: '#ea580c',
  probes: '#6b7280',
  workers: ['#2563eb', '#0891b2', '#16a34a', '#9333ea', '#db2777', '#ca8a04', '#4f46e5', '#0d9488'],
};

/** HdrHistogram's percentile axis: x = log10(1 / (1 - p/100)), so 90 → 1, 99 → 2, 99.9 → 3. */
export function percentileToX(p: number): number {
  if (p <= 0) return 0;
  return p >= 100 ? Infinity : -Math.log10(1 - p / 100);
}

const KEY_PERCENTILES: Array<[number, 'p50' | 'p90' | 'p99' | 'p999']> = [
  [50, 'p50'],
  [90, 'p90'],
  [99, 'p99'],
  [99.9, 'p999'],
];

export function spectrumChart(load: LoadResult): string {
  const finite = load.spectrum.filter(([p]) => p < 100).map(([p]) => percentileToX(p));
  // Up to the decade the data reaches, but no further than the request count resolves (5,000
  // requests say nothing past p99.99: that is the single slowest one); at least to p99.9.
  const resolvable = load.requests > 1 ? Math.floor(Math.log10(load.requests) + 1e-9) : 3;
  const reached = Math.ceil((finite.length ? Math.max(...finite) : 0) - 1e-9);
  const xMax = Math.max(3, Math.min(7, reached, resolvable));
  const points: Array<[number, number]> = load.spectrum.map(([p, us]) => [Math.min(percentileToX(p), xMax), us]);
  const ticks = [{ value: 0, label: '0' }];
  if (xMax <= 5) ticks.push({ value: percentileToX(50), label: '50' });
  for (let d = 1; d <= xMax; d++) ticks.push({ value: d, label: formatPercentile(100 - 100 / 10 ** d) });
  const callouts = KEY_PERCENTILES.filter(([p]) => percentileToX(p) <= xMax).map(([p, key]) => ({
    x: percentileToX(p),
    y: load.latencyUs[key],
    label: `p${formatPercentile(p)}`,
    tooltip: `p${formatPercentile(p)}: ${formatUs(load.latencyUs[key])}`,
    color: COLORS.spectrum,
  }));
  return lineChart({
    title: 'Latency by percentile',
    x: { label: 'percentile (log scale: each step is ten times rarer)', min: 0, max: xMax, ticks },
    y: { label: 'latency', min: 0, format: formatUsShort },
    series: [{ name: 'latency', color: COLORS.spectrum, points }],
    callouts,
    tooltip: (_s, x, y) => `p${formatPercentile(100 - 100 / 10 ** x)}: ${formatUs(y)}`,
  });
}

/** The measured window's per-second series; t is the end of each second. */
export function throughputChart(series: LoadSecond[]): string {
  return lineChart({
    title: 'Throughput over time (measured window)',
    x: { label: 'seconds into the measured window', min: 0, format: (v) => `${v}s` },
    y: { label: 'requests / s', min: 0, format: (v) => groupThousands(v) },
    series: [
      { name: 'requests/s', color: COLORS.rps, points: series.map((s) => [s.t, s.requests]), markers: true },
      ...(series.some((s) => s.errors > 0)
        ? [{ name: 'errors/s', color: COLORS.p99, dash: '4 3', points: series.map((s): [number, number] => [s.t, s.errors]), markers: true }]
        : []),
    ],
    tooltip: (s, x, y) => `${s.name} in second ${x}: ${formatCount(y)}`,
  });
}

export function latencyOverTimeChart(series: LoadSecond[]): string {
  return lineChart({
    title: 'Latency over time (measured window)',
    x: { label: 'seconds into the measured window', min: 0, format: (v) => `${v}s` },
    y: { label: 'latency', min: 0, format: formatUsShort },
    series: [
      { name: 'p50', color: COLORS.p50, points: series.map((s) => [s.t, s.p50Us]), markers: true },
      { name: 'p99', color: COLORS.p99, points: series.map((s) => [s.t, s.p99Us]), markers: true },
    ],
    tooltip: (s, x, y) => `${s.name} in second ${x}: ${formatUs(y)}`,
  });
}

const PHASE_BAND: Record<CpuSample['phase'], { label: string; fill: string } | null> = {
  idle: null,
  warmup: { label: 'warm-up', fill: '#fef3c7' },
  measure: { label: 'measured', fill: '#dbeafe' },
  after: { label: 'after', fill: '#f3f4f6' },
};

/** Contiguous runs of one phase → shaded bands; a sample covers the interval ending at its t. */
export function phaseBands(samples: CpuSample[], intervalS: number): ChartBand[] {
  const bands: ChartBand[] = [];
  for (const s of samples) {
    const kind = PHASE_BAND[s.phase];
    if (!kind) continue;
    const last = bands[bands.length - 1];
    if (last && last.label === kind.label && Math.abs(last.x1 - (s.t - intervalS)) < intervalS / 2 + 1e-9) last.x1 = s.t;
    else bands.push({ x0: s.t - intervalS, x1: s.t, label: kind.label, fill: kind.fill });
  }
  return bands;
}

export function cpuChart(samples: CpuSample[], intervalMs: number, workerPids: number[]): string {
  const nWorkers = Math.max(0, ...samples.map((s) => s.workers.length));
  const series: ChartSeries[] = [];
  for (let i = 0; i < nWorkers; i++) {
    const pid = workerPids[i];
    series.push({
      name: pid !== undefined ? `worker ${i} (pid ${pid})` : `worker ${i}`,
      color: COLORS.workers[i % COLORS.workers.length] ?? '#2563eb',
      points: samples.filter((s) => s.workers[i] !== undefined).map((s) => [s.t, s.workers[i] ?? 0]),
    });
  }
  series.push({ name: 'loader', color: COLORS.loader, dash: '6 3', points: samples.map((s) => [s.t, s.loader]) });
  if (samples.some((s) => s.probes > 0)) {
    series.push({ name: 'probes', color: COLORS.probes, dash: '2 3', points: samples.map((s) => [s.t, s.probes]) });
  }
  const maxY = Math.max(100, ...samples.flatMap((s) => [...s.workers, s.loader, s.probes]));
  return lineChart({
    title: 'CPU over time (% of one core; shaded: warm-up, measured window, after)',
    x: { label: 'seconds since nginx started', min: samples.length ? Math.max(0, (samples[0]?.t ?? 0) - intervalMs / 1000) : 0, format: (v) => `${v}s` },
    y: { label: 'CPU %', min: 0, max: maxY, format: (v) => `${v}%` },
    series,
    bands: phaseBands(samples, intervalMs / 1000),
    tooltip: (s, x, y) => `${s.name} at ${x}s: ${y.toFixed(1)}%`,
  });
}
