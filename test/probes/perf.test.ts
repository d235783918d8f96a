import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startProbes } from '../../src/probes/index.js';
import type { CpuProbeSpec, LuaProbeSpec, OffcpuProbeSpec } from '../../src/scenario/types.js';
import type { RunningNginx } from '../../src/nginx/types.js';
import { expectAvailableAsRoot, load, nginxForSuite, readFolded, readMeta, recordAllOk, recordersOf } from './helpers.js';

const cpu: CpuProbeSpec = { kind: 'cpu', id: 'cpu', backend: 'perf', frequency: 99, callGraph: 'dwarf' };
const offcpu: OffcpuProbeSpec = { kind: 'offcpu', id: 'offcpu', backend: 'perf', callGraph: 'dwarf', keepIdle: false, maxMegabytes: 64 };
const lua: LuaProbeSpec = { kind: 'lua', id: 'lua', frequency: 100 };

describe('perf probes on a real nginx', () => {
  const nginx = nginxForSuite([cpu, offcpu, lua]);

  it('checkProbes: perf probes are available here (root, perf installed)', async () => {
    await expectAvailableAsRoot([cpu, offcpu]);
  });

  it('cpu + offcpu + lua together: ngx_ frames reaching main, µs weights with thread states, no recorder left', async () => {
    const s = nginx();
    // perf records cpu and offcpu (two recorders); lua is the agent inside nginx. A mix of load: a
    // CPU-bound handler and one that waits (its workers sleep in epoll_wait and get woken).
    await recordAllOk(s, [cpu, offcpu, lua], 2, () =>
      Promise.all([load(s.target, { seconds: 3, connections: 4 }), load(s.target, { path: '/slow', seconds: 3, connections: 4 })]),
    );

    const cpuFolded = readFolded(s, 'cpu');
    const cpuMeta = readMeta(s, 'cpu');
    expect(cpuMeta.unit).toBe('samples');
    expect(cpuMeta.sampleCount).toBeGreaterThan(0); // how many depends on the CPU the shared machine leaves nginx
    expect([...cpuFolded.keys()].some((k) => k.includes(';ngx_http_core_run_phases;'))).toBe(true);
    expect([...cpuFolded.keys()].every((k) => k.startsWith('nginx;'))).toBe(true);
    // the share reaching main is measured and recorded (Lua JIT code stops dwarf unwinding, so not all do)
    expect(typeof cpuMeta.extra.reachMainPct).toBe('number');
    expect(cpuMeta.extra.reachMainPct as number).toBeGreaterThan(0);

    const off = readFolded(s, 'offcpu');
    const offMeta = readMeta(s, 'offcpu');
    expect(offMeta.unit).toBe('microseconds');
    expect(offMeta.totalWeight).toBeGreaterThan(0);
    const keys = [...off.keys()];
    expect(keys.every((k) => /;\[state:[A-Z+]+\]$/.test(k))).toBe(true);
    expect(keys.some((k) => k.endsWith('[state:R]'))).toBe(true);
    // idle waits were dropped and reported; none are left in the output
    expect(offMeta.extra.idleDropped as number).toBeGreaterThanOrEqual(0);
    expect(offMeta.extra.idleDroppedUs as number).toBeGreaterThanOrEqual(0);
    expect(keys.some((k) => k.includes('ngx_process_events_and_timers') && k.includes('epoll_wait'))).toBe(false);
    expect(offMeta.sampleCount).toBe(offMeta.extra.paired);
  }, 120_000);

  it('a probe that fails to start (perf on a dead pid) is "failed" while the others succeed', async () => {
    const s = nginx();
    const dead: RunningNginx = { ...s.target, workerPids: [2 ** 22 + 12345] };
    const probes = await startProbes([cpu], dead, s.paths);
    const good = await startProbes([lua], s.target, s.paths);
    await load(s.target, { seconds: 1 });
    const [bad] = await probes.stop();
    const [ok] = await good.stop();
    expect(bad?.status).toBe('failed');
    expect(bad?.error?.code).toBe('E_PROBE_START');
    expect(bad?.error?.message).toMatch(/perf record/);
    expect(ok?.status).toBe('ok');
    expect(recordersOf(s.paths)).toEqual([]);
  }, 60_000);

  it('abort kills the recorders without post-processing', async () => {
    const s = nginx();
    const probes = await startProbes([{ ...cpu, id: 'cpu-aborted' }], s.target, s.paths);
    const pids = probes.recorderPids();
    expect(pids.length).toBe(1);
    await probes.abort();
    await probes.abort();
    expect(recordersOf(s.paths)).toEqual([]);
    expect(existsSync(s.paths.folded('cpu-aborted'))).toBe(false);
  }, 30_000);
});
