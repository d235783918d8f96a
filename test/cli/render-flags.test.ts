/**
 * `flamebench render` as a process with every flamegraph.pl flag that used to exit 2, on inferno's
 * test inputs (test/fixtures/inferno). One process per behaviour: start-up costs ~1 s under tsx.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { PALETTES } from '../../src/flamegraph/index.js';
import { framesOf } from '../flamegraph/svg-frames.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIX = path.join(ROOT, 'test/fixtures/inferno/flamegraph');
const DIFF = path.join(FIX, 'differential/perf-cycles-instructions-01-collapsed-all-diff.txt');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const tmp = mkdtempSync(path.join(tmpdir(), 'fb-render-flags-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const render = (args: string[], input?: string) =>
  // tsx by its path: the working directory is a temp dir (--cp writes palette.map there).
  execa(process.execPath, ['--import', TSX, path.join(ROOT, 'src/cli/main.ts'), 'render', ...args], {
    cwd: tmp,
    reject: false,
    input: input ?? '',
    encoding: 'buffer',
  });
const out = (r: { stdout: Uint8Array }) => Buffer.from(r.stdout).toString('utf8');
const err = (r: { stderr: Uint8Array }) => Buffer.from(r.stderr).toString('utf8');

// Two-column input from the differential fixture: the after-profile.
const FOLDED = path.join(tmp, 'after.folded');
writeFileSync(
  FOLDED,
  readFileSync(DIFF, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/ \d+ (\d+)$/, ' $1'))
    .join('\n') + '\n',
);

describe('render flags (flamegraph.pl)', () => {
  it('--negate: widths from the second column, root 513 wide and named first', async () => {
    const r = await render(['--negate', DIFF]);
    expect(r.exitCode, err(r)).toBe(0);
    const root = framesOf(out(r)).find((f) => f.name === 'all');
    expect(root?.title).toMatch(/^all \(before 513 samples/);
  });

  it('several input files are merged, as flamegraph.pl reads them all', async () => {
    const a = path.join(FIX, 'multiple-inputs/perf-vertx-stacks-01-collapsed-all-unsorted-1.txt');
    const b = path.join(FIX, 'multiple-inputs/perf-vertx-stacks-01-collapsed-all-unsorted-2.txt');
    const both = await render([a, b]);
    const whole = await render([path.join(FIX, 'unsorted-input/perf-vertx-stacks-01-collapsed-all-unsorted.txt')]);
    expect(both.exitCode, err(both)).toBe(0);
    expect(out(both)).toBe(out(whole));
    const mixed = await render([a, DIFF]);
    expect(mixed.exitCode).toBe(2);
    expect(err(mixed)).toContain('E_MIXED_INPUT');
  });

  it('--notes, --bgcolors, --total, --factor, --encoding, --inverted title', async () => {
    const r = await render(['--notes', 'build 42 -- é', '--bgcolors', 'green', '--total', '1026', '--factor', '2', '--encoding', 'ISO-8859-1', '--inverted', '--title', 'Ünïcode ☃', FOLDED]);
    expect(r.exitCode, err(r)).toBe(0);
    const bytes = Buffer.from(r.stdout);
    expect(bytes.toString('latin1').startsWith('<?xml version="1.0" encoding="ISO-8859-1" standalone="no"?>\n<svg ')).toBe(true);
    const text = bytes.toString('latin1');
    expect(text).toContain('<!-- NOTES: build 42 - - é -->');
    expect(text).toContain('>Ünïcode &#x2603;</text>'); // é, ü in one byte each; the snowman as a reference
    expect(text).toContain('<stop stop-color="#e0ffe0" offset="95%"/>');
    expect(text).toContain('<title>all (2,052 samples, 100.00%)</title>'); // --total 1026 × --factor 2
    expect(framesOf(text).find((f) => f.name === 'noploop')?.width).toBeCloseTo((417 / 1026) * 1180, 1);
    const icicle = await render(['--inverted', FOLDED]);
    expect(out(icicle)).toContain('>Icicle Graph</text>');
  });

  it('--flamechart keeps input order and is titled "Flame Chart"', async () => {
    const r = await render(['--flamechart'], 'main;b 2\nmain;a 1\nmain;b 3\n');
    expect(r.exitCode, err(r)).toBe(0);
    const names = framesOf(out(r)).map((f) => f.name);
    expect(names).toEqual(['all', 'main', 'b', 'a', 'b']);
    expect(out(r)).toContain('>Flame Chart</text>');
  });

  it('--cp reads and writes the palette file; an invalid one is exit 2', async () => {
    const map = path.join(tmp, 'palette.map');
    writeFileSync(map, readFileSync(path.join(FIX, 'palette-map/palette.map')));
    const before = readFileSync(map, 'utf8').split('\n').filter(Boolean).length;
    const r = await render(['--cp', '--palette-file', map], 'ClassLoaderData::oops_do;a_new_frame 5\n');
    expect(r.exitCode, err(r)).toBe(0);
    expect(framesOf(out(r)).find((f) => f.name === 'ClassLoaderData::oops_do')?.fill).toBe('#f47d2b');
    const after = readFileSync(map, 'utf8');
    expect(after.split('\n').filter(Boolean).length).toBe(before + 1);
    expect(after).toMatch(/^a_new_frame->rgb\(\d+,\d+,\d+\)$/m);
    // The default file is palette.map in the working directory, created when missing.
    const d = await render(['--cp'], 'x;y 1\n');
    expect(d.exitCode, err(d)).toBe(0);
    expect(existsSync(path.join(tmp, 'palette.map'))).toBe(true);
    const bad = await render(['--cp', '--palette-file', path.join(FIX, 'palette-map/palette_invalid.map')], 'x 1\n');
    expect(bad.exitCode).toBe(2);
    expect(err(bad)).toContain('E_BAD_PALETTE_MAP');
  });

  it('--nameattr adds attributes and warns about bad ones', async () => {
    const r = await render(['--nameattr', path.join(FIX, 'nameattr/nameattr_invalid_attribute.txt'), FOLDED]);
    expect(r.exitCode, err(r)).toBe(0);
    expect(err(r)).toContain('invalid attribute "invalid"');
    expect(out(r)).toContain('<g id="test"><title>noploop');
    const missing = await render(['--nameattr', path.join(tmp, 'nope.txt'), FOLDED]);
    expect(missing.exitCode).toBe(2);
  });

  it('--hash, --random and the default shade differ; --hash with --random is exit 2', async () => {
    const fills = async (args: string[]) => framesOf(out(await render([...args, '--colors', 'java', FOLDED]))).map((f) => f.fill);
    const [plain, hash, random] = await Promise.all([fills([]), fills(['--hash']), fills(['--random'])]);
    expect(hash).not.toEqual(plain);
    expect(random).not.toEqual(plain);
    expect((await render(['--hash', '--random', FOLDED])).exitCode).toBe(2);
  });

  it('every palette is accepted', async () => {
    const r = await Promise.all(PALETTES.map((p) => render(['--colors', p, FOLDED])));
    r.forEach((x, i) => expect(x.exitCode, `${PALETTES[i]}: ${err(x)}`).toBe(0));
    for (const p of ['java', 'js', 'perl', 'wakeup', 'chain', 'python', 'rust']) expect(PALETTES).toContain(p);
  });

  it('bad values are exit 2 with the flag named', async () => {
    for (const args of [['--bgcolors', 'pink'], ['--total', 'lots'], ['--factor', '0'], ['--encoding', 'ebcdic'], ['--notes', '<x>'], ['--palette-file', 'p.map']]) {
      const r = await render([...args, FOLDED]);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(err(r)).toMatch(/error\[E_BAD_FLAG\]/);
    }
  });

  it('a 200,000-frame stack through the process (issue 11 row 14)', async () => {
    const deep = path.join(tmp, 'deep.folded');
    writeFileSync(deep, `${Array.from({ length: 200_000 }, (_, i) => `f${i}`).join(';')} 3\n`);
    const r = await render(['--minwidth', '0', deep]);
    expect(r.exitCode, err(r)).toBe(0);
    expect(out(r)).toContain('<title>f199999 (3 samples, 100.00%)</title>');
  }, 60_000);
});

describe('startup: a command loads only what it needs', () => {
  const packagesLoaded = (args: string[], input = '') => {
    const r = spawnSync(process.execPath, ['--import', path.join(ROOT, 'test/cli/module-log.mjs'), '--import', TSX, path.join(ROOT, 'src/cli/main.ts'), ...args], {
      input,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    return new Set([...r.stderr.matchAll(/^LOADED .*?\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1] as string));
  };
  it('--version, render, collapse: commander only (no ajv, yaml, handlebars, autocannon)', () => {
    expect([...packagesLoaded(['--version'])]).toEqual(['commander']);
    expect([...packagesLoaded(['render'], 'a;b 1\n')]).toEqual(['commander']);
    expect([...packagesLoaded(['collapse', 'perf'], 'x 1 1.0: 1 cpu-clock:\n\t1 f (a)\n\n')]).toEqual(['commander']);
  });
  it('validate still gets what it needs (the check above can see packages)', () => {
    const v = packagesLoaded(['validate', '--help']);
    expect(v.has('ajv')).toBe(true);
    expect(v.has('yaml')).toBe(true);
  });
});
