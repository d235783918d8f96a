import path from 'node:path';
import { invalidInput } from '../errors.js';
import type { MetricName, ThresholdSpec } from '../scenario/types.js';
import { toolVersion } from '../util/version.js';
import { frameChanges } from './frames.js';
import { BASE_METRICS, metricDef, metricValue, type MetricDef } from './metrics.js';
import { readFoldedOf, readRunForCompare, type RunForCompare } from './read.js';
import { changeInterval } from './decide.js';
import { machineCheck } from './machines.js';
import { fixedLook, lookLevel, type Look } from './sequential.js';
import { mad, median } from './stats.js';
import { DEFAULT_THRESHOLDS, evaluateThresholds } from './thresholds.js';
import { verdictOf } from './verdict.js';
import {
  COMPARE_SCHEMA_VERSION,
  type Comparison,
  type MetricComparison,
  type ProbeComparison,
  type SideInfo,
  type SideStats,
  type Design,
  type OnInconclusive,
  type ThresholdSource,
} from './types.js';

export interface CompareOptions {
  /** Thresholds to apply; empty → DEFAULT_THRESHOLDS (marked as defaults in the outputs). */
  thresholds: ThresholdSpec[];
  /** Where `thresholds` came from, for the outputs. Default 'scenario'. */
  thresholdSource?: ThresholdSource;
  /** Error rate of each one-sided decision (regression / pass); intervals are 1 − 2α. Default 0.05. */
  alpha?: number;
  /** Look k of a sequential series (src/compare/sequential.ts); absent: one look at all the data. */
  look?: Look;
  /** Judge even when the sides ran on different machines (otherwise: inconclusive). */
  allowCrossMachine?: boolean;
  /** Exit code policy for an inconclusive verdict. Default 'inconclusive' (exit 98). */
  onInconclusive?: OnInconclusive;
  /** Compare probes' stacks too (frame tables). Default true; a series skips them at intermediate looks. */
  probes?: boolean;
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

/**
 * The statistics of one metric: medians, and the change with the interval that decides
 * (src/compare/decide.ts) at one-sided level `level` (α for a single look).
 */
export function compareMetric(def: MetricDef, baselineValues: Array<number | null>, candidateValues: Array<number | null>, level: number): MetricComparison {
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
    confidence: null,
    df: null,
    note: null,
    assessment: 'n/a',
  };
  if (baseline.median === null || candidate.median === null) {
    out.note = 'no value on one side';
    return out;
  }
  out.absoluteChange = candidate.median - baseline.median;
  const allPositive = [...xs, ...ys].every((x) => x > 0);
  if (allPositive) out.relativeChange = Math.expm1(ys.reduce((a, y) => a + Math.log(y), 0) / ys.length - xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
  else if (baseline.median !== 0) out.relativeChange = candidate.median / baseline.median - 1;
  const r = changeInterval(xs, ys, level);
  if (!r.ok) {
    out.note = r.why;
    return out;
  }
  out.relativeChange = Number.isFinite(r.interval.estimate) ? r.interval.estimate : out.relativeChange;
  out.ci = { low: r.interval.low, high: r.interval.high };
  out.confidence = r.interval.confidence;
  out.df = r.interval.df;
  const up = r.interval.low > 0;
  const down = r.interval.high < 0;
  if (!up && !down) out.assessment = 'unchanged';
  else out.assessment = up === (def.direction === 'higherIsBetter') ? 'better' : 'worse';
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
    scenario: first.manifest.scenario.name,
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
  const names = (rs: readonly RunForCompare[]) => [...new Set(rs.map((r) => r.manifest.scenario.name))];
  const na = names(a);
  const nb = names(b);
  if (na.length > 1) warnings.push(`the baseline mixes scenarios: ${na.join(', ')}`);
  if (nb.length > 1) warnings.push(`the candidate mixes scenarios: ${nb.join(', ')}`);
  if (na.join() !== nb.join()) warnings.push(`scenario names differ: baseline "${na.join(', ')}", candidate "${nb.join(', ')}"; compared anyway`);
  const hosts = (rs: readonly RunForCompare[]) => [...new Set(rs.map((r) => r.manifest.environment?.hostname ?? '?'))].join(', ');
  if (hosts(a) !== hosts(b)) warnings.push(`hostname differs: baseline ${hosts(a)}, candidate ${hosts(b)}`);
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
 * A `-t probe:<id>` threshold that no run of either side declared is a typo, not a metric that
 * went missing: refuse it (exit 2) rather than report it as not checkable. (A scenario's own
 * thresholds were checked against its probes when it was loaded; a declared probe that failed at
 * run time leaves its threshold inconclusive.)
 */
function checkProbeThresholds(specs: readonly ThresholdSpec[], a: readonly RunForCompare[], b: readonly RunForCompare[]): void {
  const declared = new Set([...a, ...b].flatMap((r) => r.manifest.probes.map((p) => p.id)));
  for (const spec of specs) {
    if (!spec.metric.startsWith('probe:') || declared.has(spec.metric.slice(6))) continue;
    throw invalidInput(
      'E_BAD_THRESHOLD',
      `threshold on "${spec.metric}" names a probe that none of the compared runs has`,
      declared.size ? `probes in these runs: ${[...declared].sort().join(', ')}` : 'these runs ran no probes; drop the threshold or run with probes',
    );
  }
}

/**
 * Compares two sets of runs (each one run or several repeats): per-metric statistics, threshold
 * checks, per-probe frame changes, and a verdict. Pure with respect to its inputs: the same run
 * directories give the same Comparison (seeded bootstrap, no clock).
 */
export async function compareRuns(baselineDirs: string[], candidateDirs: string[], opts: CompareOptions): Promise<Comparison> {
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 0.5)) throw invalidInput('E_BAD_ALPHA', `alpha ${alpha} is out of range`, 'Use a level between 0 and 0.5, e.g. 0.05.');
  const warnings: string[] = [];
  const a = await readSide(baselineDirs, 'baseline', warnings);
  const b = await readSide(candidateDirs, 'candidate', warnings);
  consistencyWarnings(a, b, warnings);

  const look = opts.look ?? fixedLook(Math.min(a.length, b.length));
  const level = lookLevel(look, alpha);
  const design: Design = {
    kind: opts.look ? 'sequential' : 'fixed',
    look: look.pairs.length,
    pairs: look.pairs[look.pairs.length - 1] ?? 0,
    maxRepeats: look.maxRepeats,
    final: look.final,
    level,
    confidence: 1 - 2 * level,
  };

  const probeIds = [...new Set(a.flatMap((r) => [...r.probes.keys()]))].filter((id) => b.some((r) => r.probes.has(id))).sort();
  const defs: MetricDef[] = [...BASE_METRICS, ...probeIds.map((id) => metricDef(`probe:${id}` as MetricName))];
  const metrics: MetricComparison[] = [];
  for (const def of defs) {
    const va = a.map((r) => metricValue(r, def.metric));
    const vb = b.map((r) => metricValue(r, def.metric));
    if (va.every((v) => v === null) && vb.every((v) => v === null)) continue;
    metrics.push(compareMetric(def, va, vb, level));
  }

  if (opts.thresholdSource === 'cli') checkProbeThresholds(opts.thresholds, a, b);
  const useDefaults = opts.thresholds.length === 0;
  const specs = (useDefaults ? DEFAULT_THRESHOLDS : opts.thresholds).map((spec) => ({
    spec,
    source: useDefaults ? ('default' as const) : (opts.thresholdSource ?? 'scenario'),
  }));
  const thresholds = evaluateThresholds(specs, metrics, { final: design.final });
  const machines = machineCheck(a, b, Boolean(opts.allowCrossMachine));
  const onInconclusive: OnInconclusive = opts.onInconclusive ?? 'inconclusive';

  return {
    schemaVersion: COMPARE_SCHEMA_VERSION,
    flamebench: toolVersion(),
    alpha,
    design,
    machines,
    baseline: sideInfo(a, opts.baselineLabel ?? commonParent(a.map((r) => r.dir))),
    candidate: sideInfo(b, opts.candidateLabel ?? commonParent(b.map((r) => r.dir))),
    metrics,
    thresholds,
    probes: opts.probes === false ? [] : await probeComparisons(a, b, alpha, opts.frameLimit ?? 20),
    verdict: verdictOf(thresholds, machines, design, onInconclusive),
    warnings,
  };
}
