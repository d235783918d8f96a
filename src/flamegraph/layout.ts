/**
 * Folded stacks → the frames of a flame graph: merged per level, siblings in alphabetical order,
 * width = count, frames narrower than the minimum width dropped before they are ever stored.
 *
 * flamegraph.pl sorts the input lines and "flows" from one line to the next, closing the frames that
 * are no longer shared. We do the same, but on stacks encoded as one UTF-16 code unit (or two) per
 * frame, holding the frame name's alphabetical rank: a native string sort then orders siblings
 * exactly alphabetically per level (sorting raw lines would put `foo1;…` before `foo;…`), the sort
 * compares short strings, and no tree of millions of nodes is ever built.
 */
import { compareStacks } from '../stacks/folded.js';

export interface StackInput {
  stack: string;
  /** Width-giving count. */
  count: number;
  /** Second count carried along (the before-profile in a differential), summed like the width. */
  other: number;
}

export interface Layout {
  /** Frame names (annotations included), indexed by name id. */
  names: string[];
  /** Number of frames kept; frame 0.. in order of depth, then of x. */
  n: number;
  nameId: Int32Array;
  depth: Int32Array;
  /** Start and width in counts. */
  start: Float64Array;
  width: Float64Array;
  /** Counts of stacks ending in this frame. */
  self: Float64Array;
  /** `other` summed over the frame, and over the stacks ending in it. */
  other: Float64Array;
  otherSelf: Float64Array;
  total: number;
  otherTotal: number;
  maxDepth: number;
}

export interface LayoutOptions {
  reverse: boolean;
  /** Flame chart: stacks stay in input order (time); only neighbours with a common prefix merge. */
  keepOrder?: boolean;
  /** Frames narrower than this (in counts) are dropped; frames of width 0 always are. */
  minWidth: (total: number) => number;
}

const SEP = '\u0000';

class Growable {
  nameId = new Int32Array(1024);
  depth = new Int32Array(1024);
  start = new Float64Array(1024);
  width = new Float64Array(1024);
  self = new Float64Array(1024);
  other = new Float64Array(1024);
  otherSelf = new Float64Array(1024);
  n = 0;

  push(nameId: number, depth: number, start: number, width: number, self: number, other: number, otherSelf: number): void {
    if (this.n === this.nameId.length) this.grow();
    const i = this.n++;
    this.nameId[i] = nameId;
    this.depth[i] = depth;
    this.start[i] = start;
    this.width[i] = width;
    this.self[i] = self;
    this.other[i] = other;
    this.otherSelf[i] = otherSelf;
  }

  private grow(): void {
    const cap = this.nameId.length * 2;
    const g = <T extends Int32Array | Float64Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(cap);
      b.set(a);
      return b;
    };
    this.nameId = g(this.nameId, Int32Array);
    this.depth = g(this.depth, Int32Array);
    this.start = g(this.start, Float64Array);
    this.width = g(this.width, Float64Array);
    this.self = g(this.self, Float64Array);
    this.other = g(this.other, Float64Array);
    this.otherSelf = g(this.otherSelf, Float64Array);
  }
}

/**
 * A string from UTF-16 code units. `String.fromCharCode.apply` passes them as arguments, and a stack
 * 200,000 frames deep is more arguments than the call stack holds: go in slices.
 */
function fromCodeUnits(units: number[]): string {
  const SLICE = 8192;
  if (units.length <= SLICE) return String.fromCharCode.apply(null, units);
  let out = '';
  for (let i = 0; i < units.length; i += SLICE) out += String.fromCharCode.apply(null, units.slice(i, i + SLICE));
  return out;
}

/** `input` is called twice (names first, then encoding), so it must give the same stacks both times. */
export function layoutStacks(input: () => Iterable<StackInput>, opts: LayoutOptions): Layout {
  // 1. Intern frame names and add up the totals. No per-frame storage: the stacks are split again
  //    in step 2, which costs less than keeping millions of frame ids around.
  const ids = new Map<string, number>();
  const names: string[] = ['']; // id 0 is the root ("all"); frames get ids from 1
  let total = 0;
  let otherTotal = 0;
  let nStacks = 0;
  for (const { stack, count, other } of input()) {
    if (!(count > 0) && !(other > 0)) continue;
    nStacks++;
    for (const f of stack.split(';')) {
      if (!ids.has(f)) {
        ids.set(f, names.length);
        names.push(f);
      }
    }
    total += count > 0 ? count : 0;
    otherTotal += other > 0 ? other : 0;
  }

  // 2. Rank names alphabetically (byte-wise, as Perl's sort) and encode each stack by ranks.
  const order = Array.from({ length: names.length - 1 }, (_, i) => i + 1);
  order.sort((a, b) => compareStacks(names[a] as string, names[b] as string));
  const rank = new Int32Array(names.length);
  const idOfRank = new Int32Array(names.length + 1);
  order.forEach((id, r) => {
    rank[id] = r + 1; // ranks from 1: code unit 0 is the separator
    idOfRank[r + 1] = id;
  });
  const wide = names.length >= 0xfff0;
  const keys: string[] = new Array<string>(nStacks);
  const counts = new Float64Array(nStacks);
  const others = new Float64Array(nStacks);
  const units: number[] = [];
  let s = 0;
  for (const { stack, count, other } of input()) {
    if (!(count > 0) && !(other > 0)) continue;
    units.length = 0;
    const frames = stack.split(';');
    if (opts.reverse) frames.reverse();
    for (const f of frames) {
      const r = rank[ids.get(f) as number] as number;
      if (wide) units.push(1 + (r >>> 15), 1 + (r & 0x7fff));
      else units.push(r);
    }
    // The stack's index rides along after a separator that sorts below every frame, so a stack
    // still sorts before its extensions.
    units.push(0, s >>> 16, s & 0xffff);
    keys[s] = fromCodeUnits(units);
    counts[s] = count > 0 ? count : 0;
    others[s] = other > 0 ? other : 0;
    s++;
  }
  ids.clear();
  if (!opts.keepOrder) keys.sort();
  const idAt = wide
    ? (key: string, d: number) => idOfRank[((key.charCodeAt(2 * d) - 1) << 15) | (key.charCodeAt(2 * d + 1) - 1)] as number
    : (key: string, d: number) => idOfRank[key.charCodeAt(d)] as number;

  // 3. Flow through the sorted stacks, closing frames as flamegraph.pl does.
  const minWidth = opts.minWidth(total);
  const out = new Growable();
  const step = wide ? 2 : 1;
  const openName: number[] = [0];
  const openStart: number[] = [0];
  const openSelf: number[] = [0];
  const openOther: number[] = [0];
  const openOtherSelf: number[] = [0];
  let lastKey = '';
  let lastLen = 0; // frames open above the root
  let time = 0;
  let maxDepth = 0;
  const close = (depth: number): void => {
    const width = time - (openStart[depth] as number);
    if (width > 0 && width >= minWidth) {
      out.push(
        openName[depth] as number,
        depth,
        openStart[depth] as number,
        width,
        openSelf[depth] as number,
        openOther[depth] as number,
        openOtherSelf[depth] as number,
      );
      if (depth > maxDepth) maxDepth = depth;
    }
  };
  for (const key of keys) {
    const sep = key.indexOf(SEP);
    const si = (key.charCodeAt(sep + 1) << 16) | key.charCodeAt(sep + 2);
    const len = sep / step;
    let same = 0;
    const lim = Math.min(sep, lastLen * step);
    while (same < lim && key.charCodeAt(same) === lastKey.charCodeAt(same)) same++;
    const shared = Math.floor(same / step);
    for (let d = lastLen; d > shared; d--) close(d);
    for (let d = shared + 1; d <= len; d++) {
      openName[d] = idAt(key, d - 1);
      openStart[d] = time;
      openSelf[d] = 0;
      openOther[d] = 0;
      openOtherSelf[d] = 0;
    }
    const c = counts[si] as number;
    const o = others[si] as number;
    openSelf[len] = (openSelf[len] as number) + c;
    openOtherSelf[len] = (openOtherSelf[len] as number) + o;
    if (o !== 0) for (let d = 0; d <= len; d++) openOther[d] = (openOther[d] as number) + o;
    time += c;
    lastKey = key;
    lastLen = len;
  }
  for (let d = lastLen; d >= 0; d--) close(d);

  // 4. Order by depth, then x: frames of one depth close in x order, so a stable bucket pass does it.
  const n = out.n;
  const perDepth = new Int32Array(maxDepth + 2);
  for (let i = 0; i < n; i++) perDepth[(out.depth[i] as number) + 1]!++;
  for (let d = 1; d < perDepth.length; d++) perDepth[d]! += perDepth[d - 1] as number;
  const pos = new Int32Array(n);
  for (let i = 0; i < n; i++) pos[i] = perDepth[out.depth[i] as number]!++;
  const permute = <T extends Int32Array | Float64Array>(a: T, C: new (n: number) => T): T => {
    const b = new C(n);
    for (let i = 0; i < n; i++) b[pos[i] as number] = a[i] as number;
    return b;
  };
  return {
    names,
    n,
    nameId: permute(out.nameId, Int32Array),
    depth: permute(out.depth, Int32Array),
    start: permute(out.start, Float64Array),
    width: permute(out.width, Float64Array),
    self: permute(out.self, Float64Array),
    other: permute(out.other, Float64Array),
    otherSelf: permute(out.otherSelf, Float64Array),
    total,
    otherTotal,
    maxDepth,
  };
}
