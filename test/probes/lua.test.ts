import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startProbes } from '../../src/probes/index.js';
import type { LuaOffcpuProbeSpec, LuaProbeSpec } from '../../src/scenario/types.js';
import { errorLog, load, nginxForSuite, readFolded, readMeta } from './helpers.js';

const lua: LuaProbeSpec = { kind: 'lua', id: 'lua', frequency: 250 };
const waits: LuaOffcpuProbeSpec = { kind: 'lua-offcpu', id: 'lua-offcpu', minMicros: 0 };

describe('Lua probes on a real nginx', () => {
  const nginx = nginxForSuite([lua, waits]);

  it('lua: jit.profile stacks name the handler functions, end in VM states, flag charged C time, crash no worker', async () => {
    const s = nginx();
    const probes = await startProbes([lua], s.target, s.paths);
    await sleep(150); // the agent polls its control file every 50 ms
    await load(s.target, { seconds: 3 });
    const [status] = await probes.stop();
    expect(status?.status, JSON.stringify(status?.error)).toBe('ok');
    const folded = readFolded(s, 'lua');
    const meta = readMeta(s, 'lua');
    const keys = [...folded.keys()];
    expect(keys.some((k) => /:busy_work;/.test(k))).toBe(true);
    expect(keys.some((k) => /:make_body;/.test(k))).toBe(true);
    // every stack ends in a VM-state pseudo-frame
    expect(keys.every((k) => /;?\[vm:[A-Za-z-]+\]$/.test(k))).toBe(true);
    expect(meta.unit).toBe('samples');
    expect(meta.pids.sort()).toEqual([...s.target.workerPids].sort());
    expect(meta.sampleCount).toBeGreaterThan(0); // how many depends on the CPU the shared machine leaves nginx
    expect(typeof meta.extra.flaggedSamples).toBe('number');
    const charged = keys.filter((k) => k.startsWith('[nginx C time charged to next Lua entry];'));
    const chargedWeight = charged.reduce((a, k) => a + (folded.get(k) ?? 0), 0);
    expect(chargedWeight).toBe(meta.extra.flaggedSamples);
    expect(errorLog(s.paths)).not.toMatch(/exited on signal/);
    expect(s.target.workerPids.every((p) => isAlive(p))).toBe(true);
  }, 60_000);

  it('lua-offcpu: the function waiting on a slow upstream carries ~50 ms per request', async () => {
    const s = nginx();
    const probes = await startProbes([waits], s.target, s.paths);
    await sleep(150);
    const requests = 40;
    const r = await load(s.target, { path: '/slow', amount: requests, connections: 4 });
    expect(r.non2xx + r.errors).toBe(0);
    const small = 10;
    await load(s.target, { path: '/capture', amount: small, connections: 2 });
    await load(s.target, { path: '/sema', amount: small, connections: 2 });
    const [status] = await probes.stop();
    expect(status?.status, JSON.stringify(status?.error)).toBe('ok');
    const folded = readFolded(s, 'lua-offcpu');
    const meta = readMeta(s, 'lua-offcpu');
    expect(meta.unit).toBe('microseconds');
    let fetchUs = 0;
    let sleepUs = 0;
    for (const [k, v] of folded) {
      if (/:fetch_upstream;\[wait:tcp\.(receive|connect|send)\]$/.test(k)) fetchUs += v;
      if (/:slow_backend;\[wait:ngx\.sleep\]$/.test(k)) sleepUs += v;
    }
    // each request waits ≥ 50 ms on the upstream; allow queueing on a shared machine above that
    expect(fetchUs).toBeGreaterThan(requests * 50_000 * 0.95);
    expect(fetchUs).toBeLessThan(requests * 50_000 * 2);
    expect(sleepUs).toBeGreaterThan(requests * 50_000 * 0.95);
    expect(sleepUs).toBeLessThan(requests * 50_000 * 1.5);
    // subrequests and semaphores: 20 ms each
    const sum = (re: RegExp) => [...folded].filter(([k]) => re.test(k)).reduce((a, [, v]) => a + v, 0);
    const captureUs = sum(/:via_subrequest;\[wait:location\.capture\]$/);
    const semaUs = sum(/:wait_for_signal;\[wait:semaphore\.wait\]$/);
    expect(captureUs).toBeGreaterThan(small * 20_000 * 0.9);
    expect(captureUs).toBeLessThan(small * 20_000 * 3);
    expect(semaUs).toBeGreaterThan(small * 20_000 * 0.9);
    expect(semaUs).toBeLessThan(small * 20_000 * 3);
    expect(meta.extra.waits as number).toBeGreaterThanOrEqual(requests * 4 + small * 3);
    expect(errorLog(s.paths)).not.toMatch(/exited on signal/);
  }, 60_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
