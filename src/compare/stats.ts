/**
 * Small pure statistics over repeats: order statistics for the tables, a seeded PRNG, and the
 * exact Mann–Whitney test the per-frame tables use. The verdict's rule is in ./decide.ts.
 */

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear interpolation between order statistics (type 7, numpy's default). NaN for no data. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = s[lo] as number;
  const b = s[hi] as number;
  return a + (h - lo) * (b - a);
}

/** Median absolute deviation (unscaled): a spread measure one outlier repeat cannot blow up. */
export function mad(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** mulberry32: a tiny seeded PRNG, so the same inputs always give the same bootstrap interval. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  low: number;
  high: number;
}

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting one half. */
  u1: number;
  u2: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'asymptotic';
}

/** Midranks (1-based) of the pooled sample, and the tie groups' sizes. */
function midranks(values: readonly number[]): { ranks: number[]; ties: number[] } {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  const ties: number[] = [];
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && (idx[j + 1] as readonly [number, number])[0] === (idx[i] as readonly [number, number])[0]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[(idx[k] as readonly [number, number])[1]] = r;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

/**
 * Exact permutation distribution of the (doubled, so integral) rank sum of n1 items drawn from
 * the pooled midranks: counts[s] = number of subsets with doubled rank sum s. Handles ties
 * exactly, unlike the textbook table (and scipy's 'exact', which assumes no ties).
 */
function rankSumDistribution(doubledRanks: readonly number[], n1: number): number[][] {
  const maxSum = doubledRanks.reduce((a, b) => a + b, 0);
  // dp[k][s]: ways to pick k of the items seen so far with doubled rank sum s.
  const dp: number[][] = Array.from({ length: n1 + 1 }, () => new Array<number>(maxSum + 1).fill(0));
  (dp[0] as number[])[0] = 1;
  for (const r of doubledRanks) {
    for (let k = n1; k >= 1; k--) {
      const row = dp[k] as number[];
      const prev = dp[k - 1] as number[];
      for (let s = maxSum; s >= r; s--) {
        const add = prev[s - r] as number;
        if (add !== 0) row[s] = (row[s] as number) + add;
      }
    }
  }
  return dp;
}

/** Above this pooled size the exact DP is replaced by the normal approximation. */
const EXACT_LIMIT = 60;

function normalSf(z: number): number {
  // Abramowitz–Stegun 7.1.26 via erfc; |error| < 1.5e-7, ample for p-values.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * Two-sided Mann–Whitney U (Wilcoxon rank-sum) test. Exact (permutation over midranks) for
 * pooled n ≤ 60; otherwise the normal approximation with tie and continuity correction (as
 * scipy.stats.mannwhitneyu method='asymptotic').
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], method: 'auto' | 'exact' | 'asymptotic' = 'auto'): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs at least one value on each side');
  const { ranks, ties } = midranks([...x, ...y]);
  const r1 = ranks.slice(0, n1).reduce((a, b) => a + b, 0);
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const n = n1 + n2;
  const useExact = method === 'exact' || (method === 'auto' && n <= EXACT_LIMIT);
  if (useExact) {
    const doubled = ranks.map((r) => Math.round(r * 2));
    const dist = rankSumDistribution(doubled, n1)[n1] as number[];
    const mean = n1 * (n + 1); // doubled expected rank sum
    const obs = Math.abs(Math.round(r1 * 2) - mean);
    let total = 0;
    let extreme = 0;
    for (let s = 0; s < dist.length; s++) {
      const c = dist[s] as number;
      if (c === 0) continue;
      total += c;
      if (Math.abs(s - mean) >= obs) extreme += c;
    }
    return { u1, u2, p: Math.min(1, extreme / total), method: 'exact' };
  }
  const tieTerm = ties.reduce((a, t) => a + (t * t * t - t), 0);
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u1, u2, p: 1, method: 'asymptotic' };
  const u = Math.max(u1, u2);
  const z = (u - (n1 * n2) / 2 - 0.5) / sigma;
  return { u1, u2, p: Math.min(1, 2 * normalSf(z)), method: 'asymptotic' };
}
