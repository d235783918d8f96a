import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadResult, RunManifest } from '../../src/runs/types.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { isAlive, processesMentioning } from '../helpers/procs.js';
import { measuredWindowStarted } from '../helpers/run-window.js';
import { expectStoppedCleanly } from '../helpers/stopped-run.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const readJson = <T>(f: string): T => JSON.parse(readFileSync(f, 'utf8')) as T;

describe('flamebench run (real nginx, real autocannon)', () => {
  it('runs a 3-second scenario and leaves a complete, consistent run directory', async () => {
    const out = path.join(tmp, 'hello');
    const r = await runCli(['run', 'scenarios/hello.yaml', '--duration', '3', '--warmup', '1', '--out', out, '--json']);
    expect(r.stderr).not.toMatch(/E_INTERNAL/);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { status: string; requests: number; runDir: string };
    expect(summary.status).toBe('ok');
    expect(summary.runDir).toBe(out);

    const m = readJson<RunManifest>(path.join(out, 'run.json'));
    const load = readJson<LoadResult>(path.join(out, 'load.json'));
    expect(m.schemaVersion).toBe(2);
    expect(m.status).toBe('ok');
    expect(m.error).toBeNull();
    // run.json's load summary is load.json without the bulky parts: they must agree.
    expect(m.load?.requests).toBe(load.requests);
    expect(load.requests).toBeGreaterThan(100);
    expect(summary.requests).toBe(load.requests);
    expect(load.latencyUs.p50).toBeGreaterThan(0);
    expect(load.latencyUs.p50).toBeLessThanOrEqual(load.latencyUs.p99);
    expect(load.latencyUs.p99).toBeLessThanOrEqual(load.latencyUs.max);
    expect(load.series.length).toBeGreaterThanOrEqual(2);
    expect(load.series.length).toBeLessThanOrEqual(4);
    expect(load.statusCodes['200']).toBeGreaterThan(0);

    // The workers existed, were measured, and are gone now.
    expect(m.target?.workerPids.length).toBeGreaterThan(0);
    expect(m.cpu.summary?.workerPctMean).toBeGreaterThan(0);
    expect(m.cpu.summary?.workerCpuUs).toBeGreaterThan(0);
    expect(m.cpu.summary?.workerCpuUsPerRequest).toBeGreaterThan(0);
    expect(m.cpu.samples.some((s) => s.phase === 'measure' && s.workers.some((w) => w > 0))).toBe(true);
    for (const pid of [m.target!.masterPid, ...m.target!.workerPids]) expect(isAlive(pid)).toBe(false);
    expect(processesMentioning(out)).toEqual([]);

    expect(m.environment?.nginxVersion).toMatch(/nginx version/);
    expect(m.environment?.cores).toBeGreaterThan(0);
    expect(m.timings.measureStartedAt).not.toBeNull();
    expect(readFileSync(path.join(out, 'nginx/nginx.conf'), 'utf8')).toMatch(/return 200/);
    expect(existsSync(path.join(out, 'nginx/error.log'))).toBe(true);
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
  }, 90_000);

  it('on Ctrl-C mid-run exits 130 promptly, keeps a partial run directory with its probe data and leaves nothing running', async () => {
    const out = path.join(tmp, 'interrupted');
    // Its own process group, so that the signal below reaches every process of the run as a terminal's Ctrl-C does.
    const { child, done } = spawnCli(['run', 'scenarios/hello.yaml', '--duration', '30', '--warmup', '1', '--out', out, '--quiet'], {
      detached: true,
    });
    // Wait until the measured window has started (run.json says so), bounded.
    await measuredWindowStarted(out);
    await new Promise((r) => setTimeout(r, 2000));
    const sentAt = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    const r = await done;
    const exitMs = Date.now() - sentAt;
    expect(r.code, r.stderr).toBe(130);
    const m = readJson<RunManifest>(path.join(out, 'run.json'));
    expect(m.status).toBe('partial');
    expect(m.error?.code).toBe('E_INTERRUPTED');
    const load = readJson<LoadResult>(path.join(out, 'load.json'));
    expect(load.requests).toBeGreaterThan(0);
    expect(load.durationMs).toBeLessThan(20_000);
    // Stopping is bounded: nginx QUIT + probe post-processing, not the rest of the 30 s window.
    expect(exitMs).toBeLessThan(15_000);
    // The cpu probe was stopped by flamebench (not killed by the terminal) and its stacks were kept.
    expectStoppedCleanly(out, m);
  }, 90_000);

  it('exits 2 with file:line:col on an invalid scenario and starts nothing', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'name: bad\nopenresty:\n  workers: many\n  config: "server {}"\n');
    const r = await runCli(['run', bad, '--out', path.join(tmp, 'bad-run')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:3:`);
    expect(existsSync(path.join(tmp, 'bad-run'))).toBe(false);
  });

  it('exits 3 (environment) when the scenario asks for a port that is busy', async () => {
    const net = await import('node:net');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const yaml = path.join(tmp, 'busy.yaml');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(
        yaml,
        [
          'name: busy',
          'openresty:',
          `  port: ${port}`,
          '  config: |',
          '    server { listen 127.0.0.1:{{port}}; location / { return 200; } }',
          'load:',
          '  duration: 1',
          '  warmup: 0',
        ].join('\n'),
      );
      const out = path.join(tmp, 'busy-run');
      const r = await runCli(['run', yaml, '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/E_PORT_BUSY/);
      expect(readJson<RunManifest>(path.join(out, 'run.json')).status).toBe('failed');
      expect(processesMentioning(out)).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('a scenario with load.workers (the old name of load.threads) runs with 2 loader threads; the deprecation warning is on the terminal, in run.json and the report', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = path.join(tmp, 'old-workers.yaml');
    writeFileSync(
      file,
      ['name: old-workers', 'openresty:', '  config: |', '    server { listen 127.0.0.1:{{port}}; location / { return 200 "hi\\n"; } }', 'load:', '  duration: 500ms', '  warmup: 0', '  connections: 4', '  workers: 2', 'probes: []', ''].join('\n'),
    );
    const out = path.join(tmp, 'old-workers');
    const r = await runCli(['run', file, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const where = `${file}:9:3  /load/workers  load.workers is deprecated`;
    // Printed before the run, also with --quiet.
    expect(r.stderr).toContain(`warning: ${where}`);
    const m = readJson<RunManifest>(path.join(out, 'run.json'));
    expect(m.warnings.filter((w) => w.startsWith(where))).toHaveLength(1);
    expect(m.scenario.load.threads).toBe(2);
    expect(m.load?.settings.threads).toBe(2);
    expect(m.load?.requests).toBeGreaterThan(0);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain(`${file}:9:3  /load/workers  load.workers is deprecated`);
  }, 90_000);
});
