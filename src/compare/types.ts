import type { StackUnit } from '../runs/types.js';
import type { Direction, MetricName } from '../metrics/catalogue.js';
import type { Interval } from './stats.js';

/** compare.json is versioned independently of run.json; schema/compare.schema.json describes it. */
export const COMPARE_SCHEMA_VERSION = 2;

export type { Direction } from '../metrics/catalogue.js';

export interface SideStats {
  /** One value per run, in run order; null where the run lacks the metric. */
  values: Array<number | null>;
  /** Runs that had a value. */
  n: number;
  median: number | null;
  min: number | null;
  max: number | null;
  /** Median absolute deviation (unscaled). */
  mad: number | null;
}

export interface MetricComparison {
  metric: MetricName;
  label: string;
  unit: string;
  direction: Direction;
  baseline: SideStats;
  candidate: SideStats;
  /**
   * The decision rule's estimate: ratio of geometric means − 1 (src/compare/decide.ts); the ratio of
   * medians − 1 where it cannot be computed; null when a side is empty or the baseline is 0.
   */
  relativeChange: number | null;
  /** median(candidate) − median(baseline). */
  absoluteChange: number | null;
  /** The interval that decides (see `confidence`); null when it cannot be computed (`note` says why). */
  ci: Interval | null;
  /** Two-sided coverage of `ci`: 1 − 2 × the look's one-sided level. */
  confidence: number | null;
  /** Welch degrees of freedom of `ci`; null for a point interval or none. */
  df: number | null;
  /** Why there is no interval (too few repeats, missing or zero values), if so. */
  note: string | null;
  /** Where `ci` lies against zero: wholly on the good side, the bad side, or across it. Informative: thresholds decide. */
  assessment: 'better' | 'worse' | 'unchanged' | 'n/a';
}

export type ThresholdSource = 'scenario' | 'cli' | 'default';

export interface ThresholdCheck {
  metric: MetricName;
  /** Human form, e.g. "max +5%" or "≤ 5000". */
  rule: string;
  kind: 'absolute' | 'relative';
  source: ThresholdSource;
  /** fail = regression (relative) or a violated bound (absolute); inconclusive = the data cannot decide. */
  status: CheckStatus;
  /** The interval confirms the status (wholly on one side of the limit); false for a pass at the last look that the interval does not confirm. */
  confirmed: boolean;
  /** Candidate median (absolute) or relative change in % (relative). */
  observed: number | null;
  limit: number;
  /** Relative checks: percentage points the interval must still move to decide; 0 when decided. */
  distancePp: number | null;
  reason: string;
}

export type CheckStatus = 'pass' | 'fail' | 'improvement' | 'inconclusive';

export interface FrameChange {
  frame: string;
  /** Self share of all samples of the side (merged over repeats), in percent. */
  baselineSelfPct: number;
  candidateSelfPct: number;
  /** candidate - baseline, percentage points. */
  deltaPp: number;
  direction: 'up' | 'down';
  /** Mann–Whitney over per-repeat self shares when both sides have ≥ 2 repeats. */
  p: number | null;
  significance: 'significant' | 'not significant' | 'n/a';
}

export interface ProbeSide {
  runs: number;
  totalWeight: number;
  samples: number;
}

export interface ProbeComparison {
  id: string;
  kind: string;
  unit: StackUnit;
  baseline: ProbeSide;
  candidate: ProbeSide;
  /** Frames whose self share changed most, largest |deltaPp| first. */
  frames: FrameChange[];
}

export interface RunRef {
  dir: string;
  id: string;
  status: string;
}

export interface SideInfo {
  /** What the user passed (a run dir or a dir of repeats). */
  label: string;
  scenario: string;
  variant: string | null;
  runs: RunRef[];
}

export type VerdictStatus = 'pass' | 'regression' | 'improvement' | 'inconclusive';

export interface Verdict {
  status: VerdictStatus;
  /** 0 pass/improvement, 99 regression, 98 inconclusive (or 0 / 99 with --on-inconclusive pass / fail). */
  exitCode: 0 | 98 | 99;
  /** The first line of every output: the verdict and why, e.g. "inconclusive: CPU/request +100% (1 vs 1 runs, …)". */
  headline: string;
  reasons: string[];
}

/** What to do with an inconclusive verdict: exit 98 (default), or treat it as a pass (0) or a regression (99). */
export type OnInconclusive = 'inconclusive' | 'pass' | 'fail';

/** The analysis the intervals belong to: one look at all data, or look k of a sequential series. */
export interface Design {
  kind: 'fixed' | 'sequential';
  /** 1-based look number. */
  look: number;
  /** Repeats per side at this look (complete pairs). */
  pairs: number;
  maxRepeats: number;
  final: boolean;
  /** One-sided nominal level of each decision at this look (α for a fixed design). */
  level: number;
  /** Two-sided coverage of the intervals shown: 1 − 2·level. */
  confidence: number;
}

/** Whether both sides ran on the same kind of machine (CPU model, kernel, cores, nginx -V). */
export interface MachineCheck {
  same: boolean;
  /** One line per difference, e.g. "CPU model: Xeon 8375C vs EPYC 7763". */
  differences: string[];
  /** --allow-cross-machine: judge anyway. */
  allowed: boolean;
}

export interface Comparison {
  schemaVersion: typeof COMPARE_SCHEMA_VERSION;
  flamebench: string;
  alpha: number;
  design: Design;
  machines: MachineCheck;
  baseline: SideInfo;
  candidate: SideInfo;
  metrics: MetricComparison[];
  thresholds: ThresholdCheck[];
  probes: ProbeComparison[];
  verdict: Verdict;
  warnings: string[];
}
