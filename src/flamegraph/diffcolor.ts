/**
 * Colour of a frame in a differential flame graph: red where the frame grew, blue where it shrank,
 * the shade by the size of the change (as flamegraph.pl does with three-column input), and neutral
 * grey where the change is within sampling noise.
 *
 * Basis 'share' (default): each frame's count as a share of its own profile's total, so twice the
 * load with the same code paints nothing. Noise: a frame's samples are Poisson-ish; with `b` before,
 * `a` after and totals B and A, the change in after-samples is d = a − b·A/B with standard deviation
 * sqrt(a + b·(A/B)²). The change counts when |d| ≥ max(noiseMinCount, noiseZ · sd) — by default
 * max(3 samples, 2σ): a handful of samples, or a change no larger than chance, stays neutral.
 */
import { rgb } from './palette.js';

export interface DiffColorParams {
  basis: 'share' | 'count';
  totalBefore: number;
  totalAfter: number;
  noiseMinCount: number;
  noiseZ: number;
}

export interface FrameChange {
  /** Change in percentage points of the basis (share of total, or of the after total for 'count'). */
  deltaPp: number;
  significant: boolean;
}

export function frameChange(before: number, after: number, p: DiffColorParams): FrameChange {
  const { totalBefore: B, totalAfter: A } = p;
  const scale = p.basis === 'share' && B > 0 ? A / B : 1;
  const d = after - before * scale;
  const sd = Math.sqrt(after + before * scale * scale);
  const significant = Math.abs(d) >= Math.max(p.noiseMinCount, p.noiseZ * sd) && d !== 0;
  let deltaPp: number;
  if (p.basis === 'share') {
    const sa = A > 0 ? after / A : 0;
    const sb = B > 0 ? before / B : 0;
    deltaPp = (sa - sb) * 100;
  } else {
    deltaPp = A > 0 ? (d / A) * 100 : 0;
  }
  return { deltaPp, significant };
}

export const NEUTRAL = rgb(224, 224, 224);

/** t = |Δ| / max|Δ| in (0, 1]; the square root keeps moderate changes visible next to one big one. */
export function changeColor(c: FrameChange, maxAbsPp: number): string {
  if (!c.significant || maxAbsPp <= 0) return NEUTRAL;
  const t = Math.min(1, Math.abs(c.deltaPp) / maxAbsPp);
  const s = 0.2 + 0.8 * Math.sqrt(t);
  const v = 235 * (1 - s);
  return c.deltaPp > 0 ? rgb(255, v, v) : rgb(v, v, 255);
}

export function formatPp(pp: number): string {
  const r = Math.abs(pp) < 0.005 ? 0 : pp;
  return `${r > 0 ? '+' : r < 0 ? '-' : '±'}${Math.abs(r).toFixed(2)} pp`;
}
