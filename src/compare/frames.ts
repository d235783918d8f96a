import type { Folded } from '../stacks/folded.js';
import { selfFrameOf } from '../stacks/state-frames.js';
import { mannWhitneyU } from './stats.js';
import type { FrameChange } from './types.js';

export interface SelfWeights {
  /** Leaf frame → weight of the stacks ending in it. */
  self: Map<string, number>;
  total: number;
}

/**
 * A frame's self weight is the weight of the stacks it is the leaf of (what flamegraph.pl shows as
 * its top edge) — the leaf below any state pseudo-frame ([vm:GC], [state:R], [wait:…]), which
 * describe what that code was doing rather than being code themselves.
 */
export function selfWeights(folded: Folded): SelfWeights {
  const self = new Map<string, number>();
  let total = 0;
  for (const [stack, w] of folded) {
    const leaf = selfFrameOf(stack);
    self.set(leaf, (self.get(leaf) ?? 0) + w);
    total += w;
  }
  return { self, total };
}

/** Repeats are merged by summing their stacks, so a longer or busier repeat weighs more (as one long run would). */
export function mergeFolded(runs: readonly Folded[]): Folded {
  const out: Folded = new Map();
  for (const f of runs) for (const [k, v] of f) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

const share = (sw: SelfWeights, frame: string) => (sw.total > 0 ? (sw.self.get(frame) ?? 0) / sw.total : 0);

/**
 * Frames whose self share changed most between the merged sides, in percentage points of each
 * side's own total (normalised, so a change in load does not move every frame). Significance is
 * a Mann–Whitney test over the per-repeat self shares when both sides have ≥ 2 non-empty repeats.
 */
export function frameChanges(baselineRuns: readonly Folded[], candidateRuns: readonly Folded[], opts: { alpha: number; limit?: number }): FrameChange[] {
  const perA = baselineRuns.map(selfWeights).filter((s) => s.total > 0);
  const perB = candidateRuns.map(selfWeights).filter((s) => s.total > 0);
  const a = selfWeights(mergeFolded(baselineRuns));
  const b = selfWeights(mergeFolded(candidateRuns));
  if (a.total <= 0 || b.total <= 0) return [];
  const frames = new Set([...a.self.keys(), ...b.self.keys()]);
  const rows: FrameChange[] = [];
  for (const frame of frames) {
    const sa = share(a, frame) * 100;
    const sb = share(b, frame) * 100;
    const deltaPp = sb - sa;
    if (deltaPp === 0) continue;
    rows.push({ frame, baselineSelfPct: sa, candidateSelfPct: sb, deltaPp, direction: deltaPp > 0 ? 'up' : 'down', p: null, significance: 'n/a' });
  }
  rows.sort((x, y) => Math.abs(y.deltaPp) - Math.abs(x.deltaPp) || (x.frame < y.frame ? -1 : x.frame > y.frame ? 1 : 0));
  const top = rows.slice(0, opts.limit ?? 20);
  if (perA.length >= 2 && perB.length >= 2) {
    for (const row of top) {
      const { p } = mannWhitneyU(
        perA.map((s) => share(s, row.frame)),
        perB.map((s) => share(s, row.frame)),
      );
      row.p = p;
      row.significance = p < opts.alpha ? 'significant' : 'not significant';
    }
  }
  return top;
}
