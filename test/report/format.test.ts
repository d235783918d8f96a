import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, formatPct, formatPercentile, formatRps, formatShare, formatUs, formatUsShort, groupThousands } from '../../src/report/model/format.js';

describe('report number formatting', () => {
  it('groups thousands without depending on the locale', () => {
    expect(groupThousands(0)).toBe('0');
    expect(groupThousands(999)).toBe('999');
    expect(groupThousands(1000)).toBe('1,000');
    expect(groupThousands(1234567.89, 1)).toBe('1,234,567.9');
    expect(groupThousands(-48472)).toBe('-48,472');
    expect(groupThousands(Number.NaN)).toBe('—');
  });

  it('formats rps with separators and a unit', () => {
    expect(formatRps(48472.4)).toBe('48,472 req/s');
    expect(formatRps(12.34)).toBe('12.3 req/s');
    expect(formatRps(null)).toBe('—');
  });

  it('formats microseconds as µs, ms or s', () => {
    expect(formatUs(171)).toBe('171 µs');
    expect(formatUs(61)).toBe('61.0 µs');
    expect(formatUs(2.5)).toBe('2.50 µs');
    expect(formatUs(2410)).toBe('2.41 ms');
    expect(formatUs(15_600)).toBe('15.6 ms');
    expect(formatUs(7_540_000)).toBe('7.54 s');
    expect(formatUs(undefined)).toBe('—');
    expect(formatUsShort(500)).toBe('500µs');
    expect(formatUsShort(2500)).toBe('2.5ms');
    expect(formatUsShort(1000)).toBe('1ms');
  });

  it('formats percentages and shares', () => {
    expect(formatPct(75.44)).toBe('75.4%');
    expect(formatShare(1, 3)).toBe('33.33%');
    expect(formatShare(1, 0)).toBe('—');
  });

  it('formats bytes, dates (UTC) and percentile labels', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(83_363_920)).toBe('79.5 MiB');
    expect(formatDate('2025-01-14T09:30:12.004Z')).toBe('2025-01-14 09:30:12 UTC');
    expect(formatPercentile(99.9)).toBe('99.9');
    expect(formatPercentile(99.99)).toBe('99.99');
    expect(formatPercentile(50)).toBe('50');
  });
});
