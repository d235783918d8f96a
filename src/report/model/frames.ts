import type { Folded } from '../../stacks/folded.js';
import { displayName, frameKind, type FrameKind } from '../../stacks/frames.js';
import { isStateFrame, selfFrameIndex } from '../../stacks/state-frames.js';

export type { FrameKind } from '../../stacks/frames.js';

export interface FrameStat {
  /** The frame as it appears in the folded file (annotation included), so two kinds never merge. */
  name: string;
  /** Annotation stripped, for display. */
  display: string;
  kind: FrameKind;
  /** Weight where this frame is the leaf. */
  self: number;
  /** Weight of every stack containing the frame (counted once per stack, even under recursion). */
  total: number;
}

/** Per-frame self and inclusive weights over a folded profile. */
export function frameStats(folded: Folded, unmarked: 'native' | 'lua' = 'native'): FrameStat[] {
  // One record per distinct frame name; `seenIn` marks the last stack that counted it in total, so
  // recursion counts once per stack without a per-stack Set (200k stacks × 30 frames stay fast).
  interface Acc {
    self: number;
    total: number;
    seenIn: number;
  }
  const acc = new Map<string, Acc>();
  let stackNo = 0;
  for (const [stack, weight] of folded) {
    if (!(weight > 0)) continue;
    stackNo++;
    const frames = stack.split(';');
    const li = selfFrameIndex(frames);
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i] as string;
      let a = acc.get(f);
      if (a === undefined) {
        a = { self: 0, total: 0, seenIn: 0 };
        acc.set(f, a);
      }
      if (a.seenIn !== stackNo) {
        a.seenIn = stackNo;
        a.total += weight;
      }
      if (i === li) a.self += weight;
    }
  }
  const out: FrameStat[] = [];
  for (const [name, a] of acc) {
    out.push({ name, display: displayName(name), kind: frameKind(name, unmarked), self: a.self, total: a.total });
  }
  return out;
}

/** Weight per leaf state pseudo-frame ("[vm:GC]" → n), largest first; empty when the probe has none. */
export function leafStates(folded: Folded): Array<{ state: string; weight: number }> {
  const m = new Map<string, number>();
  for (const [stack, weight] of folded) {
    const leaf = stack.slice(stack.lastIndexOf(';') + 1);
    if (isStateFrame(leaf)) m.set(leaf, (m.get(leaf) ?? 0) + weight);
  }
  return [...m].map(([state, weight]) => ({ state, weight })).sort((a, b) => b.weight - a.weight || (a.state < b.state ? -1 : 1));
}

/** The `limit` frames with the most self weight; ties by total, then by name (deterministic). */
export function topFramesBySelf(folded: Folded, limit = 20, unmarked: 'native' | 'lua' = 'native'): FrameStat[] {
  return frameStats(folded, unmarked)
    .filter((f) => f.self > 0)
    .sort((a, b) => b.self - a.self || b.total - a.total || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit);
}
