import { describe, expect, it } from 'vitest';
import { isStateFrame, selfFrameIndex, selfFrameOf } from '../../src/stacks/state-frames.js';

describe('state pseudo-frames', () => {
  it('recognises the VM, scheduler and wait states, and nothing else in brackets', () => {
    for (const f of ['[vm:GC]', '[vm:compiled]', '[state:R+]', '[wait:ngx.sleep]']) expect(isStateFrame(f)).toBe(true);
    for (const f of ['[nginx]', '[unknown]', '[libluajit-5.1.so.2.1.0]', 'vm:GC', '[vm:GC]x']) expect(isStateFrame(f)).toBe(false);
  });
  it('gives self to the code under the states', () => {
    expect(selfFrameOf('main;lua/work.lua:handle;[vm:GC]')).toBe('lua/work.lua:handle');
    expect(selfFrameOf('main;f;[state:S];[wait:ngx.sleep]')).toBe('f');
    expect(selfFrameOf('main;f')).toBe('f');
    expect(selfFrameOf('[vm:C]')).toBe('[vm:C]');
    expect(selfFrameIndex(['a', 'b', '[vm:GC]'])).toBe(1);
    expect(selfFrameIndex(['[vm:GC]'])).toBe(0);
  });
});

describe('compare: frames whose self share changed', () => {
  it('ranks the Lua functions, not the VM states at the leaves', async () => {
    const { frameChanges } = await import('../../src/compare/frames.js');
    const a = new Map([
      ['h;enc;[vm:GC]', 50],
      ['h;esc;[vm:compiled]', 50],
    ]);
    const b = new Map([
      ['h;enc;[vm:GC]', 20],
      ['h;esc;[vm:GC]', 80],
    ]);
    const rows = frameChanges([a], [b], { alpha: 0.05 });
    expect(rows.map((r) => [r.frame, Math.round(r.deltaPp)])).toEqual([
      ['enc', -30],
      ['esc', 30],
    ]);
  });
});
