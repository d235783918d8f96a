import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../../src/runs/types.js';
import { cliArgs, repoRoot, runCli, type CliResult } from '../helpers/cli.js';
import { isAlive, processesMentioning } from '../helpers/procs.js';
import { writeScenarioFile } from '../helpers/scenario.js';

/** Issue 11, row 11: connection counts nginx or the loader cannot hold are refused before the load starts. */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-conn-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const readJson = <T>(f: string): T => JSON.parse(readFileSync(f, 'utf8')) as T;

const scenario = (name: string, load: string[], openresty: string[] = []): string =>
  writeScenarioFile(tmp, name, { openresty, location: 'return 200 "hi\\n";', load: ['duration: 1', 'warmup: 0', ...load] });

/** The CLI under a lower open-files limit (soft and hard), as `ulimit -n` would set it. */
function runCliWithNofile(nofile: number, args: string[]): Promise<CliResult> {
  const [node, argv] = cliArgs(args);
  const child = spawn('prlimit', [`--nofile=${nofile}:${nofile}`, node, ...argv], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

function expectStoppedCleanly(out: string): RunManifest {
  const m = readJson<RunManifest>(path.join(out, 'run.json'));
  expect(m.status).toBe('failed');
  expect(m.load).toBeNull();
  for (const pid of [m.target!.masterPid, ...m.target!.workerPids]) expect(isAlive(pid)).toBe(false);
  expect(processesMentioning(out)).toEqual([]);
  return m;
}

describe('connection limits (real nginx)', () => {
  it('connections: 100000 (the schema maximum) against worker_connections 4096: exit 2 at once, nothing left running', async () => {
    const out = path.join(tmp, 'many');
    const t0 = Date.now();
    const r = await runCli(['run', scenario('many', ['connections: 100000']), '--out', out, '--quiet', '--no-report']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/E_LOAD_CONNECTIONS/);
    expect(r.stderr).toMatch(/100000 connections, but nginx can hold 4095/);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(expectStoppedCleanly(out).error?.code).toBe('E_LOAD_CONNECTIONS');
  }, 60_000);

  it('the same refusal for --connections on the command line', async () => {
    const out = path.join(tmp, 'flag');
    const r = await runCli(['run', scenario('flag', []), '--connections', '5000', '--out', out, '--quiet', '--no-report']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/5000 connections, but nginx can hold 4095/);
    expectStoppedCleanly(out);
  }, 60_000);

  it("more connections than the loader's RLIMIT_NOFILE: exit 3 with the ulimit to set", async () => {
    const out = path.join(tmp, 'nofile');
    // 4 workers × 511 slots hold 1000 connections in nginx; 512 descriptors do not hold them in the loader.
    const file = scenario('nofile', ['connections: 1000'], ['workers: 4']);
    const r = await runCliWithNofile(512, ['run', file, '--out', out, '--quiet', '--no-report']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/E_LOAD_OPEN_FILES/);
    expect(r.stderr).toMatch(/ulimit -n \d+/);
    expectStoppedCleanly(out);
  }, 60_000);
});
