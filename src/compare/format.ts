/**
 * Number formatting shared by compare's markdown, JUnit and HTML. Hand-rolled (no toLocaleString)
 * so outputs do not depend on the machine's locale.
 */
import type { MetricComparison, ThresholdCheck } from './types.js';

function group(n: number, digits: number): string {
  const fixed = Math.abs(n).toFixed(digits);
  const [int = '0', frac] = fixed.split('.');
  const sign = n < 0 && Number(fixed) !== 0 ? '-' : '';
  return sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? `.${frac}` : '');
}

function sig(n: number, digits = 3): string {
  if (n === 0) return '0';
  const a = Math.abs(n);
  if (a >= 1000) return group(n, 0);
  return String(Number(n.toPrecision(digits)));
}

export function formatValue(v: number | null, unit: string): string {
  if (v === null || !Number.isFinite(v)) return '—';
  switch (unit) {
    case 'µs':
      if (Math.abs(v) >= 1_000_000) return `${sig(v / 1_000_000)} s`;
      if (Math.abs(v) >= 1000) return `${sig(v / 1000)} ms`;
      return `${sig(v)} µs`;
    case 'req/s':
      return group(v, Math.abs(v) >= 100 ? 0 : 1);
    case '%':
      return `${v.toFixed(1)}%`;
    case 'ratio':
      return `${(v * 100).toFixed(v === 0 ? 0 : 3)}%`;
    case '':
      return Number.isInteger(v) ? group(v, 0) : sig(v, 4);
    default:
      return sig(v, 4);
  }
}

export function formatPct(x: number | null, digits = 1): string {
  if (x === null || !Number.isFinite(x)) return '—';
  const s = (x * 100).toFixed(digits);
  return `${x > 0 && Number(s) !== 0 ? '+' : ''}${s}%`;
}

export function formatChange(m: MetricComparison): string {
  if (m.relativeChange === null) {
    if (m.absoluteChange === null) return '—';
    return `${m.absoluteChange > 0 ? '+' : ''}${formatValue(m.absoluteChange, m.unit)}`;
  }
  const ci = m.ci ? ` [${formatPct(m.ci.low)}, ${formatPct(m.ci.high)}]` : '';
  return `${formatPct(m.relativeChange)}${ci}`;
}

export function formatP(p: number | null): string {
  if (p === null) return 'n/a';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** Plain-ASCII status marks: they survive terminals, PR comments and JUnit viewers alike. */
export function checkMark(status: ThresholdCheck['status']): string {
  return status === 'pass' ? '[pass]' : status === 'fail' ? '[FAIL]' : '[n/a]';
}

export function assessmentMark(a: MetricComparison['assessment']): string {
  switch (a) {
    case 'better':
      return '+ better';
    case 'worse':
      return '- worse';
    case 'unchanged':
      return '= no significant change';
    default:
      return 'n/a';
  }
}
