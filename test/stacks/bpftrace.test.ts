import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bpftraceFrame, collapseBpftrace, createBpftraceCollapser } from '../../src/stacks/bpftrace.js';
import { formatFolded, totalWeight } from '../../src/stacks/folded.js';

// Real bpftrace 0.17 captures, see test/fixtures/bpftrace/README.md
const fx = (name: string) => readFileSync(new URL(`../fixtures/bpftrace/${name}`, import.meta.url), 'utf8');
const entryValues = (text: string) => [...text.matchAll(/\]: (\d+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);

describe('collapseBpftrace on real captures', () => {
  it('@[kstack, ustack, comm] = count(): comm first, user then kernel frames, counts kept', () => {
    const text = fx('profile-yes.raw.txt');
    const { stacks, report } = collapseBpftrace(text);
    expect(report.skipped).toBe(0);
    expect(report.entries).toBe((text.match(/^@\[/gm) ?? []).length);
    expect(totalWeight(stacks)).toBe(entryValues(text));
    for (const k of stacks.keys()) expect(k.startsWith('yes')).toBe(true);
    // the write syscall path: user frame, then the kernel from the syscall entry down to the leaf
    const sys = [...stacks.keys()].find((k) => k.includes(';__GI___write;entry_SYSCALL_64_after_hwframe;do_syscall_64;ksys_write;vfs_write'));
    expect(sys).toBeDefined();
    expect(sys).not.toMatch(/\+\d+/);
  });
  it('@[kstack, ustack]: no frame pointers → one symbol and [unknown] addresses; truncation reported', () => {
    const text = fx('profile-perl-kstack-ustack.raw.txt');
    const { stacks, report } = collapseBpftrace(text);
    expect(totalWeight(stacks)).toBe(entryValues(text));
    expect([...stacks.keys()].some((k) => k.includes('[unknown]'))).toBe(true);
    expect([...stacks.keys()].every((k) => !k.includes('0x'))).toBe(true);
    expect(report.truncatedUserStacks).toBeGreaterThan(0);
  });
  it('off-CPU sums in microseconds, with the kernel part and an annotate option', () => {
    const text = fx('offcpu-sh.raw.txt');
    const { stacks, report } = collapseBpftrace(text, { annotateKernel: true });
    expect(report.maps).toEqual(['@us']);
    expect(totalWeight(stacks)).toBe(entryValues(text));
    const k = [...stacks.keys()].find((s) => s.includes('__vfork'));
    expect(k).toBe('sh;__vfork;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];__x64_sys_vfork_[k];kernel_clone_[k];wait_for_completion_state_[k];__wait_for_common_[k];schedule_timeout_[k];schedule_[k];__schedule_[k]');
  });
  it('is the same when streamed in small pieces', () => {
    const text = fx('offcpu-sh.raw.txt');
    const c = createBpftraceCollapser();
    for (let i = 0; i < text.length; i += 11) c.write(text.slice(i, i + 11));
    expect(formatFolded(c.finish().stacks)).toBe(formatFolded(collapseBpftrace(text).stacks));
  });
});

describe('bpftrace format details', () => {
  it('handles empty stacks, scalar keys, other maps and junk', () => {
    const text = '@start[123]: 99\n@[, \n    main+3\n, 42, app]: 7\n@[\n    f+1\n]: 2\nwhat is this\n@total: 5\n';
    const { stacks, report } = collapseBpftrace(text);
    expect(formatFolded(stacks)).toBe('42;app;main 7\nf 2\n');
    expect(report.ignoredEntries).toBe(1);
    expect(report.skipped).toBe(1);
    expect(collapseBpftrace(text, { map: '@nope' }).stacks.size).toBe(0);
  });
  it('reads ustack(perf) frames', () => {
    expect(bpftraceFrame('\t7f0d8d8b14dd __GI___write+29 (/usr/lib/x86_64-linux-gnu/libc.so.6)')).toBe('__GI___write');
    expect(bpftraceFrame('\t55d0c0 [unknown] (/usr/sbin/nginx)')).toBe('[nginx]');
    expect(bpftraceFrame('    0x7f9eb5991ad7')).toBe('[unknown]');
  });
});
