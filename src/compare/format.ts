/**
 * The words compare's markdown, JUnit and HTML share: a change with its interval, status marks, the
 * rule. Numbers themselves come from the one set of formatters (src/util/format.ts).
 */
import { formatConfidence, formatSignedPct, formatValue } from '../util/format.js';
import type { Comparison, MetricComparison, ThresholdCheck } from './types.js';

/** "+30.1% [90% CI +12.0%, +50.3%]": the change with the interval that decided, in every output alike. */
export function describeChange(mc: MetricComparison): string {
  const est = mc.relativeChange === null ? 'n/a' : formatSignedPct(mc.relativeChange);
  if (!mc.ci || mc.confidence === null) return est;
  return `${est} [${formatConfidence(mc.confidence)} CI ${formatSignedPct(mc.ci.low)}, ${formatSignedPct(mc.ci.high)}]`;
}

/** The change with the interval that decides; an absolute difference where no relative change exists. */
export function formatChange(m: MetricComparison): string {
  if (m.relativeChange === null && m.ci === null) {
    if (m.absoluteChange === null) return '—';
    return `${m.absoluteChange > 0 ? '+' : ''}${formatValue(m.absoluteChange, m.unit)}`;
  }
  return describeChange(m);
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
