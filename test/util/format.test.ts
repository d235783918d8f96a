import { describe, expect, it } from 'vitest';
import { formatBytes, formatConfidence, formatDate, formatP, formatPct, formatPercentile, formatRps, formatShare, formatSignedPct, formatUs, formatUsShort, formatValue, groupThousands } from '../../src/util/format.js';

describe('number formatting', () => {
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
    expect(formatUs(61)).toBe('61 µs');
    expect(formatUs(2.5)).toBe('2.5 µs');
    expect(formatUs(5000)).toBe('5 ms');
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

describe('one formatter per kind of value, for report and compare alike', () => {
  it('formats a metric value by its catalogue unit', () => {
    expect(formatValue(5000, 'µs')).toBe(formatUs(5000));
    expect(formatValue(48472.4, 'req/s')).toBe('48,472');
    expect(formatValue(12.34, 'req/s')).toBe('12.3');
    expect(formatValue(47.25, '%')).toBe(formatPct(47.25));
    expect(formatValue(0.0123, 'ratio')).toBe('1.230%');
    expect(formatValue(0, 'ratio')).toBe('0%');
    expect(formatValue(12345, '')).toBe('12,345');
    expect(formatValue(1.23456, 'per req')).toBe('1.235');
    expect(formatValue(null, 'µs')).toBe('—');
  });

  it('signs changes with a true minus and keeps p-values to three decimals', () => {
    expect(formatSignedPct(0.301)).toBe('+30.1%');
    expect(formatSignedPct(-0.05)).toBe('−5.0%');
    expect(formatSignedPct(0)).toBe('0.0%');
    expect(formatSignedPct(Number.POSITIVE_INFINITY)).toBe('+∞');
    expect(formatP(0.0004)).toBe('<0.001');
    expect(formatP(0.0123)).toBe('0.012');
    expect(formatConfidence(0.9)).toBe('90%');
    expect(formatConfidence(0.99967)).toBe('99.967%');
  });
});
