import { describe, expect, it } from 'vitest';
import { frameStats, leafStates, topFramesBySelf } from '../../src/report/model/frames.js';
import { topFrameRows } from '../../src/report/model/probes.js';
import { parseFolded } from '../../src/stacks/folded.js';

// Hand-checked: total weight 10.
//   main;a;b 3   → self b 3
//   main;a 2     → self a 2
//   main;c;b 4   → self b +4 = 7
//   main;r;r;r 1 → self r 1; r appears 3 times but counts once in total
const FOLDED = parseFolded('main;a;b 3\nmain;a 2\nmain;c;b 4\nmain;r;r;r 1\n').stacks;

describe('top frames by self time', () => {
  it('sums self where the frame is the leaf and total once per stack', () => {
    const byName = new Map(frameStats(FOLDED).map((f) => [f.name, f]));
    expect(byName.get('b')).toMatchObject({ self: 7, total: 7 });
    expect(byName.get('a')).toMatchObject({ self: 2, total: 5 });
    expect(byName.get('c')).toMatchObject({ self: 0, total: 4 });
    expect(byName.get('r')).toMatchObject({ self: 1, total: 1 });
    expect(byName.get('main')).toMatchObject({ self: 0, total: 10 });
  });

  it('orders by self, drops frames without self time, and limits', () => {
    expect(topFramesBySelf(FOLDED).map((f) => f.name)).toEqual(['b', 'a', 'r']);
    expect(topFramesBySelf(FOLDED, 2).map((f) => f.name)).toEqual(['b', 'a']);
  });

  it('formats rows with percentages of the probe total', () => {
    const rows = topFrameRows(FOLDED, 'samples');
    expect(rows[0]).toMatchObject({ rank: 1, name: 'b', self: '7', selfPct: '70.00%', total: '7', totalPct: '70.00%', selfBar: '100.0' });
    expect(rows[1]).toMatchObject({ name: 'a', self: '2', selfPct: '20.00%', total: '5', totalPct: '50.00%' });
    const us = topFrameRows(parseFolded('main;epoll_wait 2500\n').stacks, 'microseconds');
    expect(us[0]?.self).toBe('2.5 ms');
  });

  it('breaks ties deterministically whatever the input order', () => {
    const a = topFramesBySelf(parseFolded('x;q 1\nx;p 1\n').stacks).map((f) => f.name);
    const b = topFramesBySelf(parseFolded('x;p 1\nx;q 1\n').stacks).map((f) => f.name);
    expect(a).toEqual(['p', 'q']);
    expect(b).toEqual(a);
  });

  it('strips annotations for display but keeps kinds apart', () => {
    const f = parseFolded('main;tcp_sendmsg_[k] 2\nmain;tcp_sendmsg 1\nmain;Interp_[j] 1\n').stacks;
    const top = topFramesBySelf(f);
    expect(top.map((t) => [t.display, t.kind, t.self])).toEqual([
      ['tcp_sendmsg', 'kernel', 2],
      ['Interp', 'jit', 1],
      ['tcp_sendmsg', 'native', 1],
    ]);
  });

  it('gives the self time of a state pseudo-frame leaf ([vm:GC], [state:R]) to the function under it', () => {
    const f = parseFolded('h;re_gsub;[vm:GC] 4\nh;re_gsub;[vm:compiled] 2\nh;encode;[vm:C] 1\nh 1\nnginx;schedule;[state:R] 500\n').stacks;
    expect(topFramesBySelf(f).map((t) => [t.name, t.self, t.total])).toEqual([
      ['schedule', 500, 500],
      ['re_gsub', 6, 6],
      ['h', 1, 8],
      ['encode', 1, 1],
    ]);
    expect(leafStates(f)).toEqual([
      { state: '[state:R]', weight: 500 },
      { state: '[vm:GC]', weight: 4 },
      { state: '[vm:compiled]', weight: 2 },
      { state: '[vm:C]', weight: 1 },
    ]);
  });
});
