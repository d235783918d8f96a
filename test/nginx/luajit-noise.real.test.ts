/**
 * The flush agent on a real nginx, together with the lua probe (both live in the one
 * init_worker_by_lua_block nginx allows): the run completes, the agent starts without an error,
 * no worker crashes, and the Lua flame graph still shows the handler's functions.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/orchestrator/index.js';
import { loadScenario } from '../../src/scenario/index.js';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-luajit-noise-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('openresty.luajitNoise flush on a real nginx', () => {
  it('runs beside the lua probe; the profile still shows work.lua under the handler', async () => {
    const s = await loadScenario(new URL('../../scenarios/lua-work.yaml', import.meta.url).pathname);
    s.load.duration = 2;
    s.load.warmup = 0.5;
    s.probes = s.probes.filter((p) => p.kind === 'lua');
    // 20 ms of worker CPU: several flushes within the window even on a busy machine.
    s.openresty.luajitNoise = { method: 'flush', intervalMs: 20 };
    const out = path.join(tmp, 'run');
    const r = await runScenario(s, { reportsDir: tmp, outDir: out, quiet: true, noReport: true });
    expect(r.manifest.status).toBe('ok');
    expect(r.manifest.luajitNoise).toMatchObject({ method: 'flush', intervalMs: 20, requested: 'flush' });
    const conf = await fs.readFile(path.join(out, 'nginx', 'nginx.conf'), 'utf8');
    expect(conf.match(/^\s*init_worker_by_lua_block \{/gm)).toHaveLength(1);
    const log = await fs.readFile(path.join(out, 'nginx', 'error.log'), 'utf8');
    expect(log).not.toMatch(/luajit-noise|agent failed|exited on signal|\[error\]/);
    expect(r.manifest.probes.find((p) => p.id === 'lua')?.status).toBe('ok');
    const folded = await fs.readFile(path.join(out, 'stacks', 'lua.folded'), 'utf8');
    let total = 0;
    let handler = 0;
    for (const line of folded.trim().split('\n')) {
      const n = Number(line.slice(line.lastIndexOf(' ') + 1));
      total += n;
      if (/work\.lua:handle;.*work\.lua:encode_json/.test(line)) handler += n;
    }
    expect(total).toBeGreaterThan(0);
    // Most samples in the steady-state code, not in the compiler or the agent.
    expect(handler / total).toBeGreaterThan(0.3);
  }, 90_000);
});
