/**
 * Number formatting shared by compare's markdown, JUnit and HTML. Hand-rolled (no toLocaleString)
 * so outputs do not depend on the machine's locale.
 */
import { groupThousands } from '../util/format.js';
import type { Comparison, MetricComparison, ThresholdCheck } from './types.js';

const group = groupThousands;

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

const pct = (x: number) => (Number.isFinite(x) ? `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x * 100).toFixed(1)}%` : x > 0 ? '+∞' : '−∞');

/** Coverage of an interval with the digits it needs: 90%, 99.1%, 99.967% (never a rounded "100%"). */
export function formatConfidence(c: number): string {
  const digits = Math.min(6, Math.max(0, Math.ceil(-Math.log10(Math.max(1e-9, (1 - c) * 100))) + 1));
  return `${(c * 100).toFixed(digits)}%`;
}

/** "+30.1% [90% CI +12.0%, +50.3%]": the change with the interval that decided, in every output alike. */
export function describeChange(mc: MetricComparison): string {
  const est = mc.relativeChange === null ? 'n/a' : pct(mc.relativeChange);
  if (!mc.ci || mc.confidence === null) return est;
  return `${est} [${formatConfidence(mc.confidence)} CI ${pct(mc.ci.low)}, ${pct(mc.ci.high)}]`;
}

/** The change with the interval that decides; an absolute difference where no relative change exists. */
export function formatChange(m: MetricComparison): string {
  if (m.relativeChange === null && m.ci === null) {
    if (m.absoluteChange === null) return '—';
    return `${m.absoluteChange > 0 ? '+' : ''}${formatValue(m.absoluteChange, m.unit)}`;
  }
  return describeChange(m);
}

/** p-values of the per-frame tests (metric verdicts use intervals, not p). */
export function formatP(p: number | null): string {
  if (p === null) return 'n/a';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** Plain-ASCII status marks: they survive terminals, PR comments and JUnit viewers alike. */
export function checkMark(check: Pick<ThresholdCheck, 'status' | 'confirmed'>): string {
  switch (check.status) {
    case 'pass':
      return check.confirmed ? '[pass]' : '[pass, unconfirmed]';
    case 'fail':
      return '[FAIL]';
    case 'improvement':
      return '[better]';
    default:
      return '[inconclusive]';
  }
}

export function assessmentMark(a: MetricComparison['assessment']): string {
  switch (a) {
    case 'better':
      return '+ better';
    case 'worse':
      return '- worse';
    case 'unchanged':
      return '= no clear change';
    default:
      return 'n/a';
  }
}

/** One sentence on how the verdict was reached, for every output (docs/compare.md has the why). */
export function ruleNote(c: Comparison): string {
  const conf = formatConfidence(c.design.confidence);
  const look =
    c.design.kind === 'sequential'
      ? ` This is look ${c.design.look} of a sequential series (${c.design.pairs} of at most ${c.design.maxRepeats} runs per side): the interval is widened so that stopping early keeps the error at α.`
      : '';
  return (
    `Change = ratio of geometric means − 1, with its ${conf} interval (Welch t on log values; each one-sided decision errs with probability ≤ α = ${c.alpha}). ` +
    `A relative threshold is a regression when the whole interval is beyond it, a pass when the whole interval is on the allowed side, an improvement when it is wholly beyond the limit mirrored; an interval across the limit is an unconfirmed pass if its estimate is within the limit and no more runs will come, and inconclusive otherwise (add repeats).${look}`
  );
}
