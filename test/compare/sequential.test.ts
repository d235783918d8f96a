/**
 * The group-sequential design of `repeat: auto` (src/compare/sequential.ts): its boundaries against
 * published values, and the whole stopping procedure on seeded synthetic series — the error rate at
 * the worst case of the null (true change exactly at the limit) stays at α, where looking after
 * every pair with a fixed-level interval does not, and the power is what docs/compare.md claims.
 */
import { describe, expect, it } from 'vitest';
import { compareMetric } from '../../src/compare/compare.js';
import { metricDef } from '../../src/compare/metrics.js';
import { fixedLook, groupSequentialBounds, lookFractions, lookLevel, obrienFlemingSpent } from '../../src/compare/sequential.js';
import { mulberry32 } from '../../src/compare/stats.js';
import { evaluateThresholds } from '../../src/compare/thresholds.js';
import type { CheckStatus } from '../../src/compare/types.js';
import { gaussian } from './synthetic.js';

const ALPHA = 0.05;

describe('boundaries', () => {
  it('match the Lan–DeMets O’Brien–Fleming bounds published for gsDesign (one-sided 0.025)', () => {
    const five = groupSequentialBounds([0.2, 0.4, 0.6, 0.8, 1], 0.025);
    [4.877, 3.357, 2.68, 2.29, 2.031].forEach((c, i) => expect(five[i]).toBeCloseTo(c, 2));
    const two = groupSequentialBounds([0.5, 1], 0.025);
    expect(two[0]).toBeCloseTo(2.963, 2);
    expect(two[1]).toBeCloseTo(1.969, 2);
  });

  it('spend α in full at t = 1 and almost nothing early', () => {
    expect(obrienFlemingSpent(ALPHA, 1)).toBe(ALPHA);
    expect(obrienFlemingSpent(ALPHA, 0.15)).toBeLessThan(1e-4);
  });

  it('a fixed design is one look at level α; a final look spends what is left', () => {
    expect(lookLevel(fixedLook(4), ALPHA)).toBeCloseTo(ALPHA, 12);
    expect(lookFractions({ pairs: [3, 4, 5], maxRepeats: 20, final: true })).toEqual([0.15, 0.2, 1]);
    const early = lookLevel({ pairs: [3], maxRepeats: 20, final: false }, ALPHA);
    const last = lookLevel({ pairs: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], maxRepeats: 20, final: true }, ALPHA);
    expect(early).toBeLessThan(1e-4);
    expect(last).toBeGreaterThan(0.02);
    expect(last).toBeLessThan(ALPHA);
  });
});

/** One `repeat: auto` series on lognormal synthetic runs, decided as runVariants decides it. */
function series(ratio: number, sigma: number, seed: number, opts: { naive?: boolean; min?: number; max?: number } = {}): { status: CheckStatus; pairs: number } {
  const min = opts.min ?? 3;
  const max = opts.max ?? 20;
  const noise = gaussian(mulberry32(seed));
  const a: number[] = [];
  const b: number[] = [];
  const pairs: number[] = [];
  const spec = { metric: 'cpuUsPerRequest' as const, maxIncreasePct: 5 };
  for (let n = 1; n <= max; n++) {
    a.push(100 * Math.exp(sigma * noise()));
    b.push(100 * ratio * Math.exp(sigma * noise()));
    if (n < min) continue;
    pairs.push(n);
    const final = n === max;
    const level = opts.naive ? ALPHA : lookLevel({ pairs, maxRepeats: max, final }, ALPHA);
    const [check] = evaluateThresholds([{ spec, source: 'scenario' }], [compareMetric(metricDef('cpuUsPerRequest'), a, b, level)], { final });
    if (check!.status !== 'inconclusive' || final) return { status: check!.status, pairs: n };
  }
  throw new Error('unreachable');
}

function rates(ratio: number, sigma: number, runs: number, opts: { naive?: boolean } = {}) {
  const count: Record<CheckStatus, number> = { pass: 0, fail: 0, improvement: 0, inconclusive: 0 };
  let pairs = 0;
  for (let i = 0; i < runs; i++) {
    const r = series(ratio, sigma, 7000 + i, opts);
    count[r.status]++;
    pairs += r.pairs;
  }
  const rate = (k: CheckStatus) => count[k] / runs;
  return { regression: rate('fail'), pass: rate('pass'), inconclusive: rate('inconclusive'), meanPairs: pairs / runs };
}

describe('sequential stopping on synthetic series (seeded; minRepeats 3, maxRepeats 20, limit rise ≤ 5%, α = 0.05)', () => {
  const N = 800;
  // Monte Carlo margin: two standard errors of a rate of α over N series.
  const margin = 2 * Math.sqrt((ALPHA * (1 - ALPHA)) / N);

  it('false positives hold at α at the worst case of the null (true change = the limit), CV 10%', () => {
    const gs = rates(1.05, 0.1, N);
    expect(gs.regression).toBeLessThanOrEqual(ALPHA + margin);
    // Looking after every pair with a fixed-level interval would not: it calls ~3× too many.
    const naive = rates(1.05, 0.1, N, { naive: true });
    expect(naive.regression).toBeGreaterThan(2 * ALPHA);
  }, 60_000);

  it('A/A (no change) almost never fails and mostly passes: CV 6.5% → ≥ 95% pass', () => {
    const aa = rates(1.0, 0.065, N);
    expect(aa.regression).toBeLessThanOrEqual(0.01);
    expect(aa.pass).toBeGreaterThanOrEqual(0.95);
  }, 60_000);

  it('power: +30% at CV 13% and +15% at CV 5% are always found, early; +10% at CV 5% in ≥ 80%', () => {
    const big = rates(1.3, 0.13, N / 2);
    expect(big.regression).toBeGreaterThanOrEqual(0.99);
    expect(big.meanPairs).toBeLessThan(12);
    const mid = rates(1.15, 0.05, N / 2);
    expect(mid.regression).toBeGreaterThanOrEqual(0.99);
    const small = rates(1.1, 0.05, N / 2);
    expect(small.regression).toBeGreaterThanOrEqual(0.8);
    // A change beyond the limit that the budget cannot confirm is inconclusive, not a pass.
    expect(small.pass).toBeLessThan(0.01);
  }, 60_000);
});
