import { describe, expect, it } from 'vitest';
import { mad, mannWhitneyU, median, mulberry32, quantile } from '../../src/compare/stats.js';

describe('order statistics', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])('median(%j) = %d', (xs, m) => expect(median(xs)).toBe(m));

  it('quantile interpolates like numpy (type 7)', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([10, 20], 0.9)).toBeCloseTo(19, 12);
  });

  it('MAD ignores one outlier', () => {
    expect(mad([1, 2, 3, 4, 1000])).toBe(1);
  });
});

// Reference p-values from scipy 1.17 (scipy.stats.mannwhitneyu) and, for ties, a brute-force
// enumeration of all C(13,7) assignments with midranks.
describe('Mann–Whitney U', () => {
  const cases: Array<{ name: string; x: number[]; y: number[]; method: 'exact' | 'asymptotic'; u1: number; p: number }> = [
    { name: 'scipy docs example, exact', x: [19, 22, 16, 29, 24], y: [20, 11, 17, 12], method: 'exact', u1: 17, p: 0.1111111111111111 },
    { name: 'scipy docs example, asymptotic', x: [19, 22, 16, 29, 24], y: [20, 11, 17, 12], method: 'asymptotic', u1: 17, p: 0.11134688653314041 },
    { name: 'complete separation 5 vs 5', x: [1, 2, 3, 4, 5], y: [6, 7, 8, 9, 10], method: 'exact', u1: 0, p: 0.007936507936507936 },
    {
      // Has ties (1.06, 1.29 twice): scipy's 'exact' ignores them (0.1359); the permutation over midranks, enumerated: 6316/48620.
      name: 'Hollander & Wolfe data with ties, exact permutation',
      x: [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3],
      y: [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29],
      method: 'exact',
      u1: 58,
      p: 6316 / 48620,
    },
    {
      name: 'Hollander & Wolfe data, asymptotic',
      x: [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3],
      y: [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29],
      method: 'asymptotic',
      u1: 58,
      p: 0.13291945818531892,
    },
    { name: 'ties, asymptotic (scipy)', x: [1, 2, 2, 3, 3, 3, 4], y: [3, 4, 4, 5, 5, 6], method: 'asymptotic', u1: 3.5, p: 0.012999854364387305 },
    { name: 'ties, exact permutation (enumerated)', x: [1, 2, 2, 3, 3, 3, 4], y: [3, 4, 4, 5, 5, 6], method: 'exact', u1: 3.5, p: 17 / 1716 },
  ];
  it.each(cases)('$name', ({ x, y, method, u1, p }) => {
    const r = mannWhitneyU(x, y, method);
    expect(r.u1).toBe(u1);
    expect(r.u2).toBe(x.length * y.length - u1);
    expect(r.p).toBeCloseTo(p, 6);
    expect(r.method).toBe(method);
  });

  it('is symmetric in its arguments', () => {
    expect(mannWhitneyU([5, 9, 11], [1, 2, 7, 8]).p).toBeCloseTo(mannWhitneyU([1, 2, 7, 8], [5, 9, 11]).p, 12);
  });

  it('gives p = 1 when every value is equal', () => {
    expect(mannWhitneyU([0, 0, 0], [0, 0, 0]).p).toBe(1);
  });

  it('switches to the normal approximation above 60 values, agreeing with scipy', () => {
    // 35 vs 40 draws from N(0,1) and N(0.5,1) (numpy default_rng(1), rounded to 3 decimals); scipy: U=550.5, p=0.11356419333215885.
    const a = [0.346, 0.822, 0.33, -1.303, 0.905, 0.446, -0.537, 0.581, 0.365, 0.294, 0.028, 0.547, -0.736, -0.163, -0.482, 0.599, 0.04, -0.292, -0.782, -0.257, 0.008, -0.276, 1.294, 1.007, -2.711, -1.889, -0.175, -0.422, 0.214, 0.217, 2.118, -1.112, -0.378, 2.043, 0.647];
    const b = [1.163, -0.014, -1.148, 0.667, 0.609, -0.727, -0.183, 0.428, -0.445, 0.402, 0.595, 0.536, -0.006, 1.094, 1.391, 0.821, -0.318, 1.232, -0.001, 1.379, -0.572, 1.414, 0.48, -0.749, 0.186, 0.554, 0.773, -0.482, -0.607, 0.7, 0.033, 0.736, 1.26, -1.149, 0.754, 1.725, 0.202, -0.311, 1.252, 0.753];
    const r = mannWhitneyU(a, b);
    expect(r.method).toBe('asymptotic');
    expect(r.u1).toBe(550.5);
    expect(r.p).toBeCloseTo(0.11356419333215885, 6);
  });

  it('keeps the false-positive rate at or below alpha under the null (exact test, 5 vs 5)', () => {
    const rnd = mulberry32(7);
    let hits = 0;
    const T = 2000;
    for (let t = 0; t < T; t++) {
      const x = Array.from({ length: 5 }, rnd);
      const y = Array.from({ length: 5 }, rnd);
      if (mannWhitneyU(x, y).p < 0.05) hits++;
    }
    // The exact level is 2 * 2/252 + … = 0.0317 for n=5+5 at alpha 0.05 (discreteness makes it conservative).
    expect(hits / T).toBeLessThanOrEqual(0.05);
    expect(hits / T).toBeGreaterThan(0.01);
  });
});
