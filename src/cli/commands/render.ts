import type { Command } from 'commander';
import { action } from '../action.js';
import { invalidInput } from '../../errors.js';
import { PALETTES, renderDiffSvg, renderSvg, NO_STACKS_MESSAGE, type DiffSvgOptions, type Palette } from '../../flamegraph/index.js';
import { readFoldedOrDiff, warnSkipped, writeStdout } from './folded-input.js';

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
  negate?: boolean;
  idPrefix?: string;
  basis?: string;
  colorBy?: string;
  noiseMin?: string;
  noiseZ?: string;
}

export function addRenderOptions(cmd: Command): Command {
  return cmd
    .option('--title <text>', 'title (default "Flame Graph")')
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
    .option('--hash', 'accepted for flamegraph.pl compatibility: colours are always derived from the name')
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

export function toRenderOptions(f: RenderFlags): DiffSvgOptions {
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
  };
  // Leave unset flags out, so the renderer's defaults apply.
  for (const k of Object.keys(opts) as (keyof DiffSvgOptions)[]) if (opts[k] === undefined) delete opts[k];
  return opts;
}

export function register(program: Command): void {
  addRenderOptions(
    program
      .command('render')
      .argument('[input]', 'folded stacks (`a;b;c 12` per line), or three-column diff output; stdin when absent or "-"')
      .description(
        'Render folded stacks as an interactive SVG flame graph (flamegraph.pl drop-in). ' +
          'Three-column input (`stack before after`, from `flamebench diff` or difffolded.pl) gives a differential graph: ' +
          'widths from the second column, red where it grew, blue where it shrank.',
      )
      .option('--negate', 'three-column input: widths from the first column, colours inverted (as flamegraph.pl --negate)'),
  ).action(
    action(async (input: string | undefined, flags: RenderFlags) => {
      const opts = toRenderOptions(flags);
      const data = await readFoldedOrDiff(input);
      warnSkipped(data.report, input);
      let svg: string;
      let empty: boolean;
      if (data.kind === 'diff') {
        // flamegraph.pl --negate on `c1 c2`: widths from c2, red where c2 < c1. That is our
        // before-shape view of the diff with before = c2 and after = c1, so
        // `flamebench diff after before | flamebench render --negate` reads as intended.
        let diff = data.diff;
        if (flags.negate) {
          diff = new Map();
          for (const [k, v] of data.diff) diff.set(k, { before: v.after, after: v.before });
        }
        svg = renderDiffSvg(diff, { ...opts, negate: flags.negate ?? false });
        empty = ![...data.diff.values()].some((v) => v.after > 0); // both views take widths from column 2
      } else {
        svg = renderSvg(data.stacks, opts);
        empty = ![...data.stacks.values()].some((v) => v > 0);
      }
      await writeStdout(svg);
      if (empty) {
        throw invalidInput('E_NO_STACKS', `no stack counts found in ${input ?? "stdin"}`, 'Expect lines of `frame;frame;frame count`.');
      }
    }),
  );
}
