/**
 * The one threshold grammar, used by the scenario YAML (`thresholds:`), its JSON Schema and
 * `flamebench compare -t` alike (modelled on k6's metrics/thresholds_parser.go; written down in
 * docs/compare.md, "Threshold grammar"):
 *
 *   condition := absolute | relative
 *   absolute  := ( "<=" | ">=" | "==" ) number [ unit ]   a bound on the candidate's median, inclusive
 *   relative  := ( "rise" | "drop" ) "<=" number "%"      the change against the baseline may be at most
 *              | ( "+" | "-" ) number "%"                 short form: "+5%" = "rise <= 5%", "-5%" = "drop <= 5%"
 *   number    := digits [ "." digits ]
 *   unit      := "us" | "µs" | "ms" | "s"                time metrics (latency*, cpuUsPerRequest); bare = µs
 *              | "%"                                     percent metrics: workerCpuPct ("90%" = 90), errorRate ("1%" = 0.01)
 *
 * Spaces between tokens are free. Strict "<" and ">" are refused: bounds are inclusive. A drop
 * beyond 100% cannot happen, so "drop <= 500%" is refused rather than read as "anything goes".
 */
import { metricInfo, type MetricName, type ValueUnits } from './catalogue.js';

export type Condition = { kind: 'max' | 'min' | 'equal'; value: number } | { kind: 'maxIncreasePct' | 'maxDecreasePct'; value: number };

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; hint: string };

const NUM = '\\d+(?:\\.\\d+)?';
const TIME_US: Record<string, number> = { us: 1, 'µs': 1, ms: 1000, s: 1_000_000 };
const UNIT_SUFFIX: Record<ValueUnits, string> = { none: '', time: '(?:us|µs|ms|s)?', percent: '%?' };

/** The grammar as a JSON-Schema pattern for metrics whose values take `units` (the schema and the parser agree by construction). */
export function conditionPattern(units: ValueUnits): string {
  const abs = `(?:==|<=|>=)\\s*${NUM}\\s*${UNIT_SUFFIX[units]}`;
  const rel = `(?:(?:drop|rise)\\s*<=\\s*|[-+]\\s*)${NUM}\\s*%`;
  return `^\\s*(?:${abs}|${rel})\\s*$`;
}

export const UNITS_HINT = 'latency* and cpuUsPerRequest take times (us, ms, s; bare numbers are µs); errorRate and workerCpuPct take "%"; others plain numbers';

const unitsText = (u: ValueUnits) => (u === 'time' ? 'a time: us, ms, s' : u === 'percent' ? 'a percentage' : 'a plain number');

/** A bound's value in the metric's own unit: "5ms" → 5000 for a time metric, "1%" → 0.01 for errorRate. */
export function parseBoundValue(metric: MetricName, v: number | string, unit?: string): Parsed<number> {
  const units = metricInfo(metric).values;
  if (typeof v === 'string') {
    const m = new RegExp(`^\\s*(${NUM})\\s*(us|µs|ms|s|%)?\\s*$`, 'u').exec(v);
    if (!m) return { ok: false, message: `"${v}" is not a number`, hint: UNITS_HINT };
    return parseBoundValue(metric, Number(m[1]), m[2]);
  }
  if (unit === undefined) return { ok: true, value: v };
  if (units === 'time' && unit !== '%') return { ok: true, value: v * (TIME_US[unit] as number) };
  if (units === 'percent' && unit === '%') return { ok: true, value: metric === 'errorRate' ? v / 100 : v };
  return { ok: false, message: `unit "${unit}" does not fit ${metric} (${unitsText(units)})`, hint: UNITS_HINT };
}

/** One condition of the grammar, for `metric`. */
export function parseCondition(metric: MetricName, text: string): Parsed<Condition> {
  const m = new RegExp(`^\\s*(==|<=|>=|<|>|drop\\s*<=|rise\\s*<=|\\+|-)\\s*(${NUM})\\s*(us|µs|ms|s|%)?\\s*$`, 'u').exec(text);
  if (!m) {
    return { ok: false, message: `"${text.trim()}" is not a condition`, hint: 'use <= N, >= N, == N (bounds on the candidate), rise <= N%, drop <= N%, +N% or -N% (change against the baseline)' };
  }
  const op = (m[1] as string).replace(/^(rise|drop)\s*<=$/, '$1 <=');
  const n = Number(m[2]);
  const unit = m[3];
  if (op === '<' || op === '>') return { ok: false, message: `"${text.trim()}": strict ${op} is not supported`, hint: `bounds are inclusive: write "${op}= ${m[2]}${unit ?? ''}"` };
  if (op === 'rise <=' || op === 'drop <=' || op === '+' || op === '-') {
    if (unit !== '%') return { ok: false, message: `"${text.trim()}": a relative condition needs a % value`, hint: `e.g. "${op === '+' || op === '-' ? op : `${op} `}${m[2]}%"` };
    const rise = op === 'rise <=' || op === '+';
    if (!rise && n > 100) return { ok: false, message: `"${text.trim()}": a drop of more than 100% cannot happen`, hint: 'use a limit between 0% and 100%; "drop <= 100%" already allows any drop' };
    return { ok: true, value: { kind: rise ? 'maxIncreasePct' : 'maxDecreasePct', value: n } };
  }
  const v = parseBoundValue(metric, n, unit);
  if (!v.ok) return v;
  return { ok: true, value: { kind: op === '<=' ? 'max' : op === '>=' ? 'min' : 'equal', value: v.value } };
}
