import path from 'node:path';
import { invalidInput } from '../errors.js';
import type { MetricName, ThresholdSpec } from '../scenario/types.js';
import { toolVersion } from '../util/version.js';
import { frameChanges } from './frames.js';
import { BASE_METRICS, metricDef, metricValue, type MetricDef } from './metrics.js';
import { readFoldedOf, readRunForCompare, type RunForCompare } from './read.js';
import { bootstrapRatioCI, mad, mannWhitneyU, median, minAchievableP, seedFromString } from './stats.js';
import { DEFAULT_THRESHOLDS, evaluateThresholds } from './thresholds.js';
import {
  COMPARE_SCHEMA_VERSION,
  type Comparison,
  type MetricComparison,
  type ProbeComparison,
  type SideInfo,
  type SideStats,
  type ThresholdCheck,
  type ThresholdSource,
  type Verdict,
} from './types.js';

export interface CompareOptions {
  /** Thresholds to apply; empty → DEFAULT_THRESHOLDS (marked as defaults in the outputs). */
  thresholds: ThresholdSpec[];
  /** Where `thresholds` came from, for the outputs. Default 'scenario'. */
  thresholdSource?: ThresholdSource;
  /** Significance level; the CI is the (1 - alpha) interval. Default 0.05. */
  alpha?: number;
  /** Names shown for the two sides (default: the common parent of each side's runs). */
  baselineLabel?: string;
  candidateLabel?: string;
  /** Rows in each probe's frame table. Default 20. */
  frameLimit?: number;
}

export function sideStats(values: Array<number | null>): SideStats {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length === 0) return { values, n: 0, median: null, min: null, max: null, mad: null };
  return { values, n: xs.length, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), mad: mad(xs) };
}

/** The statistics of one metric: medians, relative change with a bootstrap CI, Mann–Whitney p, and what they allow us to say. */
export function compareMetric(def: MetricDef, baselineValues: Array<number | null>, candidateValues: Array<number | null>, alpha: number): MetricComparison {
  const baseline = sideStats(baselineValues);
  const candidate = sideStats(candidateValues);
  const xs = baselineValues.filter((v): v is number => v !== null);
  const ys = candidateValues.filter((v): v is number => v !== null);
  const out: MetricComparison = {
    ...def,
    baseline,
    candidate,
    relativeChange: null,
    absoluteChange: null,
    ci: null,
    p: null,
    pMethod: null,
    significant: false,
    note: null,
    assessment: 'n/a',
  };
  if (baseline.median === null || candidate.median === null) {
    out.note = 'no value on one side';
    return out;
  }
  out.absoluteChange = candidate.median - baseline.median;
  if (baseline.median !== 0) out.relativeChange = candidate.median / baseline.median - 1;
  out.ci = baseline.median !== 0 ? bootstrapRatioCI(xs, ys, { confidence: 1 - alpha, seed: seedFromString(def.metric) }) : null;
  if (xs.length < 2 || ys.length < 2) {
    out.note = `not enough repeats for significance (n=${xs.length} vs ${ys.length})`;
  } else {
    const mw = mannWhitneyU(ys, xs);
    out.p = mw.p;
    out.pMethod = mw.method;
    const floor = minAchievableP(xs.length, ys.length);
    if (floor > alpha) {
      out.note = `not enough repeats for significance: ${xs.length} vs ${ys.length} repeats cannot reach p < ${alpha} (minimum p ${floor.toFixed(3)}); use ≥ 4 per side`;
    } else {
      out.significant = mw.p < alpha;
    }
  }
  if (!out.significant) out.assessment = 'unchanged';
  else {
    const up = candidate.median > baseline.median;
    out.assessment = up === (def.direction === 'higherIsBetter') ? 'better' : 'worse';
  }
  return out;
}

function commonParent(dirs: readonly string[]): string {
  if (dirs.length === 1) return dirs[0] as string;
  return path.dirname(dirs[0] as string);
}

function sideInfo(runs: readonly RunForCompare[], label: string): SideInfo {
  const first = runs[0] as RunForCompare;
  return {
    label,
    scenario: first.manifest.scenario?.name ?? '',
    variant: first.manifest.variant ?? null,
    runs: runs.map((r) => ({ dir: r.dir, id: r.manifest.id, status: r.manifest.status })),
  };
}

async function readSide(dirs: readonly string[], side: string, warnings: string[]): Promise<RunForCompare[]> {
  if (dirs.length === 0) throw invalidInput('E_NO_RUNS', `no ${side} runs given`, 'Pass at least one run directory per side.');
  const all = await Promise.all(dirs.map(readRunForCompare));
  const usable = all.filter((r) => r.manifest.status !== 'failed');
  for (const r of all) {
    if (r.manifest.status === 'failed') warnings.push(`${side} run ${r.dir} failed (${r.manifest.error?.message ?? 'no reason recorded'}); left out`);
    else if (r.manifest.status === 'partial') warnings.push(`${side} run ${r.dir} is partial (${r.manifest.error?.message ?? 'no reason recorded'}); its numbers are used`);
    if (r.manifest.loaderBound) warnings.push(`${side} run ${r.dir}: ${r.manifest.loaderBound.message}`);
  }
  if (usable.length === 0) {
    throw invalidInput('E_NO_USABLE_RUNS', `every ${side} run failed`, 'Re-run the scenario; `flamebench report <dir>` shows why each run failed.');
  }
  return usable;
}

function consistencyWarnings(a: readonly RunForCompare[], b: readonly RunForCompare[], warnings: string[]): void {
  const names = (rs: readonly RunForCompare[]) => [...new Set(rs.map((r) => r.manifest.scenario?.name ?? ''))];
  const na = names(a);
  const nb = names(b);
  if (na.length > 1) warnings.push(`the baseline mixes scenarios: ${na.join(', ')}`);
  if (nb.length > 1) warnings.push(`the candidate mixes scenarios: ${nb.join(', ')}`);
  if (na.join() !== nb.join()) warnings.push(`scenario names differ: baseline "${na.join(', ')}", candidate "${nb.join(', ')}"; compared anyway`);
  const env = (rs: readonly RunForCompare[], key: 'cpuModel' | 'hostname' | 'kernel') => [...new Set(rs.map((r) => r.manifest.environment?.[key] ?? '?'))].join(', ');
  for (const key of ['hostname', 'cpuModel', 'kernel'] as const) {
    if (env(a, key) !== env(b, key)) warnings.push(`${key} differs: baseline ${env(a, key)}, candidate ${env(b, key)}`);
  }
}

function verdictOf(checks: readonly ThresholdCheck[]): Verdict {
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) return { status: 'fail', exitCode: 99, reasons: failed.map((c) => `${c.metric} ${c.rule}: ${c.reason}`) };
  const na = checks.filter((c) => c.status === 'n/a').length;
  const reasons = [`${checks.length - na} of ${checks.length} threshold checks passed${na ? ` (${na} not applicable)` : ''}`];
  return { status: 'pass', exitCode: 0, reasons };
}

async function probeComparisons(a: readonly RunForCompare[], b: readonly RunForCompare[], alpha: number, limit: number): Promise<ProbeComparison[]> {
  const ids = [...new Set(a.flatMap((r) => [...r.probes.keys()]))].filter((id) => b.some((r) => r.probes.has(id))).sort();
  const out: ProbeComparison[] = [];
  for (const id of ids) {
    const side = async (runs: readonly RunForCompare[]) => {
      const withProbe = runs.filter((r) => r.probes.has(id));
      const folded = (await Promise.all(withProbe.map((r) => readFoldedOf(r, id)))).filter((f) => f !== null);
      const metas = withProbe.map((r) => r.probes.get(id)!);
      return {
        folded,
        info: { runs: withProbe.length, totalWeight: metas.reduce((s, m) => s + m.totalWeight, 0), samples: metas.reduce((s, m) => s + m.sampleCount, 0) },
        meta: metas[0]!,
      };
    };
    const sa = await side(a);
    const sb = await side(b);
    out.push({
      id,
      kind: sa.meta.kind,
      unit: sa.meta.unit,
      baseline: sa.info,
      candidate: sb.info,
      frames: frameChanges(sa.folded, sb.folded, { alpha, limit }),
    });
  }
  return out;
}

/**
 * Compares two sets of runs (each one run or several repeats): per-metric statistics, threshold
 * checks, per-probe frame changes, and a verdict. Pure with respect to its inputs: the same run
 * directories give the same Comparison (seeded bootstrap, no clock).
 */
export async function compareRuns(baselineDirs: string[], candidateDirs: string[], opts: CompareOptions): Promise<Comparison> {
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 0.5)) throw invalidInput('E_BAD_ALPHA', `alpha ${alpha} is out of range`, 'Use a significance level between 0 and 0.5, e.g. 0.05.');
  const warnings: string[] = [];
  const a = await readSide(baselineDirs, 'baseline', warnings);
  const b = await readSide(candidateDirs, 'candidate', warnings);
  consistencyWarnings(a, b, warnings);

  const probeIds = [...new Set(a.flatMap((r) => [...r.probes.keys()]))].filter((id) => b.some((r) => r.probes.has(id))).sort();
  const defs: MetricDef[] = [...BASE_METRICS, ...probeIds.map((id) => metricDef(`probe:${id}` as MetricName))];
  const metrics: MetricComparison[] = [];
  for (const def of defs) {
    const va = a.map((r) => metricValue(r, def.metric));
    const vb = b.map((r) => metricValue(r, def.metric));
    if (va.every((v) => v === null) && vb.every((v) => v === null)) continue;
    metrics.push(compareMetric(def, va, vb, alpha));
  }

  const useDefaults = opts.thresholds.length === 0;
  const specs = (useDefaults ? DEFAULT_THRESHOLDS : opts.thresholds).map((spec) => ({
    spec,
    source: useDefaults ? ('default' as const) : (opts.thresholdSource ?? 'scenario'),
  }));
  const thresholds = evaluateThresholds(specs, metrics);
  for (const t of thresholds) if (t.status === 'n/a') warnings.push(`threshold ${t.metric} ${t.rule} could not be checked: ${t.reason}`);

  return {
    schemaVersion: COMPARE_SCHEMA_VERSION,
    flamebench: toolVersion(),
    alpha,
    baseline: sideInfo(a, opts.baselineLabel ?? commonParent(a.map((r) => r.dir))),
    candidate: sideInfo(b, opts.candidateLabel ?? commonParent(b.map((r) => r.dir))),
    metrics,
    thresholds,
    probes: await probeComparisons(a, b, alpha, opts.frameLimit ?? 20),
    verdict: verdictOf(thresholds),
    warnings,
  };
}
