/**
 * Each metric's value in one run. What the metrics are (labels, units, directions) is the one
 * catalogue in src/metrics/; compare adds only how to read them from a run directory.
 */
import { METRIC_CATALOGUE, metricInfo, type MetricInfo, type MetricName } from '../metrics/index.js';
import type { RunForCompare } from './read.js';

export type MetricDef = Pick<MetricInfo, 'metric' | 'label' | 'unit' | 'direction'>;

/** The fixed metrics, in the order tables show them. Probe metrics (`probe:<id>`) are added per run set. */
export const BASE_METRICS: readonly MetricDef[] = METRIC_CATALOGUE.map(({ metric, label, unit, direction }) => ({ metric, label, unit, direction }));

export function metricDef(metric: MetricName): MetricDef {
  const { label, unit, direction } = metricInfo(metric);
  return { metric, label, unit, direction };
}

const finite = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** One run's value of a metric; null when the run did not record it. */
export function metricValue(run: RunForCompare, metric: MetricName): number | null {
  const load = run.load;
  switch (metric) {
    case 'rps':
      return finite(load?.rps);
    case 'latencyP50Us':
      return finite(load?.latencyUs?.p50);
    case 'latencyP99Us':
      return finite(load?.latencyUs?.p99);
    case 'latencyP999Us':
      return finite(load?.latencyUs?.p999);
    case 'errors':
      return finite(load?.errors);
    case 'errorRate': {
      if (!load) return null;
      const total = load.requests;
      return total > 0 ? load.errors / total : load.errors > 0 ? 1 : 0;
    }
    case 'workerCpuPct':
      return finite(run.manifest.cpu.summary?.workerPctMean);
    case 'cpuUsPerRequest':
      return finite(run.manifest.cpu.summary?.workerCpuUsPerRequest);
    default: {
      if (!metric.startsWith('probe:')) return null;
      const meta = run.probes.get(metric.slice(6));
      if (!meta || !load || !(load.requests > 0)) return null;
      return meta.totalWeight / load.requests;
    }
  }
}
