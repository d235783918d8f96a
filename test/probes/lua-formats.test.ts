import { describe, expect, it } from 'vitest';
import { CHARGED_C_TIME_FRAME, collapseJitProfile } from '../../src/stacks/jitprofile.js';
import { collapseLuaOffcpu } from '../../src/stacks/luaoffcpu.js';

// Lines in the agent's format (src/probes/lua/agent.lua), as two workers write them.
const worker1 = [
  '# flamebench jit.profile v1',
  '# pid=101 interval_ms=4 callbacks=12 flagged_callbacks=1 flagged_samples=3 errors=0 duration_us=5000',
  's\t10\tN\tcontent_by_lua(nginx.conf:10):0;content_by_lua(nginx.conf:10):make_body;content_by_lua(nginx.conf:10):busy_work',
  's\t2\tC\tcontent_by_lua(nginx.conf:10):0',
  'f\t3\tI\tcontent_by_lua(nginx.conf:10):0',
].join('\n');
const worker2 = [
  '# flamebench jit.profile v1',
  '# pid=102 interval_ms=4 callbacks=5 flagged_callbacks=0 flagged_samples=0 errors=1 duration_us=5000',
  's\t5\tN\tcontent_by_lua(nginx.conf:10):0;content_by_lua(nginx.conf:10):make_body;content_by_lua(nginx.conf:10):busy_work',
  's\t1\tG\t',
  'x\tnot a line',
].join('\n');

describe('collapseJitProfile', () => {
  it('merges workers, adds the VM state leaf, keeps charged C time under its own root', () => {
    const r = collapseJitProfile(`${worker1}\n${worker2}\n`);
    expect(Object.fromEntries(r.stacks)).toEqual({
      'content_by_lua(nginx.conf:10):0;content_by_lua(nginx.conf:10):make_body;content_by_lua(nginx.conf:10):busy_work;[vm:compiled]': 15,
      'content_by_lua(nginx.conf:10):0;[vm:C]': 2,
      [`${CHARGED_C_TIME_FRAME};content_by_lua(nginx.conf:10):0;[vm:interpreted]`]: 3,
      '[vm:GC]': 1,
    });
    expect(r.samples).toBe(18);
    expect(r.flaggedSamples).toBe(3);
    expect(r.info.pids).toEqual([101, 102]);
    expect(r.info.files).toBe(2);
    expect(r.info.counters.errors).toBe(1);
    expect(r.info.counters.callbacks).toBe(17);
    expect(r.report.skipped).toBe(1);
  });
});

describe('collapseLuaOffcpu', () => {
  it('weights stacks in µs with the wait kind as leaf, totals per kind', () => {
    const text = [
      '# flamebench lua-offcpu v1',
      '# pid=7 waits=3 short_waits=1 errors=0 clock_monotonic=1',
      '# wrapped ngx.sleep,tcp.connect',
      'w\t2\t100000\tngx.sleep\ta.lua:0;a.lua:handler',
      'w\t1\t2500.4\ttcp.receive\ta.lua:0;a.lua:fetch',
      'w\tbad',
    ].join('\n');
    const r = collapseLuaOffcpu(text);
    expect(Object.fromEntries(r.stacks)).toEqual({ 'a.lua:0;a.lua:handler;[wait:ngx.sleep]': 100000, 'a.lua:0;a.lua:fetch;[wait:tcp.receive]': 2500 });
    expect(r.waits).toBe(3);
    expect(r.kindUs).toEqual({ 'ngx.sleep': 100000, 'tcp.receive': 2500 });
    expect(r.info.counters.short_waits).toBe(1);
    expect(r.report.skipped).toBe(1);
  });
});
