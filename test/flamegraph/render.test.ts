import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../src/flamegraph/index.js';
import type { Folded } from '../../src/stacks/folded.js';
import { framesOf, rgbOf, type SvgFrame } from './svg-frames.js';

const FULL = 1200 - 2 * 10; // default width minus flamegraph.pl's padding

// Hand-checked: total 20; main = 10 (a 3, b 3 [x 2, y 1], c 4), other 10.
const SMALL: Folded = new Map([
  ['main;c', 4],
  ['other', 10],
  ['main;b;y', 1],
  ['main;a', 3],
  ['main;b;x', 2],
]);

function rows(frames: SvgFrame[]): Map<number, SvgFrame[]> {
  const byY = new Map<number, SvgFrame[]>();
  for (const f of frames) {
    const row = byY.get(f.y);
    if (row) row.push(f);
    else byY.set(f.y, [f]);
  }
  for (const r of byY.values()) r.sort((a, b) => a.x - b.x);
  return byY;
}

describe('renderSvg structure', () => {
  const svg = renderSvg(SMALL, { title: 'small' });
  const frames = framesOf(svg);

  it('merges frames per level: root + main, other + a, b, c + x, y', () => {
    expect(frames.map((f) => f.name).sort()).toEqual(['a', 'all', 'b', 'c', 'main', 'other', 'x', 'y']);
  });

  it('widths are proportional to counts', () => {
    const w = (name: string) => (frames.find((f) => f.name === name) as SvgFrame).width;
    expect(w('all')).toBeCloseTo(FULL, 2);
    expect(w('main')).toBeCloseTo((FULL * 10) / 20, 2);
    expect(w('c')).toBeCloseTo((FULL * 4) / 20, 2);
    expect(w('x')).toBeCloseTo((FULL * 2) / 20, 2);
    expect(frames.find((f) => f.name === 'b')?.title).toBe('b (3 samples, 15.00%)');
  });

  it('orders siblings alphabetically per level, children inside their parent', () => {
    const byY = [...rows(frames).entries()].sort((a, b) => b[0] - a[0]); // bottom row (root) first
    expect(byY.map(([, r]) => r.map((f) => f.name))).toEqual([['all'], ['main', 'other'], ['a', 'b', 'c'], ['x', 'y']]);
    const b = frames.find((f) => f.name === 'b') as SvgFrame;
    for (const child of ['x', 'y']) {
      const c = frames.find((f) => f.name === child) as SvgFrame;
      expect(c.x).toBeGreaterThanOrEqual(b.x - 0.01);
      expect(c.x + c.width).toBeLessThanOrEqual(b.x + b.width + 0.01);
      expect(c.y).toBeLessThan(b.y); // flames grow upwards
    }
  });

  it('is byte-identical for the same input, whatever the insertion order', () => {
    const shuffled: Folded = new Map([...SMALL.entries()].reverse());
    expect(renderSvg(shuffled, { title: 'small' })).toBe(svg);
    expect(renderSvg(SMALL, { title: 'small' })).toBe(svg);
  });

  it('sorts per level, not per line: "foo" before "foo-x" and "foo1"', () => {
    const f = framesOf(renderSvg(new Map([['r;foo1;z', 1], ['r;foo-x', 1], ['r;foo;q', 1]])));
    const row = [...rows(f).values()].find((r) => r.some((x) => x.name === 'foo')) as SvgFrame[];
    expect(row.map((x) => x.name)).toEqual(['foo', 'foo-x', 'foo1']);
  });

  it('minwidth hides slivers: 0.1 px by default, or a percentage', () => {
    const folded: Folded = new Map([
      ['big', 100_000],
      ['big;sliver', 2], // 0.024 px
      ['big;thin', 400], // 4.7 px, 0.4 %
    ]);
    const names = (o: object) => framesOf(renderSvg(folded, o)).map((f) => f.name);
    expect(names({})).toContain('thin');
    expect(names({})).not.toContain('sliver');
    expect(names({ minWidth: 0 })).toContain('sliver');
    expect(names({ minWidth: '0.5%' })).not.toContain('thin');
    expect(names({ minWidth: '0.3%' })).toContain('thin');
  });

  it('inverted puts the root on top; reverse merges leaf-first', () => {
    const inv = framesOf(renderSvg(SMALL, { inverted: true }));
    const y = (fs: SvgFrame[], n: string) => (fs.find((f) => f.name === n) as SvgFrame).y;
    expect(y(inv, 'all')).toBeLessThan(y(inv, 'main'));
    expect(y(inv, 'main')).toBeLessThan(y(inv, 'x'));
    const rev = framesOf(renderSvg(SMALL, { reverse: true }));
    const top = rows(rev);
    const depth1 = [...top.entries()].sort((a, b) => b[0] - a[0])[1]?.[1].map((f) => f.name);
    expect(depth1).toEqual(['a', 'c', 'other', 'x', 'y']);
  });

  it('renders more distinct names than fit in one UTF-16 unit per frame, still in order', () => {
    const folded: Folded = new Map();
    for (let i = 0; i < 70_000; i++) folded.set(`root;f${String(i).padStart(5, '0')};leaf${i % 7}`, 1 + (i % 3));
    const f = framesOf(renderSvg(folded, { minWidth: 0 }));
    const row = [...rows(f).entries()].sort((a, b) => b[0] - a[0])[2]?.[1] as SvgFrame[];
    expect(row).toHaveLength(70_000);
    const names = row.map((x) => x.name);
    expect(names).toEqual([...names].sort());
    expect(f.filter((x) => x.name.startsWith('leaf'))).toHaveLength(70_000);
  });

  it('an empty profile gives a valid SVG saying so', () => {
    const svg0 = renderSvg(new Map());
    expect(svg0).toContain('No stack counts found');
    expect(svg0.startsWith('<svg')).toBe(true);
  });
});

describe('palettes tell frame kinds apart', () => {
  it('strips annotations for display and colours by kind, deterministically', () => {
    const svg = renderSvg(
      new Map([
        ['main;tcp_sendmsg_[k]', 5],
        ['main;trace_[j]', 5],
        ['main;@/a/b.lua:1', 5],
        ['main;[unknown]', 5],
        ['main;ngx_foo', 5],
      ]),
    );
    const f = framesOf(svg);
    const color = (n: string) => rgbOf((f.find((x) => x.name === n) as SvgFrame).fill);
    expect(f.map((x) => x.name)).toContain('tcp_sendmsg'); // annotation stripped
    const [kr, kg, kb] = color('tcp_sendmsg'); // orange
    expect(kb).toBe(0);
    expect(kr).toBeGreaterThan(kg);
    const [jr, jg, jb] = color('trace'); // green
    expect(jg).toBeGreaterThan(Math.max(jr, jb));
    const [lr, lg, lb] = color('@/a/b.lua:1'); // purple: red and blue high, green low
    expect(Math.min(lr, lb)).toBeGreaterThan(lg + 50);
    const [ur, ug, ub] = color('[unknown]'); // grey
    expect(Math.max(ur, ug, ub) - Math.min(ur, ug, ub)).toBeLessThan(10);
    const [nr, ng, nb] = color('ngx_foo'); // red, as flamegraph.pl's user-level C
    expect(nr).toBeGreaterThan(200);
    expect(ng).toBe(nb);
    expect(nr - ng).toBeGreaterThan(70);
  });
});

describe('escaping', () => {
  const evil = ['<script>alert(1)</script>', 'a"b', "c'd", 'e&f', '</svg>', ']]>', 'ctl\u0001char'];
  const svg = renderSvg(new Map(evil.map((n, i) => [`main;${n}`, i + 1])), {
    title: '<title>&"',
    subtitle: '</svg><script>alert(2)</script>',
    nameType: '</script>]]>',
    idPrefix: 'x"><script>',
  });

  it('no raw payload survives outside escaped text', () => {
    expect(svg.match(/<script/g)).toHaveLength(1); // our own script element only
    expect(svg.match(/<\/svg>/g)).toHaveLength(1);
    expect(svg.match(/]]>/g)).toHaveLength(1); // the end of our CDATA section
    expect(svg).not.toContain('\u0001');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('a&quot;b');
    expect(svg).toContain('c&#39;d');
    expect(svg).toContain('e&amp;f');
    expect(svg).toContain('\\u003c/script\\u003e]]\\u003e'); // nameType inside the script's JSON
  });

  it('names read back intact from the titles', () => {
    const names = framesOf(svg).map((f) => f.name);
    for (const n of evil.slice(0, -1)) expect(names).toContain(n);
    expect(names).toContain('ctl\uFFFDchar');
  });
});

describe('odd input', () => {
  it('frames with NUL and empty names, fractional counts', () => {
    const svg = renderSvg(new Map([['a;\u0000root;b', 1.5], ['a;;c', 2], ['a', 0.25]]), { minWidth: 0 });
    const f = framesOf(svg);
    expect(f.map((x) => x.name).sort()).toEqual(['', 'a', 'all', 'b', 'c', '\uFFFDroot']);
    expect(f.find((x) => x.name === 'a')?.title).toBe('a (3.75 samples, 100.00%)');
  });
});
