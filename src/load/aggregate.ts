import { decodeHistogram, encodeHistogram, newLatencyHistogram, type Histogram } from './histogram.js';
import type { IntervalSnapshot } from './protocol.js';
import type { LatencySummaryUs, LoadResult, LoadSecond, LoadSettings } from '../runs/types.js';

/** Percentiles of the spectrum: 0, then evenly spaced in log(1/(1-p)) — 10 per decade up to 99.999 — then 100. */
export const SPECTRUM_PERCENTILES: readonly number[] = [
  0,
  ...Array.from({ length: 50 }, (_, i) => Number((100 * (1 - 10 ** (-(i + 1) / 10))).toFixed(4))),
  100,
];

export interface SecondTotals {
  requests: number;
  errors: number;
  hist: Histogram;
}

/** Merges the per-unit snapshots of one interval. Pure apart from allocating histograms. */
export function mergeSnapshots(snaps: readonly IntervalSnapshot[]): {
  snap: Omit<IntervalSnapshot, 'histogram' | 'serviceHistogram'>;
  hist: Histogram;
  service: Histogram;
} {
  const hist = newLatencyHistogram();
  const service = newLatencyHistogram();
  const snap = { requests: 0, connectionErrors: 0, timeouts: 0, non2xx: 0, statusCodes: {} as Record<string, number>, bytes: 0 };
  for (const s of snaps) {
    snap.requests += s.requests;
    snap.connectionErrors += s.connectionErrors;
    snap.timeouts += s.timeouts;
    snap.non2xx += s.non2xx;
    snap.bytes += s.bytes;
    for (const [code, n] of Object.entries(s.statusCodes)) snap.statusCodes[code] = (snap.statusCodes[code] ?? 0) + n;
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
  private requests = 0;
  private connectionErrors = 0;
  private timeouts = 0;
  private non2xx = 0;
  private bytes = 0;
  private readonly statusCodes: Record<string, number> = {};

  add(intervalMs: number, snaps: readonly IntervalSnapshot[]): LoadSecond {
    const { snap, hist, service } = mergeSnapshots(snaps);
    this.total.add(hist);
    this.service.add(service);
    this.durationMs += intervalMs;
    this.requests += snap.requests;
    this.connectionErrors += snap.connectionErrors;
    this.timeouts += snap.timeouts;
    this.non2xx += snap.non2xx;
    this.bytes += snap.bytes;
    for (const [code, n] of Object.entries(snap.statusCodes)) this.statusCodes[code] = (this.statusCodes[code] ?? 0) + n;
    const second: LoadSecond = {
      t: this.series.length + 1,
      requests: snap.requests,
      errors: snap.connectionErrors + snap.timeouts + snap.non2xx,
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
    const errors = this.connectionErrors + this.timeouts + this.non2xx;
    return {
      schemaVersion: 1,
      settings: meta.settings,
      url: meta.url,
      startedAt: meta.startedAt,
      durationMs: Math.round(this.durationMs),
      requests: this.requests,
      rps: secs > 0 ? Math.round((this.requests / secs) * 10) / 10 : 0,
      errors,
      connectionErrors: this.connectionErrors,
      timeouts: this.timeouts,
      non2xx: this.non2xx,
      statusCodes: { ...this.statusCodes },
      bytes: this.bytes,
      throughputBytesPerSec: secs > 0 ? Math.round(this.bytes / secs) : 0,
      latencyUs: summarizeLatency(this.total),
      spectrum: latencySpectrum(this.total),
      histogram: encodeHistogram(this.total),
      series: [...this.series],
      correctedForCoordinatedOmission: meta.correctedForCoordinatedOmission,
    };
  }
}
