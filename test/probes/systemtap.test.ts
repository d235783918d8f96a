import { describe, expect, it } from 'vitest';
import { checkProbes, startProbes } from '../../src/probes/index.js';
import { systemtapArgs, systemtapAvailability, type StapDeps } from '../../src/probes/systemtap.js';
import { kernelDebuginfo, which } from '../../src/probes/env.js';
import { runPaths } from '../../src/runs/paths.js';
import type { SystemtapProbeSpec } from '../../src/scenario/types.js';
import type { RunningNginx } from '../../src/nginx/types.js';

const spec: SystemtapProbeSpec = { kind: 'systemtap', id: 'stap', tool: 'sample-bt', toolkitDir: '/opt/openresty-systemtap-toolkit' };
const all: StapDeps = { which: () => '/usr/bin/stap', exists: () => true, debuginfo: () => '/usr/lib/debug/boot/vmlinux-x', isRoot: () => true };

describe('systemtap probe', () => {
  it('is unavailable on this machine, with the reason and a fix', async () => {
    const [st] = await checkProbes([spec], { isRoot: true, nginx: null });
    expect(st?.status).toBe('unavailable');
    const expected = which('stap') ? /kernel debuginfo/ : /stap\) is not installed/;
    expect(st?.error?.message).toMatch(expected);
    expect(st?.error?.hint).not.toBe('');
    expect(which('stap') !== null && kernelDebuginfo() !== null).toBe(false);
  });

  it('walks every reason: stap, debuginfo, root, toolkit', () => {
    expect(systemtapAvailability(spec, { ...all, which: () => null }).reason).toMatch(/not installed/);
    expect(systemtapAvailability(spec, { ...all, debuginfo: () => null }).reason).toMatch(/debuginfo/);
    expect(systemtapAvailability(spec, { ...all, isRoot: () => false }).reason).toMatch(/root/);
    const noTool = systemtapAvailability(spec, { ...all, exists: () => false });
    expect(noTool.reason).toMatch(/sample-bt not found/);
    expect(noTool.fix).toMatch(/openresty-systemtap-toolkit/);
    expect(systemtapAvailability(spec, all)).toEqual({ available: true });
  });

  it('builds the toolkit command lines', () => {
    expect(systemtapArgs(spec, 42, 30)).toEqual({ cmd: '/opt/openresty-systemtap-toolkit/sample-bt', args: ['-p', '42', '-t', '30', '-u', '-k'] });
    expect(systemtapArgs({ ...spec, tool: 'sample-bt-off-cpu' }, 42, 30).args).toEqual(['-p', '42', '-t', '30', '-u', '-k']);
    expect(systemtapArgs({ ...spec, tool: 'ngx-sample-lua-bt' }, 7, 5.9)).toEqual({
      cmd: '/opt/openresty-systemtap-toolkit/ngx-sample-lua-bt',
      args: ['--luajit20', '-p', '7', '-t', '5'],
    });
  });

  it('starting it here yields a failed status with the reason, not an exception', async () => {
    const target = { workerPids: [process.pid] } as unknown as RunningNginx;
    const probes = await startProbes([spec], target, runPaths('/tmp/flamebench-stap-never-created'));
    const [st] = await probes.stop();
    expect(st?.status).toBe('failed');
    expect(st?.error?.code).toBe('E_PROBE_UNAVAILABLE');
  });
});
