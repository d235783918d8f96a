import * as hdr from 'hdr-histogram-js';

/** Latency histograms are in microseconds: 1 µs to 60 s at 3 significant digits (±0.1%). */
export const LOWEST_US = 1;
export const HIGHEST_US = 60_000_000;

export type Histogram = hdr.Histogram;

export function newLatencyHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    bitBucketSize: 32,
  });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(s: string): Histogram {
  return hdr.decodeFromCompressedBase64(s, 32);
}

/** Whole microseconds, at least 1 (a zero would fall below the histogram's lowest value). */
export function toRecordableUs(us: number): number {
  return us < 1 ? 1 : Math.round(us);
}
