/**
 * The one metric catalogue: every metric a comparison reports and a threshold may name, with its
 * label, display unit, the units its threshold values take, its good direction and its doc.
 * compare/ (tables, verdicts), scenario/ (threshold keys, JSON Schema) and the CLI read it here.
 */

/** Metrics a threshold may name; `probe:<id>` is a probe's total weight per request. */
export type BaseMetricName = 'rps' | 'cpuUsPerRequest' | 'workerCpuPct' | 'latencyP50Us' | 'latencyP99Us' | 'latencyP999Us' | 'errors' | 'errorRate';
export type MetricName = BaseMetricName | `probe:${string}`;

export type Direction = 'higherIsBetter' | 'lowerIsBetter';

/**
 * What a threshold value of the metric may carry: `time` takes us, µs, ms, s (bare = µs);
 * `percent` takes "%" (bare = the metric's own number); `none` a plain number.
 */
export type ValueUnits = 'none' | 'time' | 'percent';

export interface MetricInfo {
  metric: MetricName;
  label: string;
  /** Display unit, as src/compare/format.ts formats it: 'req/s', 'µs', '%', 'ratio', '' (a count), 'per req'. */
  unit: string;
  values: ValueUnits;
  direction: Direction;
  doc: string;
}

/** The fixed metrics, in the order tables show them. */
export const METRIC_CATALOGUE: readonly MetricInfo[] = [
  { metric: 'rps', label: 'Requests/s', unit: 'req/s', values: 'none', direction: 'higherIsBetter', doc: 'requests per second in the measured window' },
  {
    metric: 'cpuUsPerRequest',
    label: 'Worker CPU per request',
    unit: 'µs',
    values: 'time',
    direction: 'lowerIsBetter',
    doc: 'nginx worker CPU time (user + sys, from /proc) per request, µs: the steadiest metric on a noisy machine',
  },
  { metric: 'workerCpuPct', label: 'Worker CPU', unit: '%', values: 'percent', direction: 'lowerIsBetter', doc: 'mean nginx worker CPU %, 100 = one core' },
  { metric: 'latencyP50Us', label: 'Latency p50', unit: 'µs', values: 'time', direction: 'lowerIsBetter', doc: 'median latency, µs' },
  { metric: 'latencyP99Us', label: 'Latency p99', unit: 'µs', values: 'time', direction: 'lowerIsBetter', doc: '99th percentile latency, µs' },
  { metric: 'latencyP999Us', label: 'Latency p99.9', unit: 'µs', values: 'time', direction: 'lowerIsBetter', doc: '99.9th percentile latency, µs' },
  { metric: 'errors', label: 'Errors', unit: '', values: 'none', direction: 'lowerIsBetter', doc: 'count of connection errors, timeouts and non-2xx responses' },
  { metric: 'errorRate', label: 'Error rate', unit: 'ratio', values: 'percent', direction: 'lowerIsBetter', doc: 'errors / requests as a fraction (0.01, or "1%")' },
];

export const BASE_METRIC_NAMES: readonly BaseMetricName[] = METRIC_CATALOGUE.map((m) => m.metric as BaseMetricName);

/** `probe:<id>`, with the id grammar of probe ids. */
export const PROBE_METRIC_PATTERN = '^probe:[A-Za-z0-9][A-Za-z0-9_.-]*$';
const PROBE_METRIC = new RegExp(PROBE_METRIC_PATTERN);

export function isMetricName(name: string): name is MetricName {
  return (BASE_METRIC_NAMES as readonly string[]).includes(name) || PROBE_METRIC.test(name);
}

/** The catalogue entry of a metric; a probe's is made from its id. */
export function metricInfo(metric: MetricName): MetricInfo {
  const base = METRIC_CATALOGUE.find((m) => m.metric === metric);
  if (base) return base;
  const id = metric.startsWith('probe:') ? metric.slice(6) : metric;
  return { metric, label: `Probe ${id} weight per request`, unit: 'per req', values: 'none', direction: 'lowerIsBetter', doc: "a probe's total weight (samples or µs) per request" };
}
