import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isIdleWait, pairOffcpu } from '../../src/stacks/offcpu.js';

// Real `perf script --show-switch-events` output of `perf record -e sched:sched_switch
// --switch-events --call-graph dwarf -p <2 nginx workers>` on this machine (Debian nginx 1.22 + lua).
const fixture = readFileSync(new URL('../fixtures/offcpu/perf-script-switch.txt', import.meta.url), 'utf8');

/** The same pairing done by hand over the fixture's headers, independent of the implementation. */
function expectedFromHeaders(text: string): { outs: number; totalUs: number; perState: Record<string, number> } {
  const lines = text.split('\n');
  const pending = new Map<number, { t: number; s: string }>();
  const perState: Record<string, number> = {};
  let outs = 0;
  let totalUs = 0;
  for (const l of lines) {
    const m = /^nginx\s+(\d+)\s+\[\d+\]\s+(\d+)\.(\d{6}):\s+(.*)$/.exec(l);
    if (!m) continue;
    const tid = Number(m[1]);
    const t = Number(m[2]) * 1e6 + Number(m[3]);
    if (m[4]!.startsWith('sched:sched_switch')) {
      outs++;
      pending.set(tid, { t, s: /prev_state=(\S+)/.exec(m[4]!)![1]! });
    } else if (/PERF_RECORD_SWITCH IN/.test(m[4]!)) {
      const p = pending.get(tid);
      if (p) {
        pending.delete(tid);
        totalUs += t - p.t;
        perState[p.s] = (perState[p.s] ?? 0) + t - p.t;
      }
    }
  }
  return { outs, totalUs, perState };
}

describe('off-CPU pairing of perf sched_switch + switch-in records', () => {
  it('pairs every switch-out of the capture with its tid\'s next switch-in, weights in µs', () => {
    const want = expectedFromHeaders(fixture);
    const kept = pairOffcpu(fixture, { keepIdle: true });
    expect(kept.report.skipped).toBe(0);
    expect(kept.stats.switchOuts).toBe(want.outs);
    expect(kept.stats.switchOuts).toBe(80);
    expect(kept.stats.paired + kept.stats.unpaired).toBe(80);
    let total = 0;
    for (const v of kept.stacks.values()) total += v;
    expect(total).toBe(want.totalUs);
    expect(kept.stats.stateUs).toEqual(want.perState);
  });

  it('keeps prev_state as a leaf pseudo-frame and the comm as root, frames root first', () => {
    const { stacks } = pairOffcpu(fixture, { keepIdle: true });
    const keys = [...stacks.keys()];
    expect(keys.every((k) => k.startsWith('nginx;_start;__libc_start_main_impl;'))).toBe(true);
    expect(keys.some((k) => k.endsWith(';schedule;__schedule;[state:S]'))).toBe(true);
    expect(keys.some((k) => k.endsWith(';__schedule;[state:R]'))).toBe(true);
    // [unknown] frames are named after their DSO, as stackcollapse-perf.pl does
    expect(keys.some((k) => k.includes(';[nginx];'))).toBe(true);
    expect(keys.some((k) => k.includes('[unknown]'))).toBe(false);
  });

  it('drops nginx\'s idle epoll_wait by default and reports the dropped µs', () => {
    const all = pairOffcpu(fixture, { keepIdle: true });
    const dropped = pairOffcpu(fixture);
    const idleKeys = [...all.stacks.keys()].filter((k) => isIdleWait(k.split(';')));
    expect(idleKeys.length).toBeGreaterThan(0);
    const idleUs = idleKeys.reduce((a, k) => a + (all.stacks.get(k) ?? 0), 0);
    expect(dropped.stats.idleDroppedUs).toBe(idleUs);
    expect(dropped.stats.idleDropped).toBe(all.stats.paired - dropped.stats.paired);
    expect([...dropped.stacks.keys()].some((k) => k.includes('epoll_wait'))).toBe(false);
    let total = 0;
    for (const v of dropped.stacks.values()) total += v;
    let allTotal = 0;
    for (const v of all.stacks.values()) allTotal += v;
    expect(total + idleUs).toBe(allTotal);
  });

  it('counts a switch-out without switch-in as unpaired, and skips garbage lines', () => {
    const header = 'nginx  7669 [001]   408.100000: sched:sched_switch: prev_comm=nginx prev_pid=7669 prev_prio=120 prev_state=D ==> next_comm=x next_pid=1 next_prio=120';
    const frame = '\t           4e9fa ngx_writev+0x1a (/usr/sbin/nginx)';
    const text = [header, frame, '', 'garbage line', 'nginx  7669 [001]   408.100250: PERF_RECORD_SWITCH IN', header.replace('408.100000', '408.200000'), frame, ''].join('\n');
    const r = pairOffcpu(text);
    expect(r.stats.paired).toBe(1);
    expect(r.stats.unpaired).toBe(1);
    expect([...r.stacks]).toEqual([['nginx;ngx_writev;[state:D]', 250]]);
    expect(r.report.skipped).toBe(1);
    expect(r.report.examples[0]).toMatch(/line 4: garbage line/);
  });
});
