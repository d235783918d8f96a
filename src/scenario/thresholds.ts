/**
 * Thresholds in either YAML form → ThresholdSpec[].
 *   map:  { errors: "== 0", latencyP99Us: "<= 5ms", rps: ["drop <= 5%", ">= 1000"] }
 *   list: [{ metric: rps, maxDecreasePct: 5 }, { metric: latencyP99Us, max: 5ms }]
 * Bounds are inclusive; relative conditions are percentages of the baseline.
 */
import { conditionPattern, isMetricName, metricInfo, parseBoundValue, parseCondition } from '../metrics/index.js';
import type { RawProblem } from './problems.js';
import type { RawThresholds } from './raw.js';
import type { MetricName, ThresholdSpec } from './types.js';

/** `probeIds` null: the probes section is itself invalid, so `probe:<id>` references are not checked. */
export function normalizeThresholds(raw: RawThresholds | undefined, probeIds: readonly string[] | null, problems: RawProblem[]): ThresholdSpec[] {
  const out: ThresholdSpec[] = [];
  const checkProbe = (metric: string, path: string[], at: 'key' | 'value') => {
    if (probeIds && metric.startsWith('probe:') && !probeIds.includes(metric.slice(6))) {
      problems.push({
        path,
        at,
        message: `threshold on "${metric}" names no declared probe`,
        hint: probeIds.length ? `declared probes: ${probeIds.join(', ')}` : 'declare the probe under probes:',
      });
    }
  };
  if (raw === undefined) return out;
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      if (item === undefined) return; // dropped for a schema problem
      const spec: ThresholdSpec = { metric: item.metric as MetricName };
      checkProbe(item.metric, ['thresholds', String(i), 'metric'], 'value');
      for (const k of ['max', 'min'] as const) {
        const v = item[k];
        if (v === undefined) continue;
        const n = parseBoundValue(item.metric as MetricName, v);
        if (!n.ok) problems.push({ path: ['thresholds', String(i), k], at: 'value', message: n.message, hint: n.hint });
        else spec[k] = n.value;
      }
      if (item.maxIncreasePct !== undefined) spec.maxIncreasePct = item.maxIncreasePct;
      if (item.maxDecreasePct !== undefined) spec.maxDecreasePct = item.maxDecreasePct;
      checkOrder(spec, ['thresholds', String(i)], problems);
      out.push(spec);
    });
    return out;
  }
  for (const [metric, value] of Object.entries(raw)) {
    if (!isMetricName(metric)) continue; // an unknown key, reported by the schema
    const spec: ThresholdSpec = { metric };
    checkProbe(metric, ['thresholds', metric], 'key');
    const conds = Array.isArray(value) ? value : [value];
    conds.forEach((cond, j) => {
      if (cond === undefined) return;
      const path = Array.isArray(value) ? ['thresholds', metric, String(j)] : ['thresholds', metric];
      const c = parseCondition(metric, cond);
      if (!c.ok) {
        // The schema reports what its pattern refuses (with hints of its own); the rest is ours.
        if (new RegExp(conditionPatternFor(metric), 'u').test(cond)) problems.push({ path, at: 'value', message: c.message, hint: c.hint });
        return;
      }
      const set = (k: keyof Omit<ThresholdSpec, 'metric'>, v: number) => {
        if (spec[k] !== undefined) problems.push({ path, at: 'value', message: `"${cond}" sets ${k} a second time for ${metric}`, hint: 'give each bound once' });
        spec[k] = v;
      };
      const { kind, value: v } = c.value;
      if (kind === 'equal') {
        set('min', v);
        set('max', v);
      } else set(kind, v);
    });
    checkOrder(spec, ['thresholds', metric], problems);
    out.push(spec);
  }
  return out;
}

const conditionPatternFor = (metric: MetricName) => conditionPattern(metricInfo(metric).values);

function checkOrder(spec: ThresholdSpec, path: string[], problems: RawProblem[]): void {
  if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
    problems.push({ path, at: 'value', message: `min ${spec.min} is above max ${spec.max}: nothing can pass`, hint: 'swap the bounds' });
  }
}
