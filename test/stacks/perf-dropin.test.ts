/**
 * `collapse perf` where stackcollapse-perf.pl loses data, on inputs we did not write: inferno's
 * tests/data/collapse-perf and speedscope's linux-perf samples (test/fixtures/{inferno,speedscope}).
 * Default mode does better; perlCompatible gives the Perl script's output. Each deliberate
 * difference is tested on its own, and everywhere else both modes agree.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatFolded, parseFolded } from '../../src/stacks/folded.js';
import { collapsePerf } from '../../src/stacks/perf.js';
import { tidyGeneric } from '../../src/stacks/perf-frames.js';

const INFERNO = new URL('../fixtures/inferno/collapse-perf/', import.meta.url);
const SPEEDSCOPE = new URL('../fixtures/speedscope/linux-perf/', import.meta.url);
const read = (base: URL, name: string) => readFileSync(new URL(name, base)).toString('latin1');
const lines = (folded: string) => folded.split('\n').filter(Boolean);

/** An input the Perl script turns into nothing: checks that perlCompatible does the same, and returns the default mode's result. */
function collapsedWherePerlGivesNothing(text: string): ReturnType<typeof collapsePerf> {
  expect(collapsePerf(text, { perlCompatible: true }).stacks.size).toBe(0);
  return collapsePerf(text);
}

describe("inferno's expected outputs (default mode)", () => {
  for (const name of ['cpp-stacks-std-function', 'go-stacks', 'java-inline', 'single-line-stacks']) {
    it(name, () => {
      const got = formatFolded(collapsePerf(read(INFERNO, `${name}.txt`)).stacks);
      expect(got).toBe(read(INFERNO, `results/${name}-collapsed.txt`));
    });
  }
});

describe('C++ names keep their templates (Perl cuts at the first "(")', () => {
  it('std::function<int (int, int)> on inferno cpp-stacks-std-function', () => {
    const text = read(INFERNO, 'cpp-stacks-std-function.txt');
    const ours = [...collapsePerf(text).stacks.keys()].join('\n');
    const perl = [...collapsePerf(text, { perlCompatible: true }).stacks.keys()].join('\n');
    expect(ours).toContain(';std::function<int (int, int)>::operator;');
    expect(perl).toContain(';std::function<int ;');
    expect(ours).not.toMatch(/<int ;/);
  });
  it('tidyGeneric: templates, lambdas and operators', () => {
    const t = (s: string) => tidyGeneric(s, false);
    expect(t('std::function<int (int)>::operator()(int) const')).toBe('std::function<int (int)>::operator');
    expect(t('std::vector<std::pair<int, void (*)(int)> >::push_back(int)')).toBe('std::vector<std::pair<int, void (*)(int)> >::push_back');
    expect(t('main::{lambda(int)#1}::operator()(int) const')).toBe('main::{lambda(int)#1}::operator');
    expect(t('std::basic_ostream<char>& std::operator<< <std::char_traits<char> >(std::ostream&, char const*)')).toBe(
      'std::basic_ostream<char>& std::operator<< <std::char_traits<char> >',
    );
    expect(t('foo(int)')).toBe('foo');
    expect(t('(anonymous namespace)::bar(int)')).toBe('(anonymous namespace)::bar');
    expect(t('net/http.(*Client).Do')).toBe('net/http.(*Client).Do');
    // Where the Perl cut leaves no open bracket, the output is the Perl script's.
    expect(t('Foo::bar(std::vector<int>)')).toBe(tidyGeneric('Foo::bar(std::vector<int>)'));
  });
});

describe('the last sample without a trailing blank line', () => {
  it("speedscope's simple.linux-perf.txt collapses to its one sample (Perl: nothing)", () => {
    const { stacks, report } = collapsedWherePerlGivesNothing(read(SPEEDSCOPE, 'simple.linux-perf.txt'));
    expect(report.skipped).toBe(0);
    expect(report.samples).toBe(1);
    const [only] = [...stacks.keys()];
    expect(only?.startsWith('simple-terminat;')).toBe(true);
    expect(only).toContain(';__libc_start_main;main;');
  });
  it('otherwise both modes agree, on every speedscope sample: the only difference is that last sample', () => {
    for (const name of readdirSync(SPEEDSCOPE).filter((f) => f.endsWith('.txt'))) {
      const text = read(SPEEDSCOPE, name);
      const ours = collapsePerf(text);
      const perl = collapsePerf(text, { perlCompatible: true });
      const endsWithBlank = /\n\s*\n$/.test(text);
      expect(ours.report.samples - perl.report.samples, name).toBe(endsWithBlank ? 0 : 1);
      const extra = [...ours.stacks].filter(([k, v]) => perl.stacks.get(k) !== v);
      expect(extra.length, name).toBe(endsWithBlank ? 0 : 1);
      for (const [k, v] of perl.stacks) expect(ours.stacks.get(k) ?? 0, `${name} ${k}`).toBeGreaterThanOrEqual(v);
    }
  });
  it('a sample cut by the end of the stream, fed in pieces, is the same as whole', () => {
    const text = read(SPEEDSCOPE, 'simple-with-pid.linux-perf.txt').trimEnd();
    const whole = formatFolded(collapsePerf(text).stacks);
    expect(lines(whole).length).toBeGreaterThan(0);
    expect(whole).toBe(formatFolded(collapsePerf(`${text}\n\n`).stacks));
  });
});

describe('one-line samples (perf record without -g)', () => {
  it('are collapsed with their period, headers indented by perf included', () => {
    const { stacks, report } = collapsedWherePerlGivesNothing(read(INFERNO, 'single-line-stacks.txt'));
    expect(report.samples).toBe(2);
    expect(Object.fromEntries(stacks)).toEqual({ 'false;[unknown]': 1, 'false;_dl_start': 1 });
  });
  it('a header that ends in ":" stays a header (its frames follow)', () => {
    const text = 'vote   913    72.176760:     257597 cycles:uppp:\n\t ffff main (/bin/vote)\n\t ffff _start (/bin/vote)\n';
    expect(Object.fromEntries(collapsePerf(text).stacks)).toEqual({ 'vote;_start;main': 257597 });
  });
});

describe('folded input: "#" comment lines (austin) are skipped, not drawn', () => {
  it("inferno's austin/flames.txt", () => {
    const text = readFileSync(new URL('../fixtures/inferno/flamegraph/austin/flames.txt', import.meta.url), 'utf8');
    const { stacks, report } = parseFolded(text);
    expect(report.skipped).toBe(0);
    expect([...stacks.keys()].some((k) => k.startsWith('#'))).toBe(false);
    const comments = text.split('\n').filter((l) => l.startsWith('#')).length;
    expect(comments).toBeGreaterThan(0);
    expect(stacks.size).toBe(text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length);
  });
});

describe('the byte path (writeBytes, what the CLI uses) equals the text path', () => {
  it('on every inferno and speedscope input, fed in odd-sized pieces, in both modes', async () => {
    const { createPerfCollapser } = await import('../../src/stacks/perf.js');
    const inputs = [
      ...readdirSync(INFERNO).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(new URL(f, INFERNO))),
      ...readdirSync(SPEEDSCOPE).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(new URL(f, SPEEDSCOPE))),
    ];
    expect(inputs.length).toBeGreaterThan(10);
    for (const bytes of inputs) {
      for (const opts of [{}, { perlCompatible: true }, { addrs: true, all: true }]) {
        const text = formatFolded(collapsePerf(bytes.toString('latin1'), opts).stacks);
        for (const piece of [1, 7, 4096]) {
          const c = createPerfCollapser(opts);
          for (let i = 0; i < bytes.length; i += piece) c.writeBytes(bytes.subarray(i, i + piece));
          expect(formatFolded(c.finish().stacks)).toBe(text);
        }
      }
    }
  });
});
