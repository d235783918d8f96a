/**
 * Folded stacks → a standalone interactive SVG flame graph (our own renderer, modelled on
 * flamegraph.pl), and the differential flame graph of two profiles.
 */
import type { DiffFolded } from '../stacks/diff.js';
import { changeColor, formatPp, frameChange, NEUTRAL, type DiffColorParams, type FrameChange } from './diffcolor.js';
import { escapeXml } from '../util/escape.js';
import { layoutStacks, type StackInput } from './layout.js';
import { backgroundOf, frameColor } from './palette.js';
import { emitSvg, emptySvg, formatCount, graphTotal, minWidthCounts, resolveOptions, XPAD, type Extra, type Resolved } from './svg.js';
import type { DiffSvgOptions, FlameGraphOptions } from './types.js';

export type { DiffSvgOptions, FlameGraphOptions, Palette, DiffBasis, ShadeMode, BgColors } from './types.js';
export { PALETTES } from './types.js';
export { AUTO_LEGEND, frameKind, displayName, parseColor, toRgbText } from './palette.js';

export const NO_STACKS_MESSAGE = 'ERROR: No stack counts found';

/** Stacks and their counts: a Folded map, or a list in input order (a flame chart keeps repeats apart). */
export type StackCounts = Iterable<readonly [string, number]>;

function* stackInputs(folded: StackCounts, chain: boolean): Generator<StackInput> {
  const item: StackInput = { stack: '', count: 0, other: 0 };
  for (const [stack, count] of folded) {
    item.stack = chain ? markWakers(stack) : stack;
    item.count = count;
    yield item;
  }
}

/**
 * The chain palette (flamegraph.pl): in `offcpu;--;waker;frames`, the frames after each "--"
 * separator are the waker's, annotated `_[w]` so they are coloured apart (and shown without it).
 */
function markWakers(stack: string): string {
  const parts = stack.split(';--;');
  if (parts.length === 1) return stack;
  return [parts[0], ...parts.slice(1).map((p) => p.split(';').map((f) => (f.endsWith('_[w]') ? f : `${f}_[w]`)).join(';'))].join(';--;');
}

function pct(part: number, total: number): string {
  return total > 0 ? ((100 * part) / total).toFixed(2) : '0.00';
}

/** Deterministic (unless shade 'random'): the same stacks and options give a byte-identical SVG. */
export function renderSvg(folded: StackCounts, opts: FlameGraphOptions = {}): string {
  const palette = opts.colors ?? 'auto';
  const defaultTitle = opts.flameChart ? 'Flame Chart' : opts.inverted ? 'Icicle Graph' : 'Flame Graph';
  const r = resolveOptions(opts, defaultTitle);
  r.background = backgroundOf(palette, opts.bgColors);
  const layout = layoutStacks(() => stackInputs(folded, palette === 'chain'), {
    reverse: opts.reverse ?? false,
    keepOrder: opts.flameChart ?? false,
    minWidth: (total) => minWidthCounts(r.minWidth, r.width)(graphTotal(total, r)),
  });
  if (!(layout.total > 0)) return emptySvg(r, NO_STACKS_MESSAGE);
  const timeMax = graphTotal(layout.total, r);
  const shade = opts.shade ?? 'name';
  const map = opts.paletteMap;
  const colorCache = new Map<number, string>();
  return emitSvg(
    layout,
    r,
    {
      fill: (i) => {
        if (layout.depth[i] === 0) return '#d0d0d0';
        const id = layout.nameId[i] as number;
        let c = colorCache.get(id);
        if (c === undefined) {
          const name = layout.names[id] as string;
          c = map?.get(name);
          if (c === undefined) {
            c = frameColor(name, palette, shade);
            map?.set(name, c);
          }
          colorCache.set(id, c);
        }
        return c;
      },
      info: (i) => {
        const w = layout.depth[i] === 0 ? timeMax : (layout.width[i] as number);
        return `${formatCount(w * r.factor)} ${r.countName}, ${pct(w, timeMax)}%`;
      },
    },
    null,
  );
}

function* diffInputs(diff: DiffFolded, negate: boolean): Generator<StackInput> {
  const item: StackInput = { stack: '', count: 0, other: 0 };
  for (const [stack, c] of diff) {
    item.stack = stack;
    item.count = negate ? c.before : c.after;
    item.other = negate ? c.after : c.before;
    yield item;
  }
}

/**
 * Differential flame graph: shape from the after-profile (or the before-profile with `negate`),
 * colour by the change of each frame — red grew, blue shrank, grey within noise (see diffcolor.ts).
 */
export function renderDiffSvg(diff: DiffFolded, opts: DiffSvgOptions = {}): string {
  const negate = opts.negate ?? false;
  const r = resolveOptions(
    opts,
    negate ? 'Differential Flame Graph (before-profile shape)' : 'Differential Flame Graph',
  );
  const layout = layoutStacks(() => diffInputs(diff, negate), {
    reverse: opts.reverse ?? false,
    minWidth: minWidthCounts(r.minWidth, r.width),
  });
  if (!(layout.total > 0)) return emptySvg(r, NO_STACKS_MESSAGE);
  if (opts.bgColors !== undefined) r.background = backgroundOf('auto', opts.bgColors);
  const totalAfter = negate ? layout.otherTotal : layout.total;
  const totalBefore = negate ? layout.total : layout.otherTotal;
  const params: DiffColorParams = {
    basis: opts.basis ?? 'share',
    totalBefore,
    totalAfter,
    noiseMinCount: opts.noiseMinCount ?? 3,
    noiseZ: opts.noiseZ ?? 2,
  };
  const bySelf = opts.colorBy === 'self';
  const before = (i: number, self: boolean) =>
    (negate ? (self ? layout.self : layout.width) : self ? layout.otherSelf : layout.other)[i] as number;
  const after = (i: number, self: boolean) =>
    (negate ? (self ? layout.otherSelf : layout.other) : self ? layout.self : layout.width)[i] as number;

  const changes: FrameChange[] = new Array<FrameChange>(layout.n);
  let maxAbsPp = 0;
  for (let i = 0; i < layout.n; i++) {
    const c = frameChange(before(i, bySelf), after(i, bySelf), params);
    changes[i] = c;
    if (c.significant && layout.depth[i] !== 0) maxAbsPp = Math.max(maxAbsPp, Math.abs(c.deltaPp));
  }
  const cn = r.countName;
  const basisText =
    params.basis === 'share'
      ? '% of all samples in before/after, normalised: each frame’s share of its own profile’s total'
      : 'raw counts, not normalised (% of the after total)';
  return emitSvg(
    layout,
    r,
    {
      fill: (i) => changeColor(changes[i] as FrameChange, maxAbsPp),
      info: (i) => {
        const a = after(i, false);
        const b = before(i, false);
        const c = changes[i] as FrameChange;
        // The count that gives the width comes first: after, or before in the negated view.
        const afterText = `after ${formatCount(a * r.factor)} ${cn}, ${pct(a, totalAfter)}%`;
        const beforeText = `before ${formatCount(b * r.factor)} ${cn}, ${pct(b, totalBefore)}%`;
        return (
          `${negate ? `${beforeText}; ${afterText}` : `${afterText}; ${beforeText}`}; ` +
          `${bySelf ? 'self ' : ''}Δ ${formatPp(c.deltaPp)}${c.significant ? '' : ', within noise'}`
        );
      },
    },
    legend(r, { negate, basisText, maxAbsPp, bySelf, params }),
  );
}

/** Wraps text to a pixel width with the same glyph-width estimate the labels use. */
function wrap(text: string, widthPx: number, r: Resolved): string[] {
  const perLine = Math.max(20, Math.floor(widthPx / (r.fontSize * r.fontWidth)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function legend(
  r: Resolved,
  o: { negate: boolean; basisText: string; maxAbsPp: number; bySelf: boolean; params: DiffColorParams },
): Extra {
  const fs = r.fontSize;
  const lineH = fs + 5;
  const shape = o.negate ? 'before' : 'after';
  const text =
    `Widths: ${shape} profile. Before: ${formatCount(o.params.totalBefore)} ${r.countName}; after: ${formatCount(o.params.totalAfter)} ${r.countName}. ` +
    `Colour: change of each frame’s ${o.bySelf ? 'self' : 'total'} count, in ${o.basisText}. ` +
    `Grey: change < max(${o.params.noiseMinCount} ${r.countName}, ${o.params.noiseZ}σ Poisson noise). ` +
    (o.negate ? 'Negated view: what shrank or vanished is blue and wide.' : 'Frames that vanished have no width here: see the negated view.');
  const lines = wrap(text, r.width - 2 * XPAD, r);
  const grew = changeColor({ deltaPp: 1, significant: true }, 1);
  const shrank = changeColor({ deltaPp: -1, significant: true }, 1);
  return {
    height: lineH * (lines.length + 1) + 6,
    background: ['#f8f8f8', '#e8e8e8'],
    draw: (top) => {
      const y1 = top + fs;
      const sw = (x: number, fill: string, label: string) =>
        `<rect x="${x}" y="${y1 - fs + 2}" width="${fs}" height="${fs - 1}" fill="${fill}" stroke="#888" stroke-width=".5"/>` +
        `<text x="${x + fs + 4}" y="${y1}">${escapeXml(label)}</text>`;
      const darkest = o.maxAbsPp > 0 ? `darkest: ${formatPp(o.maxAbsPp).replace('+', '±')}` : 'no change beyond noise';
      return (
        `<g id="${r.p}legend">` +
        sw(XPAD, grew, 'grew') +
        sw(XPAD + 60, shrank, 'shrank') +
        sw(XPAD + 132, NEUTRAL, 'within noise') +
        `<text x="${XPAD + 240}" y="${y1}">${escapeXml(darkest)}</text>` +
        lines.map((l, i) => `<text x="${XPAD}" y="${y1 + lineH * (i + 1)}">${escapeXml(l)}</text>`).join('') +
        `</g>\n`
      );
    },
  };
}
