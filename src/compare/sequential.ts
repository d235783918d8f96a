/**
 * Group-sequential boundaries for `repeat: auto`: A/B pairs are added one at a time and the data
 * are looked at after each; stopping as soon as an interval decides would, with a fixed-level
 * interval at every look, call a regression far more often than α. Repeated confidence intervals
 * (Jennison & Turnbull 1989) with Lan–DeMets' O'Brien–Fleming-type α-spending keep the chance of a
 * wrong decision at ≤ α over all looks together, whenever the looks come (the schedule need not be
 * fixed in advance: the information fraction of each look is what counts).
 *
 * The boundaries are those of a one-sided test of a normal statistic (Z_k = S_k/√I_k, S a Brownian
 * motion in the information I), computed by the Armitage–McPherson–Rowe recursive integration;
 * stopping in the other direction (a "pass") is treated as non-binding, which only lowers the error.
 * With the variance estimated from a few repeats, each look's nominal level is turned into a
 * Student-t quantile with Welch's degrees of freedom (src/compare/decide.ts); the unit tests
 * simulate the whole procedure and check that its error rate stays at α.
 */
import { normalCdf, normalPdf, normalQuantile } from './distributions.js';

/** The information so far, as a sequential series sees it. */
export interface Look {
  /** Repeats per side (complete pairs) at every look so far, this look last; increasing. */
  pairs: readonly number[];
  /** The budget the information fraction is measured against (the most pairs the series may run). */
  maxRepeats: number;
  /** The last look (budget spent): it spends all the α that is left. */
  final: boolean;
}

/** A single analysis of all the data: what `flamebench compare` and a fixed `repeat: N` do. */
export const fixedLook = (n: number): Look => ({ pairs: [Math.max(1, n)], maxRepeats: Math.max(1, n), final: true });

/** Lan–DeMets O'Brien–Fleming-type spending: α(t) = 2 − 2Φ(z₁₋α/₂ / √t); α(1) = α. Spends almost nothing early. */
export function obrienFlemingSpent(alpha: number, t: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  return 2 - 2 * normalCdf(normalQuantile(1 - alpha / 2) / Math.sqrt(t));
}

/** Information fractions of the looks: pairs / maxRepeats, at most 1, the final look exactly 1; strictly increasing. */
export function lookFractions(look: Look): number[] {
  const out: number[] = [];
  look.pairs.forEach((n, i) => {
    const last = i === look.pairs.length - 1;
    const t = last && look.final ? 1 : Math.min(1, n / Math.max(1, look.maxRepeats));
    if (out.length === 0 || t > (out[out.length - 1] as number)) out.push(t);
  });
  return out;
}

/** Trapezoid grid over [lo, hi] with about `step` spacing. */
function grid(lo: number, hi: number, step: number): { s: number[]; w: number[] } {
  const m = Math.max(2, Math.ceil((hi - lo) / step));
  const h = (hi - lo) / m;
  const s: number[] = [];
  const w: number[] = [];
  for (let i = 0; i <= m; i++) {
    s.push(lo + i * h);
    w.push(i === 0 || i === m ? h / 2 : h);
  }
  return { s, w };
}

const cache = new Map<string, number[]>();

/**
 * Upper one-sided boundaries c₁…c_K (z scale) for looks at information fractions t₁ < … < t_K ≤ 1:
 * under H₀, P(Z_j < c_j for j < k, Z_k ≥ c_k) = α(t_k) − α(t_{k−1}).
 */
export function groupSequentialBounds(fractions: readonly number[], alpha: number): number[] {
  const key = `${alpha}|${fractions.join(',')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const bounds: number[] = [];
  // Sub-density of S_{k-1} on its continuation region, on a grid.
  let prev: { s: number[]; w: number[]; f: number[] } | null = null;
  let prevT = 0;
  let spent = 0;
  for (const t of fractions) {
    const target = obrienFlemingSpent(alpha, t) - spent;
    const delta = t - prevT;
    const sd = Math.sqrt(delta);
    let c: number;
    if (prev === null) {
      c = normalQuantile(1 - Math.max(target, 1e-300));
    } else {
      const p = prev;
      const crossing = (z: number) => {
        const b = z * Math.sqrt(t);
        let acc = 0;
        for (let i = 0; i < p.s.length; i++) acc += (p.w[i] as number) * (p.f[i] as number) * (1 - normalCdf((b - (p.s[i] as number)) / sd));
        return acc;
      };
      let lo = -2;
      let hi = 40;
      for (let i = 0; i < 80; i++) {
        const mid = (lo + hi) / 2;
        if (crossing(mid) > target) lo = mid;
        else hi = mid;
      }
      c = (lo + hi) / 2;
    }
    bounds.push(c);
    spent = obrienFlemingSpent(alpha, t);
    // Density of S_k below its boundary: the previous density convolved with N(0, delta).
    const upper = c * Math.sqrt(t);
    const g = grid(-9 * Math.sqrt(t), upper, Math.min(0.05, sd / 6));
    const f = g.s.map((s) => {
      if (prev === null) return normalPdf(s / Math.sqrt(t)) / Math.sqrt(t);
      let acc = 0;
      for (let i = 0; i < prev.s.length; i++) acc += (prev.w[i] as number) * (prev.f[i] as number) * (normalPdf((s - (prev.s[i] as number)) / sd) / sd);
      return acc;
    });
    prev = { ...g, f };
    prevT = t;
  }
  cache.set(key, bounds);
  return bounds;
}

/**
 * The one-sided nominal level of this look: the interval that decides is est ± q·se with q the
 * (1 − level) quantile. A fixed design gives `alpha` itself; early looks of a series much less.
 */
export function lookLevel(look: Look, alpha: number): number {
  const fractions = lookFractions(look);
  const bounds = groupSequentialBounds(fractions, alpha);
  return 1 - normalCdf(bounds[bounds.length - 1] as number);
}
