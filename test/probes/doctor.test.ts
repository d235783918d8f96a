import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/probes/doctor.js';
import { perfEventParanoid } from '../../src/probes/env.js';
import { spawnCli } from '../helpers/cli.js';

describe('flamebench doctor', () => {
  it('--json: nginx with its Lua module, every probe kind with availability, exit 0', async () => {
    const r = await spawnCli(['doctor', '--json']).done;
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.coreOk).toBe(true);
    expect(report.nginx?.binary).toMatch(/nginx|openresty/);
    expect(report.nginx?.luaModule).toBe(true);
    expect(report.probes.map((p) => `${p.kind}/${p.backend ?? '-'}`)).toEqual([
      'cpu/perf',
      'cpu/bpftrace',
      'offcpu/perf',
      'offcpu/bpftrace',
      'lua/-',
      'lua-offcpu/-',
      'systemtap/-',
    ]);
    const stap = report.probes.find((p) => p.kind === 'systemtap');
    expect(stap?.available).toBe(false);
    expect(stap?.reason).toBeTruthy();
    expect(stap?.fix).toBeTruthy();
    const paranoid = report.checks.find((c) => c.name === 'perf_event_paranoid');
    expect(paranoid?.detail).toContain(String(perfEventParanoid()));
    // tracefs is mounted by doctor itself when root
    expect(report.checks.find((c) => c.name === 'tracefs')?.ok).toBe(true);
    const btCpu = report.probes.find((p) => p.kind === 'cpu' && p.backend === 'bpftrace');
    expect(btCpu?.reason).toMatch(/frame pointer/);
    // which LuaJIT a scenario with openresty.luajit: auto gets (the bootstrap builds the profiling one), and why
    expect(report.luajit, report.luajit?.reason).toMatchObject({ choice: 'auto', used: 'profiling', symbols: true, framePointers: true });
    expect(report.checks.find((c) => c.name === 'luajit')?.ok).toBe(true);
  }, 60_000);

  it('text output lists reasons and fixes; a missing nginx is exit 3', async () => {
    const ok = await spawnCli(['doctor']).done;
    expect(ok.stdout).toMatch(/core: ok/);
    expect(ok.stdout).toMatch(/systemtap\s+.*\n\s+fix: /);
    expect(ok.stdout).toMatch(/ok\s+luajit\s+profiling \/.*libluajit-5\.1\.so\.2 \(LuaJIT 2\.[^)]*symbols\) — openresty\.luajit is "auto" and the profiling build exists/);
    const bad = await spawnCli(['doctor', '--binary', '/nonexistent/nginx']).done;
    expect(bad.code).toBe(3);
    expect(bad.stdout).toMatch(/FAIL\s+nginx/);
    expect(bad.stdout).toMatch(/core: NOT ok/);
    expect(bad.stdout).toMatch(/no\s+lua\s+no nginx\/openresty found/);
  }, 60_000);
});
