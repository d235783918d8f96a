import type { StackUnit } from '../runs/types.js';
import type { MetricName } from '../scenario/types.js';
import type { Interval } from './stats.js';

/** compare.json is versioned independently of run.json; schema/compare.schema.json describes it. */
export const COMPARE_SCHEMA_VERSION = 1;

export type Direction = 'higherIsBetter' | 'lowerIsBetter';

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
  /** median(candidate)/median(baseline) - 1; null when the baseline median is 0 or a side is empty. */
  relativeChange: number | null;
  absoluteChange: number | null;
  /** 95% (1-alpha) bootstrap CI of the relative change (ratio of medians); null with n < 2 on a side. */
  ci: Interval | null;
  /** Two-sided Mann–Whitney U p-value; null when it cannot be computed. */
  p: number | null;
  pMethod: 'exact' | 'asymptotic' | null;
  significant: boolean;
  /** Why there is no significance verdict (too few repeats, missing values), if so. */
  note: string | null;
  /** Significant and in the good / bad direction, or neither. Informative only: the verdict uses thresholds. */
  assessment: 'better' | 'worse' | 'unchanged' | 'n/a';
}

export type ThresholdSource = 'scenario' | 'cli' | 'default';

export interface ThresholdCheck {
  metric: MetricName;
  /** Human form, e.g. "max +5%" or "≤ 5000". */
  rule: string;
  kind: 'absolute' | 'relative';
  source: ThresholdSource;
  status: 'pass' | 'fail' | 'n/a';
  /** Candidate median (absolute) or relative change in % (relative). */
  observed: number | null;
  limit: number;
  reason: string;
}

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

export interface Verdict {
  status: 'pass' | 'fail';
  exitCode: 0 | 99;
  reasons: string[];
}

export interface Comparison {
  schemaVersion: typeof COMPARE_SCHEMA_VERSION;
  flamebench: string;
  alpha: number;
  baseline: SideInfo;
  candidate: SideInfo;
  metrics: MetricComparison[];
  thresholds: ThresholdCheck[];
  probes: ProbeComparison[];
  verdict: Verdict;
  warnings: string[];
}
