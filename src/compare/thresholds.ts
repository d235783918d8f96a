import { invalidInput } from '../errors.js';
import { BASE_METRIC_NAMES, isMetricName, parseCondition } from '../metrics/index.js';
import type { ThresholdSpec } from '../scenario/types.js';
import { decide, distanceToDecision } from './decide.js';
import { describeChange } from './format.js';
import { formatValue } from '../util/format.js';
import { metricDef } from './metrics.js';
import type { MetricComparison, ThresholdCheck, ThresholdSource } from './types.js';

/**
 * Used when neither the scenario nor the command line names a threshold: the two relative
 * limits the issue gives as the typical CI policy. Marked `source: 'default'` in every output.
 */
export const DEFAULT_THRESHOLDS: readonly ThresholdSpec[] = [
  { metric: 'rps', maxDecreasePct: 5 },
  { metric: 'cpuUsPerRequest', maxIncreasePct: 5 },
];

const fmt = (x: number) => String(Number(x.toPrecision(6)));

/**
 * Parses a `--threshold` argument: a metric, then a condition of the one threshold grammar
 * (src/metrics/condition.ts; docs/compare.md), joined by "=", ":" or nothing before an operator:
 *   cpuUsPerRequest=+5%   "cpuUsPerRequest: rise <= 5%"   may rise at most 5% (relative)
 *   rps=-5%               "rps: drop <= 5%"               may drop at most 5%
 *   latencyP99Us<=5ms     cpuUsPerRequest<=20us           absolute max on the candidate median
 *   rps>=10000            errorRate<=1%                   errors==0
 */
export function parseThresholdRule(text: string): ThresholdSpec {
  const bad = (why: string, hint = 'Examples: cpuUsPerRequest=+5%  rps="drop <= 5%"  latencyP99Us<=5ms  errorRate<=1%  errors==0') =>
    invalidInput('E_BAD_THRESHOLD', `--threshold ${JSON.stringify(text)}: ${why}`, hint);
  const m = /^\s*(probe:[A-Za-z0-9._-]+|[A-Za-z0-9]+)\s*(.*)$/u.exec(text);
  if (!m) throw bad('expected <metric><condition>');
  const [, metric = '', rest = ''] = m;
  if (!isMetricName(metric)) throw bad(`unknown metric "${metric}"`, `Metrics: ${BASE_METRIC_NAMES.join(', ')}, probe:<id>.`);
  const cond = /^(==|<=|>=|<|>)/.test(rest) ? rest : /^[=:]/.test(rest) ? rest.slice(1) : null;
  if (cond === null) throw bad('expected <metric>=<condition>, <metric><=N, <metric>>=N or <metric>==N');
  const c = parseCondition(metric, cond);
  if (!c.ok) throw bad(c.message, c.hint);
  const { kind, value } = c.value;
  if (kind === 'equal') return { metric, min: value, max: value };
  return { metric, [kind]: value };
}

/**
 * A relative threshold, decided by the one rule of src/compare/decide.ts on the metric's interval:
 * the same interval the tables show, so the row and the verdict cannot disagree.
 */
function relativeCheck(spec: ThresholdSpec, mc: MetricComparison | undefined, source: ThresholdSource, sense: 'increase' | 'decrease', limit: number, final: boolean): ThresholdCheck {
  const rule = sense === 'increase' ? `rise ≤ ${fmt(limit)}%` : `drop ≤ ${fmt(limit)}%`;
  const base = { metric: spec.metric, rule, kind: 'relative' as const, source, limit };
  const observed = mc?.relativeChange !== null && mc?.relativeChange !== undefined && Number.isFinite(mc.relativeChange) ? mc.relativeChange * 100 : null;
  if (!mc || mc.baseline.n === 0 || mc.candidate.n === 0) {
    return { ...base, status: 'inconclusive', confirmed: false, observed: null, distancePp: null, reason: 'no value on one side, cannot be tested' };
  }
  const runs = `${mc.baseline.n} vs ${mc.candidate.n} runs`;
  if (!mc.ci) return { ...base, status: 'inconclusive', confirmed: false, observed, distancePp: null, reason: `${describeChange(mc)} (${mc.note ?? `${runs}, cannot be tested`})` };
  const shown = describeChange(mc);
  const edge = sense === 'increase' ? `+${fmt(limit)}%` : `−${fmt(limit)}%`;
  const mirror = sense === 'increase' ? `−${fmt(limit)}%` : `+${fmt(limit)}%`;
  const change = { estimate: mc.relativeChange ?? 0, ...mc.ci };
  const ruling = decide(change, sense, limit, final);
  const distancePp = distanceToDecision(change, sense, limit);
  const confirmed = ruling.confirmed;
  switch (ruling.decision) {
    case 'regression':
      return { ...base, status: 'fail', confirmed, observed, distancePp, reason: `${shown} is beyond ${rule}: the whole interval is ${sense === 'increase' ? 'above' : 'below'} ${edge}` };
    case 'improvement':
      return { ...base, status: 'improvement', confirmed, observed, distancePp, reason: `${shown}: the whole interval is ${sense === 'increase' ? 'below' : 'above'} ${mirror}, better than the limit mirrored` };
    case 'pass':
      return confirmed
        ? { ...base, status: 'pass', confirmed, observed, distancePp, reason: `${shown} is within ${rule}: the whole interval is ${sense === 'increase' ? 'at or below' : 'at or above'} ${edge}` }
        : {
            ...base,
            status: 'pass',
            confirmed,
            observed,
            distancePp,
            reason: `${shown} is within ${rule}, not confirmed: the interval reaches beyond ${edge} (${runs}, no more runs to come)`,
          };
    default:
      return {
        ...base,
        status: 'inconclusive',
        confirmed,
        observed,
        distancePp,
        reason: `${shown} ${final ? 'is beyond' : 'straddles'} ${edge} but the interval ${final ? 'does not confirm it' : 'cannot tell within from beyond yet'} (${runs}) — add repeats (${distancePp.toFixed(1)} pp from a decision)`,
      };
  }
}

/** An absolute bound on a value (a comparison's candidate median, or a single run's median over its repeats). */
export function absoluteCheck(spec: ThresholdSpec, v: number | null, source: ThresholdSource, bound: 'max' | 'min', limit: number, subject = 'candidate median'): ThresholdCheck {
  // In the metric's own unit ("≤ 5 ms", not "≤ 5000"), as the metrics table shows the values.
  const unit = metricDef(spec.metric).unit;
  const rule = bound === 'max' ? `≤ ${formatValue(limit, unit)}` : `≥ ${formatValue(limit, unit)}`;
  const base = { metric: spec.metric, rule, kind: 'absolute' as const, source, limit };
  if (v === null) return { ...base, status: 'inconclusive', confirmed: false, observed: null, distancePp: null, reason: `no ${subject}, cannot be checked` };
  const ok = bound === 'max' ? v <= limit : v >= limit;
  return { ...base, status: ok ? 'pass' : 'fail', confirmed: true, observed: v, distancePp: null, reason: `${subject} ${formatValue(v, unit)} ${ok ? 'meets' : 'violates'} ${rule}` };
}

/** One check per bound of each threshold: absolute bounds on the candidate median, relative ones by the decision rule. */
export function evaluateThresholds(specs: ReadonlyArray<{ spec: ThresholdSpec; source: ThresholdSource }>, metrics: readonly MetricComparison[], opts: { final: boolean } = { final: true }): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  for (const { spec, source } of specs) {
    const mc = metrics.find((m) => m.metric === spec.metric);
    const median = mc?.candidate.median ?? null;
    if (spec.max !== undefined) checks.push(absoluteCheck(spec, median, source, 'max', spec.max));
    if (spec.min !== undefined) checks.push(absoluteCheck(spec, median, source, 'min', spec.min));
    if (spec.maxIncreasePct !== undefined) checks.push(relativeCheck(spec, mc, source, 'increase', spec.maxIncreasePct, opts.final));
    if (spec.maxDecreasePct !== undefined) checks.push(relativeCheck(spec, mc, source, 'decrease', spec.maxDecreasePct, opts.final));
  }
  return checks;
}
