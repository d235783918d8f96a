/**
 * The decision rule (src/compare/decide.ts) on hand-made repeats: n = 1, n = 2, exceeded but not
 * confirmed, and every branch of the rule in both directions. Plus the distributions it rests on,
 * against published table values.
 */
import { describe, expect, it } from 'vitest';
import { changeInterval, decide, distanceToDecision, type ChangeInterval } from '../../src/compare/decide.js';
import { normalCdf, normalQuantile, tCdf, tQuantile } from '../../src/compare/distributions.js';
import { mulberry32 } from '../../src/compare/stats.js';
import { gaussian } from './synthetic.js';

const interval = (a: number[], b: number[], level = 0.05): ChangeInterval => {
  const r = changeInterval(a, b, level);
  if (!r.ok) throw new Error(r.why);
  return r.interval;
};

describe('distributions (against printed tables)', () => {
  it.each([
    [0.975, 1, 12.706],
    [0.975, 2, 4.303],
    [0.95, 10, 1.812],
    [0.995, 5, 4.032],
    [0.9, 30, 1.31],
  ])('t quantile %f with %i df', (p, df, expected) => expect(tQuantile(p, df)).toBeCloseTo(expected, 2));

  it('t CDF inverts the quantile, also at fractional (Welch) degrees of freedom', () => {
    for (const df of [1.3, 2, 4.7, 17.2]) for (const p of [0.6, 0.9, 0.975, 0.999]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 9);
  });

  it('normal quantiles and CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 5);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424, 4);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
  });
});

describe('changeInterval', () => {
  it('n = 1 on a side: no interval, and the reason says what to do', () => {
    expect(changeInterval([100], [200], 0.05)).toEqual({ ok: false, why: '1 vs 1 runs, cannot be tested — add repeats' });
    expect(changeInterval([100, 101, 99], [200], 0.05)).toEqual({ ok: false, why: '3 vs 1 runs, cannot be tested — add repeats' });
  });

  it('is the ratio of geometric means with a Welch interval on logs (checked by hand)', () => {
    // logs: a = ln 100 ± 0.01, b = ln 110 ± 0.01 → d = ln 1.1, se = sqrt(2 × 0.0002/2) = 0.01414, df = 2.
    const a = [100 * Math.exp(0.01), 100 * Math.exp(-0.01)];
    const b = [110 * Math.exp(0.01), 110 * Math.exp(-0.01)];
    const i = interval(a, b, 0.05);
    const q = 2.919986; // t(0.95, 2)
    expect(i.estimate).toBeCloseTo(0.1, 10);
    expect(i.df).toBeCloseTo(2, 10);
    expect(i.low).toBeCloseTo(1.1 * Math.exp(-q * Math.SQRT2 * 0.01) - 1, 6);
    expect(i.high).toBeCloseTo(1.1 * Math.exp(q * Math.SQRT2 * 0.01) - 1, 6);
    expect(i.confidence).toBeCloseTo(0.9, 12);
  });

  it('a lower one-sided level widens the interval (later looks of a series are narrower than early ones)', () => {
    const a = [100, 104, 97, 101];
    const b = [108, 111, 104, 110];
    const wide = interval(a, b, 0.001);
    const narrow = interval(a, b, 0.05);
    expect(wide.low).toBeLessThan(narrow.low);
    expect(wide.high).toBeGreaterThan(narrow.high);
  });

  it.each([3, 5, 8])('at level 0.05 each bound misses the true ratio at most 5%% of the time (n = %i per side, lognormal, 2000 seeded trials)', (n) => {
    const normal = gaussian(mulberry32(4000 + n));
    let below = 0; // the interval lies wholly above the truth: a false "worse"
    let above = 0;
    const T = 2000;
    for (let t = 0; t < T; t++) {
      const a = Array.from({ length: n }, () => 100 * Math.exp(0.08 * normal()));
      const b = Array.from({ length: n }, () => 110 * Math.exp(0.08 * normal()));
      const i = interval(a, b, 0.05);
      if (i.low > 0.1) below++;
      else if (i.high < 0.1) above++;
    }
    // Two Monte Carlo standard errors of a 5% rate over 2000 trials: 1 pp. (Welch is conservative at small n: ~4% at n = 3.)
    expect(below / T).toBeLessThan(0.06);
    expect(above / T).toBeLessThan(0.06);
    expect(1 - (below + above) / T).toBeGreaterThan(0.88);
  });

  it('identical repeats give a point; from all-zero to positive is an unbounded rise; mixed zeros cannot be tested', () => {
    expect(interval([5, 5], [5, 5])).toMatchObject({ estimate: 0, low: 0, high: 0 });
    expect(interval([0, 0, 0], [3, 4, 5])).toMatchObject({ low: Infinity });
    expect(changeInterval([0, 1], [2, 3], 0.05)).toMatchObject({ ok: false });
  });
});

describe('decide: the three-way rule, and the last look', () => {
  const up = (estimate: number, low: number, high: number) => ({ estimate, low, high });

  it('rise ≤ 5%: regression, pass, improvement, inconclusive by where the interval lies', () => {
    expect(decide(up(0.3, 0.12, 0.5), 'increase', 5, false)).toEqual({ decision: 'regression', confirmed: true });
    expect(decide(up(0.01, -0.02, 0.04), 'increase', 5, false)).toEqual({ decision: 'pass', confirmed: true });
    expect(decide(up(-0.2, -0.3, -0.1), 'increase', 5, false)).toEqual({ decision: 'improvement', confirmed: true });
    // Exceeded but not confirmed: inconclusive, at the last look too — never a pass.
    expect(decide(up(0.08, -0.02, 0.19), 'increase', 5, false)).toEqual({ decision: 'inconclusive', confirmed: false });
    expect(decide(up(0.08, -0.02, 0.19), 'increase', 5, true)).toEqual({ decision: 'inconclusive', confirmed: false });
    // Within but not confirmed: inconclusive while more runs may come, an unconfirmed pass at the last look.
    expect(decide(up(0.02, -0.04, 0.08), 'increase', 5, false)).toEqual({ decision: 'inconclusive', confirmed: false });
    expect(decide(up(0.02, -0.04, 0.08), 'increase', 5, true)).toEqual({ decision: 'pass', confirmed: false });
    // Better, but not beyond the mirrored limit: a pass.
    expect(decide(up(-0.03, -0.06, -0.01), 'increase', 5, false)).toEqual({ decision: 'pass', confirmed: true });
  });

  it('drop ≤ 5% mirrors it (rps: lower is worse)', () => {
    expect(decide(up(-0.2, -0.3, -0.1), 'decrease', 5, false).decision).toBe('regression');
    expect(decide(up(0.2, 0.1, 0.3), 'decrease', 5, false).decision).toBe('improvement');
    expect(decide(up(0, -0.04, 0.04), 'decrease', 5, false).decision).toBe('pass');
    expect(decide(up(-0.08, -0.2, 0.01), 'decrease', 5, true).decision).toBe('inconclusive');
  });

  it('the limit itself counts as allowed (bounds are inclusive, as in the grammar)', () => {
    expect(decide(up(0.0, -0.05, 0.05), 'increase', 5, false).decision).toBe('pass');
    expect(decide(up(0.0, -0.05, 0.05), 'decrease', 5, false).decision).toBe('pass');
  });

  it('distance to a decision: 0 when decided, else how far the nearer bound must move', () => {
    expect(distanceToDecision(up(0.3, 0.12, 0.5), 'increase', 5)).toBe(0);
    expect(distanceToDecision(up(0.06, 0.03, 0.09), 'increase', 5)).toBeCloseTo(2, 9); // low must rise 2 pp
    expect(distanceToDecision(up(0.02, -0.01, 0.06), 'increase', 5)).toBeCloseTo(1, 9); // high must fall 1 pp
  });

  it('n = 2 per side: a clear change decides, a noisy one does not', () => {
    const clear = interval([100, 101], [130, 131]);
    expect(decide(clear, 'increase', 5, true).decision).toBe('regression');
    const noisy = interval([100, 120], [125, 150]);
    expect(noisy.estimate).toBeGreaterThan(0.05);
    expect(decide(noisy, 'increase', 5, true).decision).toBe('inconclusive');
  });
});
