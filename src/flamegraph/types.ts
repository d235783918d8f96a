/**
 * Options of the flame-graph renderer. Names follow flamegraph.pl's flags where one exists
 * (--title, --width, --height, --minwidth, --countname, --nametype, --inverted, --reverse, --colors).
 */
export type Palette =
  | 'auto' // classify: C (red), C++ (yellow), kernel _[k] (orange), JIT _[j] (green), inline _[i] (aqua), Lua (purple), unknown/dso (grey)
  | 'hot'
  | 'mem'
  | 'io'
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
  'red',
  'green',
  'blue',
  'aqua',
  'yellow',
  'purple',
  'orange',
];

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
