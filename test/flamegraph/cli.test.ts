/** `flamebench render` and `flamebench diff` as processes, composed in shell pipelines. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIFF_FOLDED } from '../helpers/fixtures.js';
import { framesOf } from './svg-frames.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIX = `${DIFF_FOLDED}/`;
const CLI = `node --import tsx ${path.join(ROOT, 'src/cli/main.ts')}`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fb-fg-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sh = (script: string, input?: string) =>
  execa('bash', ['-o', 'pipefail', '-c', script], { cwd: ROOT, reject: false, input, env: { NO_COLOR: '1' } });
const lines = (t: string) => new Set(t.split('\n').filter((l) => l.trim() !== ''));

describe('flamebench diff', () => {
  it('prints the three-column diff (difffolded.pl), with -n and -s', async () => {
    for (const [flags, result] of [
      ['', 'default.txt'],
      ['-n', 'normalize.txt'],
      ['--strip-hex', 'strip_hex.txt'],
    ] as const) {
      const r = await sh(`${CLI} diff ${flags} ${FIX}before.txt ${FIX}after.txt`);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(lines(r.stdout)).toEqual(lines(readFileSync(path.join(FIX, 'results', result), 'utf8')));
    }
  });

  it('warns about bad lines and goes on', async () => {
    const r = await sh(`${CLI} diff ${FIX}bad_before.txt ${FIX}after.txt`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/warning: .*bad_before\.txt: skipped 1 line/);
    expect(r.stderr).toContain('line 3:');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(9);
  });

  it('exits 2 on unreadable input', async () => {
    const r = await sh(`${CLI} diff ${path.join(dir, 'missing.folded')} ${FIX}after.txt`);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('E_INPUT_UNREADABLE');
  });

  it('--svg writes the differential graph, --negate the before-shaped one', async () => {
    const out = path.join(dir, 'diff.svg');
    const r = await sh(`${CLI} diff -n --svg --title 'dd before/after' ${FIX}before.txt ${FIX}after.txt > ${out}`);
    expect(r.exitCode, r.stderr).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('dd before/after');
    expect(svg).toContain('Widths: after profile');
    const neg = await sh(`${CLI} diff --svg --negate ${FIX}before.txt ${FIX}after.txt`);
    const names = framesOf(neg.stdout).map((f) => f.name);
    expect(names).toContain('0x234f2abc'); // only in before: visible in the negated view
    expect(framesOf(svg).map((f) => f.name)).not.toContain('0x234f2abc');
  });
});

describe('flamebench render', () => {
  it('composes in a pipeline and reads stdin: diff | render gives a differential graph', async () => {
    const out = path.join(dir, 'piped.svg');
    const r = await sh(`${CLI} diff ${FIX}before.txt ${FIX}after.txt | ${CLI} render --countname µs > ${out}`);
    expect(r.exitCode, r.stderr).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('Differential Flame Graph');
    expect(svg).toMatch(/after \d+ µs, [\d.]+%; before \d+ µs/);
  });

  it('diff after before | render --negate equals diff --svg --negate (flamegraph.pl --negate semantics)', async () => {
    const a = await sh(`${CLI} diff ${FIX}after.txt ${FIX}before.txt | ${CLI} render --negate`);
    const b = await sh(`${CLI} diff --svg --negate ${FIX}before.txt ${FIX}after.txt`);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('takes flamegraph.pl options', async () => {
    const file = path.join(dir, 'in.folded');
    writeFileSync(file, 'main;a 90\nmain;b 9\nmain;b;c 1\nbroken line\n');
    const r = await sh(`${CLI} render --title T --subtitle S --width 800 --height 20 --minwidth 2% --inverted --colors blue --hash ${file}`);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('skipped 1 line');
    expect(r.stdout).toMatch(/^<svg version="1.1" width="800"/);
    const f = framesOf(r.stdout);
    expect(f.map((x) => x.name).sort()).toEqual(['a', 'all', 'b', 'main']); // c is 1% < 2%
    expect(f.find((x) => x.name === 'all')?.y).toBeLessThan(f.find((x) => x.name === 'a')?.y as number);
  });

  it('rejects bad flags and empty input with exit 2', async () => {
    expect((await sh(`${CLI} render --colors rainbow`, 'a 1\n')).exitCode).toBe(2);
    expect((await sh(`${CLI} render --minwidth wide`, 'a 1\n')).exitCode).toBe(2);
    const empty = await sh(`${CLI} render`, 'no counts here\n');
    expect(empty.exitCode).toBe(2);
    expect(empty.stdout).toContain('No stack counts found'); // still a valid SVG on stdout, as flamegraph.pl
  });
});
