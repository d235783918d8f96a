import { describe, expect, it } from 'vitest';
import { renderDiffSvg } from '../../src/flamegraph/index.js';
import { frameChange, NEUTRAL } from '../../src/flamegraph/diffcolor.js';
import type { DiffFolded } from '../../src/stacks/diff.js';
import { framesOf, rgbOf, type SvgFrame } from './svg-frames.js';

// After = exactly twice the load of before (B = 10,506, A = 21,012), with real changes on top:
//   steady 4000 → 8000 and tail 500 → 1000 (same share: neutral), grows 1000 → 7000 (9.5% → 33.3%),
//   shrinks 3000 → 2000 (28.6% → 9.5%), gone 2000 → 0, fresh 0 → 2996 (new code),
//   jitter 6 → 16 (4 samples over the doubled 12: within noise).
const DIFF: DiffFolded = new Map([
  ['main;steady', { before: 4000, after: 8000 }],
  ['main;tail', { before: 500, after: 1000 }],
  ['main;grows', { before: 1000, after: 7000 }],
  ['main;shrinks', { before: 3000, after: 2000 }],
  ['main;gone', { before: 2000, after: 0 }],
  ['main;jitter', { before: 6, after: 16 }],
  ['main;fresh', { before: 0, after: 2996 }],
]);
const B = 10_506;
const A = 21_012;

const find = (fs: SvgFrame[], name: string) => fs.find((f) => f.name === name);
const isRed = (hex: string) => {
  const [r, g, b] = rgbOf(hex);
  return r === 255 && g === b && g < 255;
};
const isBlue = (hex: string) => {
  const [r, g, b] = rgbOf(hex);
  return b === 255 && r === g && r < 255;
};

describe('renderDiffSvg', () => {
  const svg = renderDiffSvg(DIFF);
  const frames = framesOf(svg);

  it('takes the shape from the after-profile: widths are after counts', () => {
    expect(find(frames, 'grows')?.width).toBeCloseTo((1180 * 7000) / A, 1);
    expect(find(frames, 'gone')).toBeUndefined(); // no width in after
  });

  it('normalises: doubled load alone is neutral; grew is red, shrank is blue, noise is grey', () => {
    expect(find(frames, 'steady')?.fill).toBe(NEUTRAL);
    expect(find(frames, 'tail')?.fill).toBe(NEUTRAL);
    expect(find(frames, 'main')?.fill).toBe(NEUTRAL);
    expect(isRed(find(frames, 'grows')?.fill as string)).toBe(true);
    expect(isRed(find(frames, 'fresh')?.fill as string)).toBe(true);
    expect(isBlue(find(frames, 'shrinks')?.fill as string)).toBe(true);
    expect(find(frames, 'jitter')?.fill).toBe(NEUTRAL);
  });

  it('shades by the size of the change', () => {
    // grows: +23.8 pp of share; fresh: +14.3 pp: grows is the darker red.
    const g = rgbOf(find(frames, 'grows')?.fill as string)[1];
    const f = rgbOf(find(frames, 'fresh')?.fill as string)[1];
    expect(g).toBeLessThan(f);
  });

  it('tooltips give after, before and the change in percentage points; the legend states the basis', () => {
    const t = find(frames, 'shrinks')?.title as string;
    expect(t).toMatch(/after 2,000 samples, 9\.5\d%; before 3,000 samples, 28\.5\d%; Δ -19\.0\d pp/);
    expect(find(frames, 'jitter')?.title).toContain(', within noise');
    expect(svg).toContain('% of all samples in before/after, normalised');
    expect(svg).toMatch(/Grey: change &lt; max\(3 samples, 2σ Poisson noise\)/);
  });

  it('negate: shape from before shows what vanished, still blue for less', () => {
    const neg = framesOf(renderDiffSvg(DIFF, { negate: true }));
    const gone = find(neg, 'gone') as SvgFrame;
    expect(gone).toBeDefined();
    expect(gone.width).toBeCloseTo((1180 * 2000) / B, 1);
    expect(isBlue(gone.fill)).toBe(true);
    expect(find(neg, 'fresh')).toBeUndefined();
    expect(isRed(find(neg, 'grows')?.fill as string)).toBe(true);
  });

  it("basis 'count' (no normalisation) paints the doubled load red", () => {
    const raw = framesOf(renderDiffSvg(DIFF, { basis: 'count' }));
    expect(isRed(find(raw, 'steady')?.fill as string)).toBe(true);
  });

  it('is deterministic', () => {
    expect(renderDiffSvg(new Map([...DIFF.entries()].reverse()))).toBe(svg);
  });
});

describe('noise floor', () => {
  const p = { basis: 'share' as const, totalBefore: 10_000, totalAfter: 10_000, noiseMinCount: 3, noiseZ: 2 };
  it('a handful of samples is never significant', () => {
    expect(frameChange(0, 2, p).significant).toBe(false);
    expect(frameChange(1, 3, p).significant).toBe(false);
  });
  it('needs about 2σ: 100 → 115 is noise, 100 → 135 is not', () => {
    expect(frameChange(100, 115, p).significant).toBe(false); // d = 15 < 2·sqrt(215) ≈ 29
    expect(frameChange(100, 135, p).significant).toBe(true); // d = 35 > 2·sqrt(235) ≈ 31
  });
  it('scales the before count to the after total', () => {
    const q = { ...p, totalAfter: 20_000 };
    expect(frameChange(100, 200, q).deltaPp).toBeCloseTo(0, 10);
    expect(frameChange(100, 200, q).significant).toBe(false);
  });
});
