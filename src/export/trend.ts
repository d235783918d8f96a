/**
 * One history point (a run, or the median of its repeats) in the JSON formats of the trend
 * tools teams already use:
 *  - github-action-benchmark's custom tools: an array of { name, unit, value, range?, extra? };
 *    `customSmallerIsBetter` and `customBiggerIsBetter` are separate tools, so one file per
 *    direction (rps is bigger-is-better, the rest of the catalogue smaller).
 *  - Bencher Metric Format (BMF): { <benchmark>: { <measure>: { value, lower_value?, upper_value? } } };
 *    rps goes to Bencher's built-in `throughput` measure, the others to measures named after the
 *    metric (Bencher creates a measure the first time it sees its slug).
 */
import type { HistoryPoint } from '../compare/history.js';
import { HISTORY_METRICS } from '../compare/history.js';
import { metricInfo, type BaseMetricName } from '../metrics/index.js';

export type BenchmarkDirection = 'smaller' | 'bigger';

export interface BenchmarkActionEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

export type BencherMetricFormat = Record<string, Record<string, { value: number; lower_value?: number; upper_value?: number }>>;

/** The benchmark's name: the scenario (and variant), as the tools key their series by name. */
export function benchmarkName(p: HistoryPoint): string {
  return [p.scenario ?? 'flamebench', ...(p.variant ? [p.variant] : [])].join('/');
}

/** errorRate is a fraction internally; trend tools get percent, which reads as charted. */
function shown(metric: BaseMetricName, v: number): { value: number; unit: string } {
  const info = metricInfo(metric);
  if (metric === 'errorRate') return { value: v * 100, unit: '%' };
  if (info.unit === 'µs') return { value: v, unit: 'us' };
  return { value: v, unit: info.unit === '' ? 'count' : info.unit };
}

const sig = (x: number) => Number(x.toPrecision(6));

export function toBenchmarkAction(p: HistoryPoint, direction: BenchmarkDirection): BenchmarkActionEntry[] {
  const want = direction === 'bigger' ? 'higherIsBetter' : 'lowerIsBetter';
  const context = [
    `${p.runs} run${p.runs === 1 ? '' : 's'}`,
    ...(p.label ? [`label ${p.label}`] : []),
    ...(p.gitDescribe ? [`git ${p.gitDescribe}`] : []),
    ...(p.nginxVersion ? [p.nginxVersion] : []),
    ...(p.drifting ? [`${p.drifting} not steady`] : []),
  ].join('; ');
  const out: BenchmarkActionEntry[] = [];
  for (const metric of HISTORY_METRICS) {
    const v = p.values[metric];
    if (!v || metricInfo(metric).direction !== want) continue;
    const m = shown(metric, v.median);
    const lo = shown(metric, v.min).value;
    const hi = shown(metric, v.max).value;
    out.push({
      name: `${benchmarkName(p)} - ${metricInfo(metric).label}`,
      unit: m.unit,
      value: sig(m.value),
      ...(p.runs > 1 ? { range: `± ${sig((hi - lo) / 2)}` } : {}),
      extra: context,
    });
  }
  return out;
}

const BENCHER_MEASURE: Partial<Record<BaseMetricName, string>> = { rps: 'throughput' };
const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

export function toBencher(points: readonly HistoryPoint[]): BencherMetricFormat {
  const out: BencherMetricFormat = {};
  for (const p of points) {
    const measures: BencherMetricFormat[string] = {};
    for (const metric of HISTORY_METRICS) {
      const v = p.values[metric];
      if (!v) continue;
      const m = shown(metric, v.median);
      measures[BENCHER_MEASURE[metric] ?? kebab(metric)] = {
        value: sig(m.value),
        ...(p.runs > 1 ? { lower_value: sig(shown(metric, v.min).value), upper_value: sig(shown(metric, v.max).value) } : {}),
      };
    }
    out[benchmarkName(p)] = measures;
  }
  return out;
}
