/**
 * Golden tests: FlameGraph's own perf inputs and the outputs of its stackcollapse-perf.pl at
 * commit 41fee1f (test/fixtures/flamegraph-perf, see its README), one test per input file and
 * option, the default mode included. Only stored outputs: no other project's code runs here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatFolded } from '../../src/stacks/folded.js';
import { collapsePerf, type PerfCollapseOptions } from '../../src/stacks/perf.js';
import { FLAMEGRAPH_PERF } from '../helpers/fixtures.js';

/** `none` is the script's default mode (no option). */
const MODES = ['none', 'pid', 'tid', 'kernel', 'jit', 'all', 'addrs'] as const;
type Mode = (typeof MODES)[number];
const inputs = readdirSync(FLAMEGRAPH_PERF).filter((f) => f.endsWith('.txt')).sort();

// Bytes in, bytes out: latin1 maps each byte to one character, as Perl reads them.
const read = (file: string) => readFileSync(join(FLAMEGRAPH_PERF, file)).toString('latin1');
const readGz = (file: string) => gunzipSync(readFileSync(join(FLAMEGRAPH_PERF, file))).toString('latin1');
// --perl-compat: the stored outputs are the Perl script's, with the losses docs/flamegraph.md lists.
const optionsOf = (mode: Mode): PerfCollapseOptions => (mode === 'none' ? { perlCompatible: true } : { [mode]: true, perlCompatible: true });

describe('collapsePerf prints what stackcollapse-perf.pl printed on FlameGraph test inputs', () => {
  it('has the fixtures', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(13);
  });
  for (const input of inputs) {
    const base = input.replace(/\.txt$/, '');
    for (const mode of MODES) {
      it(`${base} ${mode === 'none' ? '(default mode)' : `--${mode}`}`, () => {
        const expected = read(`results/${base}-collapsed-${mode}.txt`);
        expect(formatFolded(collapsePerf(read(input), optionsOf(mode)).stacks)).toBe(expected);
      });
    }
  }
});

describe('default mode, derived by hand', () => {
  it('is the --pid output with the "-pid" suffix removed (perf-funcab-cmd-01)', () => {
    // Every header of this input is "func_ab <tid> ...", so --pid names it "func_ab-?".
    const pidOut = read('results/perf-funcab-cmd-01-collapsed-pid.txt');
    const merged = new Map<string, number>();
    for (const l of pidOut.split('\n').filter(Boolean)) {
      const sp = l.lastIndexOf(' ');
      const k = l.slice(0, sp).replace(/^func_ab-\?/, 'func_ab');
      merged.set(k, (merged.get(k) ?? 0) + Number(l.slice(sp + 1)));
    }
    expect(formatFolded(collapsePerf(read('perf-funcab-cmd-01.txt'), { perlCompatible: true }).stacks)).toBe(formatFolded(merged));
  });
});

describe('example-perf-stacks.txt.gz (3 MB, a busy system)', () => {
  const text = readGz('example-perf-stacks.txt.gz');
  for (const mode of MODES) {
    it(mode === 'none' ? 'default mode' : `--${mode}`, () => {
      const got = collapsePerf(text, optionsOf(mode));
      expect(formatFolded(got.stacks)).toBe(readGz(`results/example-perf-stacks-collapsed-${mode}.txt.gz`));
      expect(got.report.skipped).toBe(0);
    });
  }
});
