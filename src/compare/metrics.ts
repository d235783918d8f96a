import type { MetricName } from '../scenario/types.js';
import type { RunForCompare } from './read.js';
import type { Direction } from './types.js';

export interface MetricDef {
  metric: MetricName;
  label: string;
  unit: string;
  direction: Direction;
}

/** The fixed metrics, in the order tables show them. Probe metrics (`probe:<id>`) are added per run set. */
export const BASE_METRICS: readonly MetricDef[] = [
  { metric: 'rps', label: 'Requests/s', unit: 'req/s', direction: 'higherIsBetter' },
  { metric: 'cpuUsPerRequest', label: 'Worker CPU per request', unit: 'µs', direction: 'lowerIsBetter' },
  { metric: 'workerCpuPct', label: 'Worker CPU', unit: '%', direction: 'lowerIsBetter' },
  { metric: 'latencyP50Us', label: 'Latency p50', unit: 'µs', direction: 'lowerIsBetter' },
  { metric: 'latencyP99Us', label: 'Latency p99', unit: 'µs', direction: 'lowerIsBetter' },
  { metric: 'latencyP999Us', label: 'Latency p99.9', unit: 'µs', direction: 'lowerIsBetter' },
  { metric: 'errors', label: 'Errors', unit: '', direction: 'lowerIsBetter' },
  { metric: 'errorRate', label: 'Error rate', unit: 'ratio', direction: 'lowerIsBetter' },
];

export function metricDef(metric: MetricName): MetricDef {
  const base = BASE_METRICS.find((m) => m.metric === metric);
  if (base) return base;
  if (metric.startsWith('probe:')) {
    return { metric, label: `Probe ${metric.slice(6)} weight per request`, unit: 'per req', direction: 'lowerIsBetter' };
  }
  // Unknown names are rejected by the scenario schema and the CLI parser; this is a safe default.
  return { metric, label: metric, unit: '', direction: 'lowerIsBetter' };
}

export function isKnownMetric(name: string): name is MetricName {
  return BASE_METRICS.some((m) => m.metric === name) || /^probe:[A-Za-z0-9._-]+$/.test(name);
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
      return finite(run.manifest.cpu?.summary?.workerPctMean);
    case 'cpuUsPerRequest':
      return finite(run.manifest.cpu?.summary?.workerCpuUsPerRequest);
    default: {
      if (!metric.startsWith('probe:')) return null;
      const meta = run.probes.get(metric.slice(6));
      if (!meta || !load || !(load.requests > 0)) return null;
      return meta.totalWeight / load.requests;
    }
  }
}
