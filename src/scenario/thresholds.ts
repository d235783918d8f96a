/**
 * Thresholds in either YAML form → ThresholdSpec[].
 *   map:  { errors: "== 0", latencyP99Us: "<= 5ms", rps: ["drop <= 5%", ">= 1000"] }
 *   list: [{ metric: rps, maxDecreasePct: 5 }, { metric: latencyP99Us, max: 5ms }]
 * Bounds are inclusive; relative conditions are percentages of the baseline.
 */
import type { RawProblem } from './problems.js';
import type { RawThresholds } from './raw.js';
import { METRICS, type MetricUnits } from './schema-source.js';
import type { MetricName, ThresholdSpec } from './types.js';
import { parseMicros } from './units.js';

const EXPR = /^\s*(==|<=|>=|drop\s*<=|rise\s*<=)\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|%)?\s*$/u;

function unitsOf(metric: string): MetricUnits {
  return metric in METRICS ? METRICS[metric as keyof typeof METRICS].units : 'none';
}

/** A bound value with an optional unit, in the metric's own unit; a string on error. */
export function thresholdValue(metric: string, v: number | string, unit?: string): number | string {
  const units = unitsOf(metric);
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|%)?\s*$/u.exec(v);
    if (!m) return `"${v}" is not a number`;
    return thresholdValue(metric, Number(m[1]), m[2]);
  }
  if (unit === undefined) return v;
  if (units === 'time' && unit !== '%') return parseMicros(`${v}${unit}`)!;
  if (units === 'percent' && unit === '%') return metric === 'errorRate' ? v / 100 : v;
  return `unit "${unit}" does not fit ${metric} (${units === 'none' ? 'a plain number' : units === 'time' ? 'a time: us, ms, s' : 'a percentage'})`;
}

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
        const n = thresholdValue(item.metric, v);
        if (typeof n === 'string') problems.push({ path: ['thresholds', String(i), k], at: 'value', message: n, hint: METRIC_HINT });
        else spec[k] = n;
      }
      if (item.maxIncreasePct !== undefined) spec.maxIncreasePct = item.maxIncreasePct;
      if (item.maxDecreasePct !== undefined) spec.maxDecreasePct = item.maxDecreasePct;
      checkOrder(spec, ['thresholds', String(i)], problems);
      out.push(spec);
    });
    return out;
  }
  for (const [metric, value] of Object.entries(raw)) {
    if (!(metric in METRICS) && !metric.startsWith('probe:')) continue; // an unknown key, reported by the schema
    const spec: ThresholdSpec = { metric: metric as MetricName };
    checkProbe(metric, ['thresholds', metric], 'key');
    const conds = Array.isArray(value) ? value : [value];
    conds.forEach((cond, j) => {
      if (cond === undefined) return;
      const path = Array.isArray(value) ? ['thresholds', metric, String(j)] : ['thresholds', metric];
      const m = EXPR.exec(cond);
      if (!m) return; // the schema has reported it
      const op = m[1]!.replace(/\s+/g, ' ');
      const n = Number(m[2]);
      const set = (k: keyof Omit<ThresholdSpec, 'metric'>, v: number) => {
        if (spec[k] !== undefined) problems.push({ path, at: 'value', message: `"${cond}" sets ${k} a second time for ${metric}`, hint: 'give each bound once' });
        spec[k] = v;
      };
      if (op === 'drop <=' || op === 'rise <=') {
        set(op === 'drop <=' ? 'maxDecreasePct' : 'maxIncreasePct', n);
        return;
      }
      const v = thresholdValue(metric, n, m[3]);
      if (typeof v === 'string') {
        problems.push({ path, at: 'value', message: v, hint: METRIC_HINT });
        return;
      }
      if (op === '==') {
        set('min', v);
        set('max', v);
      } else set(op === '<=' ? 'max' : 'min', v);
    });
    checkOrder(spec, ['thresholds', metric], problems);
    out.push(spec);
  }
  return out;
}

const METRIC_HINT = 'latency and cpuUsPerRequest take times (bare numbers are µs); errorRate and workerCpuPct take "%"; others plain numbers';

function checkOrder(spec: ThresholdSpec, path: string[], problems: RawProblem[]): void {
  if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
    problems.push({ path, at: 'value', message: `min ${spec.min} is above max ${spec.max}: nothing can pass`, hint: 'swap the bounds' });
  }
}
