/**
 * Golden tests: FlameGraph's own perf inputs and the outputs of its stackcollapse-perf.pl
 * (../shared/fixtures/flamegraph-perf, see its README), one test per input file and option.
 * Default mode has no expected file upstream: it is checked against the Perl script itself,
 * kept as a test oracle in test/fixtures/oracle (see its header), and by hand on one input.
 */
import { SHARED_FIXTURES } from '../helpers/fixtures.js';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatFolded } from '../../src/stacks/folded.js';
import { collapsePerf, type PerfCollapseOptions } from '../../src/stacks/perf.js';

const FIXTURES = join(SHARED_FIXTURES, 'flamegraph-perf');
const ORACLE = fileURLToPath(new URL('../fixtures/oracle/stackcollapse-perf.pl', import.meta.url));
const OPTIONS = ['pid', 'tid', 'kernel', 'jit', 'all', 'addrs'] as const;
const inputs = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();
const hasPerl = spawnSync('perl', ['-e', '1']).status === 0;

// Bytes in, bytes out: latin1 maps each byte to one character, as Perl reads them.
const read = (path: string) => readFileSync(path).toString('latin1');
const oracle = (args: string[], input: string) =>
  execFileSync('perl', [ORACLE, ...args, input], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 }).toString('latin1');

describe('collapsePerf matches stackcollapse-perf.pl on FlameGraph test inputs', () => {
  it('has the fixtures', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(13);
  });
  for (const input of inputs) {
    const base = input.replace(/\.txt$/, '');
    for (const opt of OPTIONS) {
      it(`${base} --${opt}`, () => {
        const expected = read(`${FIXTURES}/results/${base}-collapsed-${opt}.txt`);
        const opts: PerfCollapseOptions = { [opt]: true, perlCompatible: true };
        expect(formatFolded(collapsePerf(read(`${FIXTURES}/${input}`), opts).stacks)).toBe(expected);
      });
    }
    it.runIf(hasPerl)(`${base} (default mode, against the Perl script)`, () => {
      const expected = oracle([], `${FIXTURES}/${input}`);
      expect(formatFolded(collapsePerf(read(`${FIXTURES}/${input}`), { perlCompatible: true }).stacks)).toBe(expected);
    });
  }
});

describe('default mode, derived by hand', () => {
  it('is the --pid output with the "-pid" suffix removed (perf-funcab-cmd-01)', () => {
    // Every header of this input is "func_ab <tid> ...", so --pid names it "func_ab-?".
    const pidOut = read(`${FIXTURES}/results/perf-funcab-cmd-01-collapsed-pid.txt`);
    const merged = new Map<string, number>();
    for (const l of pidOut.split('\n').filter(Boolean)) {
      const sp = l.lastIndexOf(' ');
      const k = l.slice(0, sp).replace(/^func_ab-\?/, 'func_ab');
      merged.set(k, (merged.get(k) ?? 0) + Number(l.slice(sp + 1)));
    }
    expect(formatFolded(collapsePerf(read(`${FIXTURES}/perf-funcab-cmd-01.txt`), { perlCompatible: true }).stacks)).toBe(formatFolded(merged));
  });
});

describe('example-perf-stacks.txt.gz (3 MB, a busy system)', () => {
  const gz = `${FIXTURES}/example-perf-stacks.txt.gz`;
  for (const opt of ['default', ...OPTIONS] as const) {
    it.runIf(hasPerl && existsSync(gz))(`${opt}, against the Perl script`, () => {
      const text = gunzipSync(readFileSync(gz)).toString('latin1');
      const args = opt === 'default' ? [] : [`--${opt}`];
      const expected = execFileSync('perl', [ORACLE, ...args], { input: gunzipSync(readFileSync(gz)), maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'ignore'] }).toString('latin1');
      const got = collapsePerf(text, opt === 'default' ? { perlCompatible: true } : { [opt]: true, perlCompatible: true });
      expect(formatFolded(got.stacks)).toBe(expected);
      expect(got.report.skipped).toBe(0);
    });
  }
});
