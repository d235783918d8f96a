import { describe, expect, it } from 'vitest';
import { formatFolded } from '../../src/stacks/folded.js';
import { collapsePerf, createPerfCollapser } from '../../src/stacks/perf.js';
import { matchEvent, matchFrame, matchHeader } from '../../src/stacks/perf-lines.js';
import { tidyGeneric, stripOffset, splitInlined } from '../../src/stacks/perf-frames.js';

describe('perf line matchers (Perl regex semantics)', () => {
  it('needs a comm of two characters or more, as the regex does', () => {
    expect(matchHeader('a 1 1.0: 5 cycles: ')).toMatchObject({ comm: 'a 1 1.0:', first: '5' });
  });
  it('parses headers with tid only, pid/tid, and comm with spaces', () => {
    expect(matchHeader('java 25607 4794564.109216: cycles:')).toEqual({ comm: 'java', first: '25607', second: undefined });
    expect(matchHeader('V8 WorkerThread 24636/25607 [000] 94564.109216: cycles:')).toEqual({ comm: 'V8 WorkerThread', first: '24636', second: '25607' });
    expect(matchHeader('swapper     0 [001]  1333.768770: cpu-clock:')).toMatchObject({ comm: 'swapper', first: '0' });
    expect(matchHeader('\tffffffff8103ce3b native_safe_halt ([kernel.kallsyms])')).toBeNull();
  });
  it('finds period and event at the end of a header', () => {
    expect(matchEvent('dd 29776 666709.771979:   10101010 cpu-clock: ')).toEqual({ period: '10101010', event: 'cpu-clock' });
    expect(matchEvent('emulator  4152 75695.008865:          1 cycles:u: ')).toEqual({ period: '1', event: 'cycles:u' });
    expect(matchEvent('noploop 21796 [001] 1410597.984841: instructions: ')).toEqual({ period: undefined, event: 'instructions' });
    expect(matchEvent('func_ab 15294 cpu-clock: ')).toBeNull();
  });
  it('takes the last " (dso)" of a frame line', () => {
    expect(matchFrame('\t    7f183b22aec7 __GI___ioctl (/lib/x86_64-linux-gnu/libc-2.19.so)')).toMatchObject({
      pc: '7f183b22aec7', rawfunc: '__GI___ioctl', mod: '/lib/x86_64-linux-gnu/libc-2.19.so',
    });
    expect(matchFrame('\t 4a JavaCalls::call_helper(JavaValue*, methodHandle*) (/x/libjvm.so)')).toMatchObject({
      rawfunc: 'JavaCalls::call_helper(JavaValue*, methodHandle*)', mod: '/x/libjvm.so',
    });
    // Perl backtracks into (\w+) when the symbol would be empty.
    expect(matchFrame('\tffff ([kernel])')).toMatchObject({ pc: 'fff', rawfunc: 'f', mod: '[kernel]' });
  });
  it('tidies names like the script', () => {
    expect(stripOffset('cpu_startup_entry+0x800047c022ec')).toBe('cpu_startup_entry');
    expect(stripOffset('f+0x1+0xZ')).toBe('f+0x1+0xZ');
    expect(splitInlined('a->b->')).toEqual(['a', 'b']);
    expect(tidyGeneric('net/http.(*Client).Do')).toBe('net/http.(*Client).Do');
    expect(tidyGeneric('foo(int, char*)')).toBe('foo');
    expect(tidyGeneric('(anonymous namespace)::bar(int)')).toBe('(anonymous namespace)::bar');
    expect(tidyGeneric(`RegExp:[&<>"']`)).toBe('RegExp:[&<>]');
  });
});

describe('collapsePerf state machine', () => {
  const sample = (hdr: string, ...frames: string[]) => `${hdr}\n${frames.map((f) => `\t${f}`).join('\n')}\n\n`;
  it('weights by period, keeps the first event only, reports filtered and unknown lines', () => {
    const text =
      sample('app 1 1.0: 5 cycles: ', '1 leaf (/bin/a)', '2 main (/bin/a)') +
      sample('app 1 1.1: 7 instructions: ', '1 leaf (/bin/a)') +
      sample('app 1 1.2: 2 cycles: ', '1 leaf (/bin/a)', '2 main (/bin/a)') +
      'garbage line here\n';
    const r = collapsePerf(text);
    expect(formatFolded(r.stacks)).toBe('app;main;leaf 7\n');
    expect(r.report).toMatchObject({ samples: 2, event: 'cycles', filteredSamples: 1, filteredEvents: ['instructions'], skipped: 1 });
    expect(r.report.examples[0]).toContain('garbage');
    expect(formatFolded(collapsePerf(text, { eventFilter: 'instructions' }).stacks)).toBe('app;leaf 7\n');
  });
  it('gives the same result line by line and in arbitrary chunks', () => {
    const text = sample('xx 3/4 [000] 1.0: cpu-clock:', 'ffff f1 ([kernel.kallsyms])', '0 [unknown] (/usr/lib/libz.so)') + sample('xx 3/4 1.0: cpu-clock:', '1 g (/a)');
    const whole = formatFolded(collapsePerf(text, { tid: true, kernel: true, addrs: true }).stacks);
    expect(whole).toBe('xx-3/4;[libz.so <0>];f1_[k] 1\nxx-3/4;g 1\n');
    const c = createPerfCollapser({ tid: true, kernel: true, addrs: true });
    for (let i = 0; i < text.length; i += 7) c.write(text.slice(i, i + 7));
    expect(formatFolded(c.finish().stacks)).toBe(whole);
    const l = createPerfCollapser({ tid: true, kernel: true, addrs: true });
    for (const line of text.split('\n').slice(0, -1)) l.push(line);
    expect(formatFolded(l.finish().stacks)).toBe(whole);
  });
});
