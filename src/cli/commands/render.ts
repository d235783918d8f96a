import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { action } from '../action.js';
import { FlamebenchError, invalidInput } from '../../errors.js';
import { PALETTES, renderDiffSvg, renderSvg, type BgColors, type DiffSvgOptions, type Palette } from '../../flamegraph/index.js';
import { parseNameAttr } from '../../flamegraph/nameattr.js';
import { formatPaletteMap, parsePaletteMap } from '../../flamegraph/palette-map.js';
import { readRenderInputs, warnSkipped, writeStdout } from './folded-input.js';

/** Flags shared by `render` and `diff --svg`, named as flamegraph.pl's. */
export interface RenderFlags {
  title?: string;
  subtitle?: string;
  width?: string;
  height?: string;
  minwidth?: string;
  fontsize?: string;
  fonttype?: string;
  fontwidth?: string;
  countname?: string;
  nametype?: string;
  inverted?: boolean;
  reverse?: boolean;
  colors?: string;
  hash?: boolean;
  random?: boolean;
  cp?: boolean;
  paletteFile?: string;
  bgcolors?: string;
  notes?: string;
  total?: string;
  factor?: string;
  nameattr?: string;
  encoding?: string;
  negate?: boolean;
  idPrefix?: string;
  basis?: string;
  colorBy?: string;
  noiseMin?: string;
  noiseZ?: string;
}

export function addRenderOptions(cmd: Command): Command {
  return cmd
    .option('--title <text>', 'title (default "Flame Graph"; "Icicle Graph" with --inverted, "Flame Chart" with --flamechart)')
    .option('--subtitle <text>', 'second line under the title')
    .option('--width <px>', 'image width (default 1200)')
    .option('--height <px>', 'frame height (default 16)')
    .option('--minwidth <px|%>', 'omit frames narrower than this: pixels, or a percentage such as 0.5% (default 0.1 px)')
    .option('--fontsize <size>', 'font size (default 12)')
    .option('--fonttype <font>', 'font family (default Verdana)')
    .option('--fontwidth <ratio>', 'average glyph width relative to the font size (default 0.59)')
    .option('--countname <unit>', 'unit of the counts: samples, µs, bytes… (default samples)')
    .option('--nametype <label>', 'label in front of names in the details line (default "Function:")')
    .option('--inverted', 'icicle graph: root at the top')
    .option('--reverse', 'reverse each stack (leaf first) before merging')
    .option('--colors <palette>', `palette: ${PALETTES.join(', ')} (default auto: C, kernel, JIT, inline, Lua and unknown frames in their own hues)`)
    .option('--hash', 'shades by the leading characters of the name, so similar names look alike (default: a shade per name, scattered)')
    .option('--random', 'random shades, different on every render (the only non-deterministic output)')
    .option('--cp', 'consistent palette: colours per name read from and written back to the palette file, the same across graphs')
    .option('--palette-file <path>', 'the palette file of --cp: `name->rgb(r,g,b)` per line (default palette.map)')
    .option('--bgcolors <colors>', 'background: yellow, blue, green, grey or #rrggbb (default by palette, as flamegraph.pl)')
    .option('--notes <text>', 'text kept in an XML comment at the top of the SVG')
    .option('--total <count>', 'width of the graph in counts, when larger than the input total (several graphs on one scale)')
    .option('--factor <x>', 'multiply the counts shown in tooltips by this, e.g. the sampling period (default 1)')
    .option('--nameattr <file>', 'per-function SVG attributes: `name<TAB>key=value<TAB>…` per line (title, class, id, href, target)')
    .option('--encoding <name>', 'write the SVG in this encoding with an XML declaration: utf-8, iso-8859-1, us-ascii, utf-16le')
    .option('--id-prefix <prefix>', 'prefix of the ids in the SVG, for several graphs on one HTML page (default fg-)')
    .option('--basis <basis>', 'differential: share (default: each frame’s share of its own profile) or count (raw counts)')
    .option('--color-by <what>', 'differential: colour by the total (default) or self count of each frame')
    .option('--noise-min <count>', 'differential: changes below this many samples stay grey (default 3)')
    .option('--noise-z <sigmas>', 'differential: changes within this many σ of Poisson noise stay grey (default 2)');
}

function num(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw invalidInput('E_BAD_FLAG', `--${flag} must be a number ≥ ${min}, got "${v}"`);
  return n;
}

/** Encodings the SVG can be written in: XML name → Node's name. */
const ENCODINGS: Record<string, BufferEncoding> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
  'us-ascii': 'ascii',
  ascii: 'ascii',
  'utf-16le': 'utf16le',
  'utf-16': 'utf16le',
};

export function bufferEncoding(xmlName: string | undefined): BufferEncoding {
  if (xmlName === undefined) return 'utf8';
  const enc = ENCODINGS[xmlName.toLowerCase()];
  if (enc === undefined) {
    throw invalidInput('E_BAD_FLAG', `unsupported --encoding "${xmlName}"`, `Use one of: ${Object.keys(ENCODINGS).join(', ')}.`);
  }
  return enc;
}

/**
 * SVG text → bytes in the chosen encoding. Characters the encoding cannot hold become character
 * references (only text and attribute values can hold such characters: the script and the markup are ASCII).
 */
export function encodeSvg(svg: string, encoding: BufferEncoding): Buffer {
  if (encoding === 'utf8' || encoding === 'utf16le') return Buffer.from(encoding === 'utf16le' ? `\ufeff${svg}` : svg, encoding);
  const max = encoding === 'ascii' ? 0x7f : 0xff;
  let out = '';
  for (const ch of svg) {
    const cp = ch.codePointAt(0) as number;
    out += cp > max ? `&#x${cp.toString(16)};` : ch;
  }
  return Buffer.from(out, encoding);
}

function readTextFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw invalidInput('E_INPUT_UNREADABLE', `${flag}: cannot read ${path}: ${(e as Error).message}`, 'Check the path.');
  }
}

function bgColors(v: string | undefined): BgColors | undefined {
  if (v === undefined) return undefined;
  if (v === 'yellow' || v === 'blue' || v === 'green' || v === 'grey' || v === 'gray') return v === 'gray' ? 'grey' : v;
  if (/^#[0-9a-fA-F]{6}$/.test(v)) return v.toLowerCase() as BgColors;
  throw invalidInput('E_BAD_FLAG', `--bgcolors must be yellow, blue, green, grey or #rrggbb, got "${v}"`);
}

/** The palette map of --cp: read if the file exists (invalid lines are an error, as they would be lost on write-back). */
export function loadPaletteMap(f: RenderFlags): { map: Map<string, string>; path: string } | undefined {
  if (!f.cp) {
    if (f.paletteFile !== undefined) throw invalidInput('E_BAD_FLAG', '--palette-file needs --cp');
    return undefined;
  }
  const path = f.paletteFile ?? 'palette.map';
  if (!existsSync(path)) return { map: new Map(), path };
  const { map, invalid } = parsePaletteMap(readTextFile('--palette-file', path));
  if (invalid.length > 0) {
    throw invalidInput('E_BAD_PALETTE_MAP', `${path}: ${invalid.length} line(s) are not \`name->rgb(r,g,b)\``, 'Fix or delete the palette file; it is rewritten after each render.', invalid.slice(0, 5));
  }
  return { map, path };
}

export function savePaletteMap(pm: { map: Map<string, string>; path: string } | undefined): void {
  if (pm === undefined) return;
  try {
    writeFileSync(pm.path, formatPaletteMap(pm.map));
  } catch (e) {
    throw new FlamebenchError('E_WRITE_PALETTE_MAP', `cannot write the palette file ${pm.path}: ${(e as Error).message}`, 'Give a writable --palette-file.');
  }
}

export function toRenderOptions(f: RenderFlags): DiffSvgOptions {
  if (f.hash && f.random) throw invalidInput('E_BAD_FLAG', '--hash and --random exclude each other');
  if (f.notes !== undefined && /[<>]/.test(f.notes)) {
    // as flamegraph.pl: notes live in an XML comment
    throw invalidInput('E_BAD_FLAG', '--notes cannot contain < or >');
  }
  if (f.colors !== undefined && !(PALETTES as readonly string[]).includes(f.colors)) {
    throw invalidInput('E_BAD_FLAG', `unknown palette "${f.colors}"`, `Use one of: ${PALETTES.join(', ')}.`);
  }
  if (f.basis !== undefined && f.basis !== 'share' && f.basis !== 'count') {
    throw invalidInput('E_BAD_FLAG', `--basis must be share or count, got "${f.basis}"`);
  }
  if (f.colorBy !== undefined && f.colorBy !== 'total' && f.colorBy !== 'self') {
    throw invalidInput('E_BAD_FLAG', `--color-by must be total or self, got "${f.colorBy}"`);
  }
  let minWidth: number | string | undefined;
  if (f.minwidth !== undefined) {
    if (!/^\s*[0-9]*\.?[0-9]+\s*(%|px)?\s*$/.test(f.minwidth)) {
      throw invalidInput('E_BAD_FLAG', `--minwidth must be pixels (0.1) or a percentage (0.5%), got "${f.minwidth}"`);
    }
    minWidth = f.minwidth.trim().endsWith('%') ? f.minwidth.trim() : Number(f.minwidth.replace('px', ''));
  }
  const opts: DiffSvgOptions = {
    title: f.title,
    subtitle: f.subtitle,
    width: num('width', f.width, 100),
    frameHeight: num('height', f.height, 2),
    minWidth,
    fontSize: num('fontsize', f.fontsize, 1),
    fontType: f.fonttype,
    fontWidth: num('fontwidth', f.fontwidth, 0.01),
    countName: f.countname,
    nameType: f.nametype,
    inverted: f.inverted,
    reverse: f.reverse,
    colors: f.colors as Palette | undefined,
    idPrefix: f.idPrefix,
    basis: f.basis as DiffSvgOptions['basis'],
    colorBy: f.colorBy as DiffSvgOptions['colorBy'],
    noiseMinCount: num('noise-min', f.noiseMin, 0),
    noiseZ: num('noise-z', f.noiseZ, 0),
    shade: f.hash ? 'hash' : f.random ? 'random' : undefined,
    bgColors: bgColors(f.bgcolors),
    notes: f.notes,
    total: num('total', f.total, 0),
    factor: f.factor !== undefined ? num('factor', f.factor, Number.MIN_VALUE) : undefined,
    encoding: f.encoding !== undefined ? (bufferEncoding(f.encoding), f.encoding) : undefined,
  };
  if (f.nameattr !== undefined) {
    const { attrs, warnings } = parseNameAttr(readTextFile('--nameattr', f.nameattr));
    for (const w of warnings) process.stderr.write(`warning: ${f.nameattr}: ${w}\n`);
    opts.nameAttr = attrs;
  }
  // Leave unset flags out, so the renderer's defaults apply.
  for (const k of Object.keys(opts) as (keyof DiffSvgOptions)[]) if (opts[k] === undefined) delete opts[k];
  return opts;
}

export function register(program: Command): void {
  addRenderOptions(
    program
      .command('render')
      .argument('[input...]', 'folded stacks (`a;b;c 12` per line), or three-column diff output; several files are merged; stdin when absent or "-"')
      .description(
        'Render folded stacks as an interactive SVG flame graph (flamegraph.pl drop-in). ' +
          'Three-column input (`stack before after`, from `flamebench diff` or difffolded.pl) gives a differential graph: ' +
          'widths from the second column, red where it grew, blue where it shrank.',
      )
      .option('--flamechart', 'flame chart: stacks in input order (time on the x axis), not merged alphabetically')
      .option('--negate', 'three-column input: swap the colours (as flamegraph.pl --negate, for `diff after before | render --negate`); widths stay from the second column'),
  ).action(
    action(async (inputs: string[], flags: RenderFlags & { flamechart?: boolean }) => {
      const opts = toRenderOptions(flags);
      const encoding = bufferEncoding(flags.encoding);
      const palette = loadPaletteMap(flags);
      if (palette) opts.paletteMap = palette.map;
      const data = await readRenderInputs(inputs, flags.flamechart ?? false, warnSkipped);
      const where = inputs.length === 0 ? 'stdin' : inputs.join(', ');
      let svg: string;
      let empty: boolean;
      if (data.kind === 'diff') {
        if (flags.flamechart) throw invalidInput('E_BAD_FLAG', '--flamechart takes two-column folded input, not a diff');
        // flamegraph.pl --negate on `c1 c2`: widths from c2, colours swapped (red where c1 > c2).
        // Its documented use is `difffolded.pl after before | flamegraph.pl --negate`: c2 is then the
        // before-profile and c1 the after-profile, which is how the tooltip names them.
        let diff = data.diff;
        if (flags.negate) {
          diff = new Map();
          for (const [k, v] of data.diff) diff.set(k, { before: v.after, after: v.before });
        }
        svg = renderDiffSvg(diff, { ...opts, negate: flags.negate ?? false });
        empty = ![...data.diff.values()].some((v) => v.after > 0); // both views take widths from column 2
      } else {
        if (flags.negate) process.stderr.write('warning: --negate applies to three-column (diff) input only; ignored\n');
        svg = renderSvg(data.stacks, { ...opts, flameChart: flags.flamechart ?? false });
        empty = ![...data.stacks].some(([, v]) => v > 0);
      }
      await writeStdout(encodeSvg(svg, encoding));
      savePaletteMap(palette);
      if (empty) {
        throw invalidInput('E_NO_STACKS', `no stack counts found in ${where}`, 'Expect lines of `frame;frame;frame count`.');
      }
    }),
  );
}
