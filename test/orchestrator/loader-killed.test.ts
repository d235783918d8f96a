import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadResult, RunManifest } from '../../src/runs/types.js';
import { spawnCli } from '../helpers/cli.js';
import { measuredWindowStarted } from '../helpers/run-window.js';
import { expectStoppedCleanly } from '../helpers/stopped-run.js';

/** Issue 11, row 9: the loader dies (SIGKILL) in the middle of the measured window. */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-loader-killed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const readJson = <T>(f: string): T => JSON.parse(readFileSync(f, 'utf8')) as T;

/** The loader child of `parent`: a node process running loader-process (taskset execs node, so it is a direct child). */
function loaderOf(parent: number): number | null {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(/^PPid:\s*(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (ppid === parent && cmdline.includes('loader-process')) return Number(name);
    } catch {
      /* exited meanwhile */
    }
  }
  return null;
}

describe('a loader killed mid-window (real nginx, real perf)', () => {
  it('keeps the seconds measured (load.json, partial) and the probe data, fails with E_LOADER_DIED, leaves nothing running', async () => {
    const out = path.join(tmp, 'killed');
    const { child, done } = spawnCli(['run', 'scenarios/hello.yaml', '--duration', '30', '--warmup', '1', '--out', out, '--quiet', '--no-report']);
    await measuredWindowStarted(out);
    // A few whole seconds of the window, then the loader dies without a word.
    await new Promise((r) => setTimeout(r, 3500));
    const loader = loaderOf(child.pid!);
    expect(loader).not.toBeNull();
    process.kill(loader!, 'SIGKILL');
    const r = await done;

    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/E_LOADER_DIED/);
    const m = readJson<RunManifest>(path.join(out, 'run.json'));
    expect(m.status).toBe('partial');
    expect(m.error?.code).toBe('E_LOADER_DIED');
    const load = readJson<LoadResult>(path.join(out, 'load.json'));
    expect(load.partial).toBe(true);
    expect(load.requests).toBeGreaterThan(0);
    expect(load.series.length).toBeGreaterThanOrEqual(2);
    expect(load.series.reduce((a, s) => a + s.requests, 0)).toBe(load.requests);
    expect(load.durationMs).toBeLessThan(20_000);
    expect(m.load?.requests).toBe(load.requests);
    // The probe was stopped and post-processed as usual, not marked skipped.
    expectStoppedCleanly(out, m);
  }, 120_000);
});
