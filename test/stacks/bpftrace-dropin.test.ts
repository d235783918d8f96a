/**
 * `collapse bpftrace` on the layout of stackcollapse-bpftrace.pl's own example (frames not indented,
 * as older bpftrace printed them), and with "+offset" kept as the Perl script keeps it. The input
 * and the expected line are the example in that script's header (FlameGraph, GPL-2.0), as data.
 */
import { describe, expect, it } from 'vitest';
import { collapseBpftrace, createBpftraceCollapser } from '../../src/stacks/bpftrace.js';
import { formatFolded } from '../../src/stacks/folded.js';

const FRAMES = [
  '_raw_spin_lock_bh+0',
  'tcp_recvmsg+808',
  'inet_recvmsg+81',
  'sock_recvmsg+67',
  'sock_read_iter+144',
  'new_sync_read+228',
  '__vfs_read+41',
  'vfs_read+142',
  'sys_read+85',
  'do_syscall_64+115',
  'entry_SYSCALL_64_after_hwframe+61',
];
const UNINDENTED = `@[\n${FRAMES.join('\n')}\n]: 3\n`;
const PERL_OUTPUT =
  'entry_SYSCALL_64_after_hwframe+61;do_syscall_64+115;sys_read+85;vfs_read+142;__vfs_read+41;new_sync_read+228;sock_read_iter+144;sock_recvmsg+67;inet_recvmsg+81;tcp_recvmsg+808;_raw_spin_lock_bh+0 3\n';

describe('stackcollapse-bpftrace.pl example', () => {
  it('unindented frames, offsets kept: the Perl script’s output line', () => {
    const { stacks, report } = collapseBpftrace(UNINDENTED, { keepOffsets: true });
    expect(report.skipped).toBe(0);
    expect(report.entries).toBe(1);
    expect(formatFolded(stacks)).toBe(PERL_OUTPUT);
  });
  it('indented frames give the same line', () => {
    const indented = `@[\n${FRAMES.map((f) => `    ${f}`).join('\n')}\n]: 3\n`;
    expect(formatFolded(collapseBpftrace(indented, { keepOffsets: true }).stacks)).toBe(PERL_OUTPUT);
  });
  it('offsets dropped when asked (call sites merge)', () => {
    const two = `${UNINDENTED}@[\n${FRAMES.map((f) => f.replace(/\+\d+$/, '+1')).join('\n')}\n]: 2\n`;
    const { stacks } = collapseBpftrace(two);
    expect([...stacks]).toEqual([[PERL_OUTPUT.split(' ')[0]!.replace(/\+\d+/g, ''), 5]]);
  });
  it('several unindented entries with a scalar after ",", fed a few bytes at a time', () => {
    const text = `Attaching 1 probe...\n\n@[\nfoo+1\nbar+2\n, nginx]: 7\n@[\nbaz+3\n]: 1\n`;
    const c = createBpftraceCollapser({ keepOffsets: true });
    for (let i = 0; i < text.length; i += 3) c.write(text.slice(i, i + 3));
    const { stacks, report } = c.finish();
    expect(report.skipped).toBe(0);
    expect(Object.fromEntries(stacks)).toEqual({ 'nginx;bar+2;foo+1': 7, 'baz+3': 1 });
  });
});
