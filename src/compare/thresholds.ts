import { invalidInput } from '../errors.js';
import type { ThresholdSpec } from '../scenario/types.js';
import { decide, distanceToDecision } from './decide.js';
import { describeChange, formatValue } from './format.js';
import { isKnownMetric, metricDef } from './metrics.js';
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

/** Latency values may carry a unit (as in the scenario YAML); they are stored in µs. */
const UNIT_US: Record<string, number> = { us: 1, 'µs': 1, ms: 1000, s: 1_000_000 };

/**
 * Parses a `--threshold` argument. Accepts the scenario YAML's conditions after the metric, and
 * a short form for the relative ones:
 *   cpuUsPerRequest=+5%   or  "cpuUsPerRequest: rise <= 5%"   may rise at most 5% (relative)
 *   rps=-5%               or  "rps: drop <= 5%"               may drop at most 5%
 *   latencyP99Us<=5ms     absolute max on the candidate median (us, µs, ms, s; bare numbers are µs)
 *   rps>=10000            absolute min                          errors==0   both bounds
 */
export function parseThresholdRule(text: string): ThresholdSpec {
  const bad = (why: string) =>
    invalidInput('E_BAD_THRESHOLD', `--threshold ${JSON.stringify(text)}: ${why}`, 'Examples: cpuUsPerRequest=+5%  rps="drop <= 5%"  latencyP99Us<=5ms  errors==0');
  const m = /^\s*(probe:[A-Za-z0-9._-]+|[A-Za-z0-9]+)\s*(.*)$/u.exec(text);
  if (!m) throw bad('expected <metric><condition>');
  const [, metric = '', rest = ''] = m;
  if (!isKnownMetric(metric)) throw bad(`unknown metric "${metric}"`);
  const cond = /^(==|<=|>=)/.test(rest) ? rest : /^[=:]/.test(rest) ? rest.slice(1) : null;
  if (cond === null) throw bad('expected <metric>=<condition>, <metric><=N, <metric>>=N or <metric>==N');
  const c = /^\s*(==|<=|>=|drop\s*<=|rise\s*<=|\+|-)\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|%)?\s*$/u.exec(cond);
  if (!c) throw bad(`"${cond.trim()}" is not a condition (use +N%, -N%, drop <= N%, rise <= N%, <= N, >= N or == N)`);
  const [, rawOp = '', num = '', unit] = c;
  const op = rawOp.replace(/\s*<=/, ' <=').replace(/^ /, '');
  const value = Number(num);
  const relative = op === '+' || op === '-' || op === 'drop <=' || op === 'rise <=';
  if (relative) {
    if (unit !== '%') throw bad('a relative condition needs a % value');
    return op === '+' || op === 'rise <=' ? { metric, maxIncreasePct: value } : { metric, maxDecreasePct: value };
  }
  if (unit === '%') throw bad('an absolute bound takes a plain number (or a time unit for latencies), not %');
  let v = value;
  if (unit !== undefined) {
    if (!/^latency/.test(metric)) throw bad(`time units only apply to latency metrics, not ${metric}`);
    v = value * (UNIT_US[unit] as number);
  }
  if (op === '<=') return { metric, max: v };
  if (op === '>=') return { metric, min: v };
  return { metric, min: v, max: v };
}

/**
 * A relative threshold, decided by the one rule of src/compare/decide.ts on the metric's interval:
 * the same interval the tables show, so the row and the verdict cannot disagree.
 */
function relativeCheck(spec: ThresholdSpec, mc: MetricComparison | undefined, source: ThresholdSource, sense: 'increase' | 'decrease', limit: number): ThresholdCheck {
  const rule = sense === 'increase' ? `rise ≤ ${fmt(limit)}%` : `drop ≤ ${fmt(limit)}%`;
  const base = { metric: spec.metric, rule, kind: 'relative' as const, source, limit };
  const observed = mc?.relativeChange !== null && mc?.relativeChange !== undefined && Number.isFinite(mc.relativeChange) ? mc.relativeChange * 100 : null;
  if (!mc || mc.baseline.n === 0 || mc.candidate.n === 0) {
    return { ...base, status: 'inconclusive', observed: null, distancePp: null, reason: 'no value on one side, cannot be tested' };
  }
  const runs = `${mc.baseline.n} vs ${mc.candidate.n} runs`;
  if (!mc.ci) return { ...base, status: 'inconclusive', observed, distancePp: null, reason: `${describeChange(mc)} (${mc.note ?? `${runs}, cannot be tested`})` };
  const shown = describeChange(mc);
  const edge = sense === 'increase' ? `+${fmt(limit)}%` : `−${fmt(limit)}%`;
  const mirror = sense === 'increase' ? `−${fmt(limit)}%` : `+${fmt(limit)}%`;
  const decision = decide(mc.ci, sense, limit);
  const distancePp = distanceToDecision(mc.ci, sense, limit);
  switch (decision) {
    case 'regression':
      return { ...base, status: 'fail', observed, distancePp, reason: `${shown} is beyond ${rule}: the whole interval is ${sense === 'increase' ? 'above' : 'below'} ${edge}` };
    case 'improvement':
      return { ...base, status: 'improvement', observed, distancePp, reason: `${shown}: the whole interval is ${sense === 'increase' ? 'below' : 'above'} ${mirror}, better than the limit mirrored` };
    case 'pass':
      return { ...base, status: 'pass', observed, distancePp, reason: `${shown} is within ${rule}: the whole interval is ${sense === 'increase' ? 'at or below' : 'at or above'} ${edge}` };
    default:
      return {
        ...base,
        status: 'inconclusive',
        observed,
        distancePp,
        reason: `${shown} straddles ${edge} (${runs}): cannot tell within ${rule} from beyond it — add repeats (${distancePp.toFixed(1)} pp from a decision)`,
      };
  }
}

function absoluteCheck(spec: ThresholdSpec, mc: MetricComparison | undefined, source: ThresholdSource, bound: 'max' | 'min', limit: number): ThresholdCheck {
  // In the metric's own unit ("≤ 5 ms", not "≤ 5000"), as the metrics table shows the values.
  const unit = metricDef(spec.metric).unit;
  const rule = bound === 'max' ? `≤ ${formatValue(limit, unit)}` : `≥ ${formatValue(limit, unit)}`;
  const base = { metric: spec.metric, rule, kind: 'absolute' as const, source, limit };
  const v = mc?.candidate.median ?? null;
  if (v === null) return { ...base, status: 'inconclusive', observed: null, distancePp: null, reason: 'the candidate has no value, cannot be checked' };
  const ok = bound === 'max' ? v <= limit : v >= limit;
  return { ...base, status: ok ? 'pass' : 'fail', observed: v, distancePp: null, reason: `candidate median ${formatValue(v, unit)} ${ok ? 'meets' : 'violates'} ${rule}` };
}

/** One check per bound of each threshold: absolute bounds on the candidate median, relative ones by the decision rule. */
export function evaluateThresholds(specs: ReadonlyArray<{ spec: ThresholdSpec; source: ThresholdSource }>, metrics: readonly MetricComparison[]): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  for (const { spec, source } of specs) {
    const mc = metrics.find((m) => m.metric === spec.metric);
    if (spec.max !== undefined) checks.push(absoluteCheck(spec, mc, source, 'max', spec.max));
    if (spec.min !== undefined) checks.push(absoluteCheck(spec, mc, source, 'min', spec.min));
    if (spec.maxIncreasePct !== undefined) checks.push(relativeCheck(spec, mc, source, 'increase', spec.maxIncreasePct));
    if (spec.maxDecreasePct !== undefined) checks.push(relativeCheck(spec, mc, source, 'decrease', spec.maxDecreasePct));
  }
  return checks;
}
