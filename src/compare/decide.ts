/**
 * The one decision rule of `flamebench compare` (docs/compare.md, "The decision rule").
 *
 * Per metric: the change is the ratio of geometric means, candidate / baseline − 1, and its
 * interval is a Welch-t interval of the difference of mean logs. Logs, because CPU and latency
 * noise is multiplicative and skewed (a ratio's interval is symmetric on the log scale); Welch,
 * because the two sides' spreads need not be equal (a config change can change the noise too).
 *
 * A relative threshold is decided by where that interval lies against it:
 *   whole interval beyond the limit (in the bad direction)      → regression
 *   whole interval beyond the mirrored limit (good direction)   → improvement
 *   whole interval within the allowed side of the limit         → pass
 *   it straddles the limit, at the last look: estimate within   → pass (unconfirmed)
 *   otherwise (straddles, or cannot be computed: 1 vs 1 runs)   → inconclusive
 * Each one-sided claim ("worse than allowed", "not worse than allowed") is a test at level `level`,
 * so the interval is the two-sided 1 − 2·level interval; in a sequential series `level` is the
 * look's nominal level from src/compare/sequential.ts, which keeps the error over all looks at α.
 */
import { tQuantile } from './distributions.js';

export type Decision = 'pass' | 'regression' | 'improvement' | 'inconclusive';

/** The change of one metric with the interval that decides; fractions (0.1 = +10%). */
export interface ChangeInterval {
  /** exp(mean log candidate − mean log baseline) − 1. */
  estimate: number;
  low: number;
  high: number;
  /** Two-sided coverage of [low, high]: 1 − 2 × the one-sided level. */
  confidence: number;
  /** Welch–Satterthwaite degrees of freedom; null when both sides have no spread (the interval is a point). */
  df: number | null;
}

export type IntervalResult = { ok: true; interval: ChangeInterval } | { ok: false; why: string };

/** Every repeat agrees exactly: the interval is the point itself. */
const point = (change: number, level: number): ChangeInterval => ({ estimate: change, low: change, high: change, confidence: 1 - 2 * level, df: null });

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[], m: number) => xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);

/**
 * The interval of the relative change at one-sided level `level`. Needs ≥ 2 positive values per
 * side: with one run there is no spread to judge the change against.
 */
export function changeInterval(baseline: readonly number[], candidate: readonly number[], level: number): IntervalResult {
  const na = baseline.length;
  const nb = candidate.length;
  if (na < 2 || nb < 2) return { ok: false, why: `${na} vs ${nb} runs, cannot be tested — add repeats` };
  if (baseline.every((x) => x === 0) && candidate.every((x) => x === 0)) {
    return { ok: true, interval: point(0, level) };
  }
  // From all-zero to all-positive (errors appearing) is an unbounded rise on every repeat, and the reverse a drop of 100%.
  if (baseline.every((x) => x === 0) && candidate.every((x) => x > 0)) return { ok: true, interval: point(Infinity, level) };
  if (baseline.every((x) => x > 0) && candidate.every((x) => x === 0)) return { ok: true, interval: point(-1, level) };
  if ([...baseline, ...candidate].some((x) => !(x > 0))) return { ok: false, why: 'some values are 0, so a relative change is undefined' };
  const la = baseline.map(Math.log);
  const lb = candidate.map(Math.log);
  const ma = mean(la);
  const mb = mean(lb);
  const va = variance(la, ma) / na;
  const vb = variance(lb, mb) / nb;
  const se = Math.sqrt(va + vb);
  const d = mb - ma;
  const confidence = 1 - 2 * level;
  if (se === 0) return { ok: true, interval: point(Math.expm1(d), level) };
  const df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1));
  const q = tQuantile(1 - level, df);
  return { ok: true, interval: { estimate: Math.expm1(d), low: Math.expm1(d - q * se), high: Math.expm1(d + q * se), confidence, df } };
}

/** A decision, and whether the interval confirms it (the whole interval on one side of the limit). */
export interface Ruling {
  decision: Decision;
  confirmed: boolean;
}

/**
 * The rule against a relative limit. `sense` is the direction that hurts: 'increase' for
 * "rise <= N%" (CPU, latency), 'decrease' for "drop <= N%" (rps). `limitPct` in percent.
 *
 * Confirmed decisions (any look): regression, improvement, pass, as in the file comment. At the
 * last look the data will get (`final`: a fixed design, or a series whose budget is spent), an
 * interval that still straddles the limit is judged by its estimate: beyond the limit →
 * inconclusive (exceeded but not confirmed: never a pass), within it → pass, marked unconfirmed.
 * Without that last step an A/A comparison would need the whole interval inside a 5% band, which
 * at 6–13% run-to-run noise takes 40+ runs per side; with it, a true change of limit + k·se still
 * passes only with probability Φ(−k) (docs/compare.md, "The decision rule").
 */
export function decide(change: Pick<ChangeInterval, 'estimate' | 'low' | 'high'>, sense: 'increase' | 'decrease', limitPct: number, final: boolean): Ruling {
  const lim = limitPct / 100;
  const bad = sense === 'increase' ? change.low > lim : change.high < -lim;
  const better = sense === 'increase' ? change.high < -lim : change.low > lim;
  const within = sense === 'increase' ? change.high <= lim : change.low >= -lim;
  if (bad) return { decision: 'regression', confirmed: true };
  if (better) return { decision: 'improvement', confirmed: true };
  if (within) return { decision: 'pass', confirmed: true };
  const estimateWithin = sense === 'increase' ? change.estimate <= lim : change.estimate >= -lim;
  if (final && estimateWithin) return { decision: 'pass', confirmed: false };
  return { decision: 'inconclusive', confirmed: false };
}

/**
 * How far the interval is from deciding, in percentage points: the smaller of the distances its
 * bad-side bound must move to clear the limit (→ pass) and its good-side bound (→ regression).
 * 0 when decided. For progress lines: "2.1 pp from a decision".
 */
export function distanceToDecision(interval: Pick<ChangeInterval, 'estimate' | 'low' | 'high'>, sense: 'increase' | 'decrease', limitPct: number): number {
  if (decide(interval, sense, limitPct, false).confirmed) return 0;
  const lim = limitPct / 100;
  const toPass = sense === 'increase' ? interval.high - lim : -lim - interval.low;
  const toRegression = sense === 'increase' ? lim - interval.low : interval.high + lim;
  return 100 * Math.max(0, Math.min(toPass, toRegression));
}
