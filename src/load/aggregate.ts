import { decodeHistogram, encodeHistogram, newLatencyHistogram, type Histogram } from './histogram.js';
import type { IntervalSnapshot } from './protocol.js';
import { LOAD_SCHEMA_VERSION, type LatencySummaryUs, type LoadResult, type LoadSecond, type LoadSettings } from '../runs/types.js';

/** Percentiles of the spectrum: 0, then evenly spaced in log(1/(1-p)) — 10 per decade up to 99.999 — then 100. */
export const SPECTRUM_PERCENTILES: readonly number[] = [
  0,
  ...Array.from({ length: 50 }, (_, i) => Number((100 * (1 - 10 ** (-(i + 1) / 10))).toFixed(4))),
  100,
];

/** The request counters of a snapshot (everything but its histograms). */
export type Counts = Omit<IntervalSnapshot, 'histogram' | 'serviceHistogram'>;

const emptyCounts = (): Counts => ({ requests: 0, connectionErrors: 0, closedWithoutResponse: 0, discardedAtClose: 0, timeouts: 0, non2xx: 0, statusCodes: {}, bytes: 0 });

function addCounts(into: Counts, c: Counts): void {
  into.requests += c.requests;
  into.connectionErrors += c.connectionErrors;
  into.closedWithoutResponse += c.closedWithoutResponse;
  into.discardedAtClose += c.discardedAtClose;
  into.timeouts += c.timeouts;
  into.non2xx += c.non2xx;
  into.bytes += c.bytes;
  for (const [code, n] of Object.entries(c.statusCodes)) into.statusCodes[code] = (into.statusCodes[code] ?? 0) + n;
}

/** Every failed request counter: one definition of "errors" for the window, each second and the progress line. */
export function errorCount(c: Counts): number {
  return c.connectionErrors + c.closedWithoutResponse + c.timeouts + c.non2xx;
}

/** Merges the per-unit snapshots of one interval. Pure apart from allocating histograms. */
export function mergeSnapshots(snaps: readonly IntervalSnapshot[]): { snap: Counts; hist: Histogram; service: Histogram } {
  const hist = newLatencyHistogram();
  const service = newLatencyHistogram();
  const snap = emptyCounts();
  for (const s of snaps) {
    addCounts(snap, s);
    if (s.histogram) hist.add(decodeHistogram(s.histogram));
    if (s.serviceHistogram) service.add(decodeHistogram(s.serviceHistogram));
  }
  return { snap, hist, service };
}

export function summarizeLatency(h: Histogram): LatencySummaryUs {
  if (h.totalCount === 0) return { min: 0, mean: 0, stdev: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    min: h.minNonZeroValue,
    mean: round1(h.mean),
    stdev: round1(h.stdDeviation),
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.maxValue,
  };
}

export function latencySpectrum(h: Histogram): Array<[number, number]> {
  if (h.totalCount === 0) return [];
  return SPECTRUM_PERCENTILES.map((p) => [p, p === 0 ? h.minNonZeroValue : h.getValueAtPercentile(p)]);
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export interface WindowMeta {
  settings: LoadSettings;
  url: string;
  startedAt: string;
  correctedForCoordinatedOmission: boolean;
}

/** Accumulates the measured window second by second; the result can be taken at any time (partial). */
export class WindowAggregator {
  private readonly total = newLatencyHistogram();
  private readonly service = newLatencyHistogram();
  private readonly series: LoadSecond[] = [];
  private durationMs = 0;
  private readonly counts = emptyCounts();

  add(intervalMs: number, snaps: readonly IntervalSnapshot[]): LoadSecond {
    const { snap, hist, service } = mergeSnapshots(snaps);
    this.total.add(hist);
    this.service.add(service);
    this.durationMs += intervalMs;
    addCounts(this.counts, snap);
    const second: LoadSecond = {
      t: this.series.length + 1,
      requests: snap.requests,
      errors: errorCount(snap),
      p50Us: hist.totalCount > 0 ? hist.getValueAtPercentile(50) : 0,
      p99Us: hist.totalCount > 0 ? hist.getValueAtPercentile(99) : 0,
    };
    this.series.push(second);
    return second;
  }

  get seconds(): readonly LoadSecond[] {
    return this.series;
  }

  /** Service time (from the actual write) when the units recorded it: rate mode. */
  serviceLatency(): LatencySummaryUs | null {
    return this.service.totalCount > 0 ? summarizeLatency(this.service) : null;
  }

  result(meta: WindowMeta): LoadResult {
    const secs = this.durationMs / 1000;
    const c = this.counts;
    const errors = errorCount(c);
    return {
      schemaVersion: LOAD_SCHEMA_VERSION,
      settings: meta.settings,
      url: meta.url,
      startedAt: meta.startedAt,
      durationMs: Math.round(this.durationMs),
      requests: c.requests,
      rps: secs > 0 ? Math.round((c.requests / secs) * 10) / 10 : 0,
      errors,
      connectionErrors: c.connectionErrors,
      closedWithoutResponse: c.closedWithoutResponse,
      discardedAtClose: c.discardedAtClose,
      timeouts: c.timeouts,
      non2xx: c.non2xx,
      statusCodes: { ...c.statusCodes },
      bytes: c.bytes,
      throughputBytesPerSec: secs > 0 ? Math.round(c.bytes / secs) : 0,
      latencyUs: summarizeLatency(this.total),
      spectrum: latencySpectrum(this.total),
      histogram: encodeHistogram(this.total),
      series: [...this.series],
      correctedForCoordinatedOmission: meta.correctedForCoordinatedOmission,
    };
  }
}
