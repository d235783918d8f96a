import { describe, expect, it } from 'vitest';
import { FP_WARNING } from '../../src/probes/bpftrace.js';
import type { CpuProbeSpec, OffcpuProbeSpec } from '../../src/scenario/types.js';
import { expectAvailableAsRoot, load, nginxForSuite, readFolded, readMeta, recordAllOk } from './helpers.js';

/**
 * nginx waits for its sockets in epoll_wait, and the offcpu probe drops those idle waits: a worker
 * that is never preempted (a quiet machine) then records no off-CPU time at all. `/block` makes
 * the worker really sleep, in nanosleep (state S) rather than epoll_wait, during the window, so
 * there is off-CPU time to record whatever the neighbours do. `/` burns CPU for the cpu probe.
 */
const CONFIG = `
server {
  listen {{host}}:{{port}};
  location / {
    content_by_lua_block {
      local s = 0
      for i = 1, 6000 do s = s + math.sin(i) * math.cos(i) end
      ngx.say(s)
    }
  }
  location /block {
    content_by_lua_block {
      local ffi = require "ffi"
      pcall(ffi.cdef, "int usleep(unsigned int usec);") -- once per worker; a second cdef errors
      ffi.C.usleep(10000) -- blocks the worker for 10 ms
      ngx.say("slept")
    }
  }
}
`;

const cpu: CpuProbeSpec = { kind: 'cpu', id: 'bt-cpu', backend: 'bpftrace', frequency: 99, callGraph: 'fp' };
const offcpu: OffcpuProbeSpec = { kind: 'offcpu', id: 'bt-offcpu', backend: 'bpftrace', callGraph: 'fp', keepIdle: false, maxMegabytes: 64 };

describe('bpftrace backend on a real nginx', () => {
  const nginx = nginxForSuite([], 2, CONFIG);

  it('is available as root', async () => {
    await expectAvailableAsRoot([cpu, offcpu]);
  });

  it('records cpu and offcpu for real, says user stacks need frame pointers, leaves no bpftrace behind', async () => {
    const s = nginx();
    await recordAllOk(s, [cpu, offcpu], 2, () =>
      Promise.all([load(s.target, { seconds: 2, connections: 4 }), load(s.target, { path: '/block', seconds: 2, connections: 2 })]),
    );

    const cpuMeta = readMeta(s, 'bt-cpu');
    const cpuFolded = readFolded(s, 'bt-cpu');
    expect(cpuMeta.sampleCount).toBeGreaterThan(0); // how many depends on the CPU the shared machine leaves nginx
    expect([...cpuFolded.keys()].every((k) => k.startsWith('nginx;'))).toBe(true);
    expect(cpuMeta.warnings.some((w) => w.startsWith(FP_WARNING))).toBe(true);

    const offMeta = readMeta(s, 'bt-offcpu');
    const off = readFolded(s, 'bt-offcpu');
    expect(offMeta.unit).toBe('microseconds');
    expect(offMeta.totalWeight).toBeGreaterThan(0);
    expect([...off.keys()].every((k) => /;\[state:(R|R\+|S|D|other)\]$/.test(k))).toBe(true);
    expect([...off.keys()].some((k) => k.includes('__schedule'))).toBe(true);
    // The sleeps of /block: 2 s of 10 ms sleeps on 2 connections; at least a tenth of that, in
    // state S. Not asserted by frame: in about 1 run in 18 every sleep of the run was recorded
    // with empty stacks (`nginx;[state:S]`), cause not pinned down (the stack maps of this
    // bpftrace 0.17 hold 131072 entries, so it is not a full map); the probe says so instead.
    const stateUs = offMeta.extra.stateUs as Record<string, number>;
    expect(stateUs.S).toBeGreaterThan(200_000);
    const sleptInStacks = [...off].filter(([k]) => k.endsWith(';[state:S]')).reduce((a, [, us]) => a + us, 0);
    expect(sleptInStacks).toBe(stateUs.S);
    const stackless = [...off].filter(([k]) => !k.slice(0, k.lastIndexOf(';')).includes(';')).reduce((a, [, us]) => a + us, 0);
    expect(offMeta.extra.noStackUs).toBe(stackless);
    expect(offMeta.warnings.some((w) => w.includes('without any stack'))).toBe(stackless > 0);
    // idle waits (how many depends on how busy the shared machine keeps the workers) are dropped
    expect(typeof offMeta.extra.idleDroppedUs).toBe('number');
    expect([...off.keys()].some((k) => k.includes('do_epoll_wait'))).toBe(false);
  }, 90_000);
});
