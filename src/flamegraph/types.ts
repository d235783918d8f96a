/**
 * Options of the flame-graph renderer. Names follow flamegraph.pl's flags where one exists
 * (--title, --width, --height, --minwidth, --countname, --nametype, --inverted, --reverse, --colors).
 */
export type Palette =
  | 'auto' // classify: C (red), C++ (yellow), kernel _[k] (orange), JIT _[j] (green), inline _[i] (aqua), Lua (purple), unknown/dso (grey)
  // flamegraph.pl's theme palettes
  | 'hot'
  | 'mem'
  | 'io'
  // flamegraph.pl's (and inferno's) multi palettes: a hue per kind of frame, by name rules
  | 'java'
  | 'js'
  | 'perl'
  | 'wakeup'
  | 'chain'
  | 'python'
  | 'rust'
  // flat palettes
  | 'red'
  | 'green'
  | 'blue'
  | 'aqua'
  | 'yellow'
  | 'purple'
  | 'orange';

export const PALETTES: readonly Palette[] = [
  'auto',
  'hot',
  'mem',
  'io',
  'java',
  'js',
  'perl',
  'wakeup',
  'chain',
  'python',
  'rust',
  'red',
  'green',
  'blue',
  'aqua',
  'yellow',
  'purple',
  'orange',
];

/**
 * How the shade within a palette's hue is chosen: 'name' (default) from a seeded generator on the
 * name's code points, as flamegraph.pl's default, so unrelated names differ; 'hash' from the name's
 * leading characters (flamegraph.pl --hash), so similar names get similar shades; 'random' anew
 * on each render (flamegraph.pl --random; the one non-deterministic output).
 */
export type ShadeMode = 'name' | 'hash' | 'random';

/** Background gradient: flamegraph.pl's --bgcolors names or one "#rrggbb". */
export type BgColors = 'yellow' | 'blue' | 'green' | 'grey' | `#${string}`;

export interface FlameGraphOptions {
  title?: string; // default "Flame Graph" ("Differential Flame Graph" for diffs)
  subtitle?: string;
  /** Image width in px (default 1200). */
  width?: number;
  /** Frame height in px (default 16). */
  frameHeight?: number;
  /** Frames narrower than this are not drawn: px as a number (default 0.1, as flamegraph.pl) or a percentage string such as "0.1%". */
  minWidth?: number | string;
  /** Unit of the counts: "samples" (default), "µs", "bytes"… */
  countName?: string;
  /** Label in front of the name in the details line (default "Function:"). */
  nameType?: string;
  /** Icicle graph: root at the top. */
  inverted?: boolean;
  /** Reverse each stack (leaf first) before merging, as flamegraph.pl --reverse. */
  reverse?: boolean;
  colors?: Palette;
  fontSize?: number; // default 12
  fontType?: string; // default "Verdana"
  /** Average glyph width relative to the font size, used to fit labels (default 0.59). */
  fontWidth?: number;
  /** Prefix of every id in the SVG (default "fg-"): give each graph on one HTML page its own. */
  idPrefix?: string;
  /** flamegraph.pl --hash / --random (default 'name'). */
  shade?: ShadeMode;
  /** --cp: colours fixed per name across graphs. Read before rendering, extended with every new name drawn. */
  paletteMap?: Map<string, string>;
  /** Background gradient (default by palette, as flamegraph.pl: mem green, io/wakeup/chain blue, flat grey, else yellow). */
  bgColors?: BgColors;
  /** --notes: text kept in an XML comment at the top of the SVG. */
  notes?: string;
  /** --flamechart: stacks in input order (time), not merged alphabetically; title "Flame Chart". */
  flameChart?: boolean;
  /** --total: the width of the graph in counts when larger than the input's total (several graphs on one scale). */
  total?: number;
  /** --factor: counts shown in tooltips are multiplied by this (e.g. a sampling period). */
  factor?: number;
  /** --nameattr: extra SVG attributes per function name (title, class, id, href, target, …). */
  nameAttr?: Map<string, Record<string, string>>;
  /** --encoding: the XML declaration's encoding (the CLI writes the bytes in it). */
  encoding?: string;
}

/** How the change of a frame is measured in a differential graph. */
export type DiffBasis =
  /** Each frame's share of its own profile's total: a change of load alone paints nothing. */
  | 'share'
  /** Raw counts, as flamegraph.pl without difffolded -n: only sound when both profiles cover the same work. */
  | 'count';

export interface DiffSvgOptions extends FlameGraphOptions {
  /** Shape from the before-profile instead of the after-profile, to show what vanished. Colours keep their meaning (red = more in after). */
  negate?: boolean;
  basis?: DiffBasis; // default 'share'
  /** Colour by the frame's total (inclusive, default) or self count. */
  colorBy?: 'total' | 'self';
  /** Changes smaller than this many samples-equivalent stay neutral (default 3). */
  noiseMinCount?: number;
  /** Changes within this many standard deviations of Poisson noise stay neutral (default 2). */
  noiseZ?: number;
}
