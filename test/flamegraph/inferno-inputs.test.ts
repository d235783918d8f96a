/**
 * The renderer on inferno's flamegraph test inputs (test/fixtures/inferno/flamegraph, data only):
 * --negate shape and tooltips, titles, flame charts, several inputs, --total/--factor, palettes,
 * palette maps, name attributes, and a stack 200,000 frames deep (issue 11 row 14).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PALETTES, renderDiffSvg, renderSvg, type Palette } from '../../src/flamegraph/index.js';
import { parseNameAttr } from '../../src/flamegraph/nameattr.js';
import { frameColor } from '../../src/flamegraph/palette.js';
import { formatPaletteMap, parsePaletteMap } from '../../src/flamegraph/palette-map.js';
import { parseDiffFolded } from '../../src/stacks/diff.js';
import { parseFolded, parseFoldedList } from '../../src/stacks/folded.js';
import { framesOf, rgbOf } from './svg-frames.js';

const FIX = new URL('../fixtures/inferno/flamegraph/', import.meta.url);
const text = (name: string) => readFileSync(new URL(name, FIX), 'utf8');
const DIFF = 'differential/perf-cycles-instructions-01-collapsed-all-diff.txt';

describe('--negate (flamegraph.pl: widths from the second column, colours swapped)', () => {
  const diff = parseDiffFolded(text(DIFF)).diff;
  // What `render --negate` does with `c1 c2`: c2 is the before-profile, c1 the after-profile.
  const swapped = new Map([...diff].map(([k, v]) => [k, { before: v.after, after: v.before }]));
  const neg = framesOf(renderDiffSvg(swapped, { negate: true, noiseMinCount: 0, noiseZ: 0 }));
  const pos = framesOf(renderDiffSvg(diff, { noiseMinCount: 0, noiseZ: 0 }));

  it('the root is 513 samples (column 2), and its tooltip says so first', () => {
    const root = neg.find((f) => f.name === 'all');
    expect(root?.width).toBeCloseTo(1180, 2);
    expect(root?.title).toMatch(/^all \(before 513 samples, 100\.00%; after 333 samples, 100\.00%;/);
  });
  it('every frame has the same width as without --negate (both from column 2)', () => {
    expect(neg.map((f) => [f.name, f.x, f.width])).toEqual(pos.map((f) => [f.name, f.x, f.width]));
    const noploop = neg.find((f) => f.name === 'noploop');
    expect(noploop?.width).toBeCloseTo((417 / 513) * 1180, 1);
  });
  it('colours are swapped: a frame red in one view is blue in the other', () => {
    const hue = (fill: string) => {
      const [r, , b] = rgbOf(fill);
      return r > b ? 'red' : b > r ? 'blue' : 'grey';
    };
    let swappedFrames = 0;
    neg.forEach((f, i) => {
      const p = pos[i];
      if (p === undefined || f.name === 'all') return;
      const [hn, hp] = [hue(f.fill), hue(p.fill)];
      if (hp !== 'grey') {
        expect(hn, f.name).toBe(hp === 'red' ? 'blue' : 'red');
        swappedFrames++;
      }
    });
    expect(swappedFrames).toBeGreaterThan(3);
  });
});

describe('titles', () => {
  const stacks = parseFolded(text('grey-frames/grey-frames.txt')).stacks;
  it('"Icicle Graph" for --inverted, "Flame Chart" for --flamechart, --title wins', () => {
    expect(renderSvg(stacks, { inverted: true })).toContain('>Icicle Graph</text>');
    expect(renderSvg(stacks, { flameChart: true })).toContain('>Flame Chart</text>');
    expect(renderSvg(stacks, {})).toContain('>Flame Graph</text>');
    expect(renderSvg(stacks, { inverted: true, title: 'T' })).toContain('>T</text>');
  });
});

describe('--flamechart keeps input order; the default merges alphabetically', () => {
  it('on a time line, a repeated stack stays two frames', () => {
    const { list } = parseFoldedList('main;b 2\nmain;a 1\nmain;b 3\n');
    const frames = framesOf(renderSvg(list, { flameChart: true }));
    const leafY = frames.find((f) => f.name === 'a')?.y;
    const chart = frames.filter((f) => f.y === leafY);
    expect(chart.map((f) => f.name)).toEqual(['b', 'a', 'b']);
    const graph = framesOf(renderSvg(parseFolded('main;b 2\nmain;a 1\nmain;b 3\n').stacks));
    expect(graph.filter((f) => f.name === 'a' || f.name === 'b').map((f) => f.name)).toEqual(['a', 'b']);
  });
});

describe('several inputs', () => {
  it("inferno's two halves of vert.x render as the whole unsorted file", () => {
    const a = parseFolded(text('multiple-inputs/perf-vertx-stacks-01-collapsed-all-unsorted-1.txt')).stacks;
    const b = parseFolded(text('multiple-inputs/perf-vertx-stacks-01-collapsed-all-unsorted-2.txt')).stacks;
    for (const [k, v] of b) a.set(k, (a.get(k) ?? 0) + v);
    const whole = parseFolded(text('unsorted-input/perf-vertx-stacks-01-collapsed-all-unsorted.txt')).stacks;
    expect(renderSvg(a)).toBe(renderSvg(whole));
  });
});

describe('--total and --factor', () => {
  const stacks = parseFolded(text('grey-frames/grey-frames.txt')).stacks;
  const sum = [...stacks.values()].reduce((s, v) => s + v, 0);
  it('--total larger than the input narrows every frame but the root', () => {
    const plain = framesOf(renderSvg(stacks));
    const wide = framesOf(renderSvg(stacks, { total: sum * 4 }));
    expect(wide[0]?.width).toBeCloseTo(1180, 2);
    expect(wide[0]?.title).toContain(`(${(sum * 4).toLocaleString('en')} samples, 100.00%)`);
    expect(wide[1]?.width).toBeCloseTo((plain[1]?.width ?? 0) / 4, 1);
  });
  it('--total smaller than the input is ignored (flamegraph.pl)', () => {
    expect(renderSvg(stacks, { total: 1 })).toBe(renderSvg(stacks));
  });
  it('--factor scales the counts shown, not the shares', () => {
    const f = framesOf(renderSvg(stacks, { factor: 2.5 }));
    const p = framesOf(renderSvg(stacks));
    expect(f.map((x) => x.width)).toEqual(p.map((x) => x.width));
    const m = /\(([\d,.]+) samples, ([\d.]+)%\)/;
    const [, cf, pf] = m.exec(f[1]?.title ?? '') ?? [];
    const [, cp, pp] = m.exec(p[1]?.title ?? '') ?? [];
    expect(Number(cf?.replace(/,/g, ''))).toBeCloseTo(Number(cp?.replace(/,/g, '')) * 2.5, 5);
    expect(pf).toBe(pp);
  });
});

describe('palettes', () => {
  // Inverts palette.ts's family formulas: which channels are tied says which hue it is.
  const hue = (c: string) => {
    const [r, g, b] = rgbOf(c);
    if (b === 0) return 'orange';
    if (g === b) return r <= 110 ? 'aqua' : 'red';
    if (r === g) return b <= 70 ? 'yellow' : 'blue';
    if (r === b) return g >= 200 ? 'green' : 'purple';
    return 'other';
  };
  it('every palette is accepted and deterministic', () => {
    for (const p of PALETTES) {
      const c = frameColor('some::frame', p);
      expect(c, p).toMatch(/^#[0-9a-f]{6}$/);
      expect(frameColor('some::frame', p)).toBe(c);
    }
  });
  it('java: JIT green, inline aqua, JVM packages green, C++ yellow, kernel orange, else red', () => {
    const c = (n: string) => hue(frameColor(n, 'java'));
    expect(c('Interpreter_[j]')).toBe('green');
    expect(c('foo_[i]')).toBe('aqua');
    expect(c('Ljava/lang/Thread:::run')).toBe('green');
    expect(c('org/eclipse/jetty/Server.handle')).toBe('green');
    expect(c('JavaThread::run')).toBe('yellow');
    expect(c('sys_read_[k]')).toBe('orange');
    expect(c('start_thread')).toBe('red');
  });
  it('js, perl, python, rust, wakeup, chain', () => {
    expect(hue(frameColor('LazyCompile:~main /srv/app.js:10_[j]', 'js'))).toBe('green');
    expect(hue(frameColor('Builtin:ArgumentsAdaptorTrampoline_[j]', 'js'))).toBe('aqua');
    expect(hue(frameColor('v8::internal::Execution::Call', 'js'))).toBe('yellow');
    expect(hue(frameColor('Perl_pp_entersub', 'perl'))).toBe('green');
    expect(hue(frameColor('main::run', 'perl'))).toBe('yellow');
    expect(hue(frameColor('/usr/lib/python3.11/json/decoder.py:decode', 'python'))).toBe('yellow');
    expect(hue(frameColor('/venv/lib/python3.11/site-packages/requests/api.py:get', 'python'))).toBe('aqua');
    expect(hue(frameColor('app.py:main', 'python'))).toBe('red');
    expect(hue(frameColor('core::ptr::drop_in_place', 'rust'))).toBe('orange');
    expect(hue(frameColor('mycrate::parse', 'rust'))).toBe('aqua');
    expect(hue(frameColor('memcpy', 'rust'))).toBe('yellow');
    expect(hue(frameColor('anything', 'wakeup'))).toBe('aqua');
    expect(hue(frameColor('schedule', 'chain'))).toBe('blue');
    expect(hue(frameColor('try_to_wake_up_[w]', 'chain'))).toBe('aqua');
  });
  it('chain: frames after "--" are the waker\'s (aqua), shown without the annotation', () => {
    const f = framesOf(renderSvg(new Map([['sleep;schedule;--;kworker;try_to_wake_up', 10]]), { colors: 'chain' }));
    const waker = f.find((x) => x.name === 'try_to_wake_up');
    expect(waker).toBeDefined();
    expect(hue(waker?.fill ?? '')).toBe('aqua');
    expect(hue(f.find((x) => x.name === 'schedule')?.fill ?? '')).toBe('blue');
  });
  it('--hash and the default shade differently; --random differs between renders', () => {
    const stacks = parseFolded(text('colors/async-profiler-collapsed-part.txt')).stacks;
    const fills = (o: Parameters<typeof renderSvg>[1]) => framesOf(renderSvg(stacks, o)).map((f) => f.fill);
    expect(fills({ colors: 'java' })).not.toEqual(fills({ colors: 'java', shade: 'hash' }));
    expect(fills({ colors: 'java', shade: 'hash' })).toEqual(fills({ colors: 'java', shade: 'hash' }));
    expect(fills({ colors: 'java', shade: 'random' })).not.toEqual(fills({ colors: 'java', shade: 'random' }));
  });
  const flat: Palette[] = ['red', 'green', 'blue', 'aqua', 'yellow', 'purple', 'orange'];
  it('background follows the palette as in flamegraph.pl; --bgcolors overrides', () => {
    const stacks = new Map([['a;b', 1]]);
    const bg = (o: Parameters<typeof renderSvg>[1]) => /<stop stop-color="([^"]+)" offset="95%"/.exec(renderSvg(stacks, o))?.[1];
    expect(bg({ colors: 'hot' })).toBe('#eeeeb0');
    expect(bg({ colors: 'mem' })).toBe('#e0ffe0');
    expect(bg({ colors: 'chain' })).toBe('#e0e0ff');
    for (const p of flat) expect(bg({ colors: p })).toBe('#e8e8e8');
    expect(bg({ bgColors: '#123456' })).toBe('#123456');
    expect(bg({ colors: 'mem', bgColors: 'blue' })).toBe('#e0e0ff');
  });
});

describe('--cp palette map (inferno palette-map/palette.map)', () => {
  it('reads its colours, keeps them, adds new names, writes it back sorted', () => {
    const { map, invalid } = parsePaletteMap(text('palette-map/palette.map'));
    expect(invalid).toEqual([]);
    expect(map.get('ClassLoaderData::oops_do')).toBe('#f47d2b');
    const stacks = new Map([['ClassLoaderData::oops_do;brand_new_frame', 5]]);
    const svg = renderSvg(stacks, { paletteMap: map });
    expect(framesOf(svg).find((f) => f.name === 'ClassLoaderData::oops_do')?.fill).toBe('#f47d2b');
    expect(map.has('brand_new_frame')).toBe(true);
    const written = formatPaletteMap(map);
    expect(written).toContain('ClassLoaderData::oops_do->rgb(244,125,43)\n');
    expect(parsePaletteMap(written).map).toEqual(map);
  });
  it('names the invalid lines of palette_invalid.map', () => {
    const { invalid } = parsePaletteMap(text('palette-map/palette_invalid.map'));
    expect(invalid.map((l) => l.replace(/:.*/, ''))).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
  });
});

describe('--nameattr (inferno nameattr/*.txt)', () => {
  it('attributes on the frame, a link, and the title', () => {
    const { attrs, warnings } = parseNameAttr(text('nameattr/nameattr.txt'));
    expect(warnings).toEqual([]);
    const svg = renderSvg(parseFolded('main;cksum 5\nmain;noploop 7\n').stacks, { nameAttr: attrs });
    expect(svg).toContain('<g class="inferno" stroke-width="1" stroke="green"><title>main (foo)</title><a href="https://github.com/jonhoo/inferno" target="_blank" rel="external" hreflang="en-us"><rect');
    expect(svg).toContain('<g id="test"><title>noploop (');
    expect(framesOf(svg).map((f) => f.name)).toEqual(['all', 'main', 'cksum', 'noploop']);
  });
  it('empty lines and fields are skipped; duplicates and invalid attributes warn', () => {
    expect(parseNameAttr(text('nameattr/nameattr_empty_first_line.txt')).attrs).toEqual(parseNameAttr(text('nameattr/nameattr.txt')).attrs);
    expect(parseNameAttr(text('nameattr/nameattr_empty_attribute.txt')).attrs).toEqual(parseNameAttr(text('nameattr/nameattr.txt')).attrs);
    const dup = parseNameAttr(text('nameattr/nameattr_duplicate_attributes.txt'));
    expect(dup.warnings.filter((w) => w.includes('duplicate attribute'))).toHaveLength(3);
    expect(dup.attrs.get('noploop')?.id).toBe('test3');
    const bad = parseNameAttr(text('nameattr/nameattr_invalid_attribute.txt'));
    expect(bad.warnings).toHaveLength(1);
    expect(bad.warnings[0]).toContain('invalid attribute "invalid"');
  });
  it('never lets a data file add a script: no on* attributes, no javascript: links', () => {
    const { attrs } = parseNameAttr('main\tonclick=alert(1)\thref=javascript:alert(2)\tg_extra=onload="alert(3)"\n');
    const svg = renderSvg(new Map([['main', 1]]), { nameAttr: attrs });
    expect(svg).not.toMatch(/onclick|onload|javascript:/);
  });
});

describe('inferno edge inputs', () => {
  it('fractional counts, bad lines, "-" and "--" separators, narrow blocks', () => {
    const frac = parseFolded(text('fractional-samples/fractional.txt'));
    expect(frac.report.skipped).toBe(0);
    expect(framesOf(renderSvg(frac.stacks))[0]?.title).toMatch(/^all \([\d,]+\.\d\d samples, 100\.00%\)$/);
    const bad = parseFolded(text('bad-lines/bad-lines.txt'));
    expect(bad.report.skipped).toBeGreaterThan(0);
    expect(bad.stacks.size).toBeGreaterThan(0);
    const grey = framesOf(renderSvg(parseFolded(text('grey-frames/grey-frames.txt')).stacks));
    expect(grey.find((f) => f.name === '-')?.fill).toBe('#a0a0a0');
    const narrow = parseFolded(text('narrow-blocks/narrow-blocks.txt')).stacks;
    expect(framesOf(renderSvg(narrow)).every((f) => f.width >= 0.1)).toBe(true);
    expect(framesOf(renderSvg(parseFolded(text('fractional-samples/tricky-stack.txt')).stacks)).map((f) => f.name)).toContain(
      '<alloc::vec::Vec<T> as alloc::vec::SpecExtend<T, I>>::from_iter',
    );
  });
});

describe('a stack 200,000 frames deep (issue 11 row 14)', () => {
  it('renders, iteratively, every frame', () => {
    const deep = Array.from({ length: 200_000 }, (_, i) => `f${i}`).join(';');
    const svg = renderSvg(new Map([[deep, 3], ['main;x', 1]]), { minWidth: 0 });
    expect((svg.match(/<g><title>/g) ?? []).length).toBe(200_000 + 3);
    expect(svg).toContain('<title>f199999 (3 samples, 75.00%)</title>');
  }, 60_000);
});
