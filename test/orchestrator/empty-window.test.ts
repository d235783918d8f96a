import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadResult, RunManifest } from '../../src/runs/types.js';
import { runCli } from '../helpers/cli.js';
import { processesMentioning } from '../helpers/procs.js';
import { writeScenarioFile } from '../helpers/scenario.js';
import { luaAvailable } from '../load/nginx-helper.js';

/** Runs that measured nothing (issue 11, row 3): a failed run with exit code 5, its counters kept. */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-empty-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const readJson = <T>(f: string): T => JSON.parse(readFileSync(f, 'utf8')) as T;

const scenario = (name: string, location: string, load: string[] = []): string =>
  writeScenarioFile(tmp, name, { location, load: ['connections: 4', 'duration: 1', 'warmup: 0.2', ...load] });

async function runEmpty(file: string, out: string): Promise<{ m: RunManifest; load: LoadResult; stderr: string }> {
  const r = await runCli(['run', file, '--out', out, '--quiet', '--no-report']);
  expect(r.code, r.stderr).toBe(5);
  expect(r.stderr).toMatch(/E_NO_MEASUREMENT/);
  expect(r.stderr).toMatch(/completed no request/);
  const m = readJson<RunManifest>(path.join(out, 'run.json'));
  expect(m.status).toBe('failed');
  expect(m.error?.code).toBe('E_NO_MEASUREMENT');
  // What was counted is kept: load.json and run.json's load summary.
  expect(existsSync(path.join(out, 'load.json'))).toBe(true);
  const load = readJson<LoadResult>(path.join(out, 'load.json'));
  expect(load.requests).toBe(0);
  expect(m.load?.requests).toBe(0);
  expect(processesMentioning(out)).toEqual([]);
  return { m, load, stderr: r.stderr };
}

describe('a measured window with no completed request (real nginx)', () => {
  it('return 444 (connection closed without a response): exit 5, counted as closedWithoutResponse errors', async () => {
    const { load, stderr } = await runEmpty(scenario('close444', 'return 444;'), path.join(tmp, 'close444'));
    expect(load.closedWithoutResponse).toBeGreaterThan(0);
    expect(load.errors).toBeGreaterThanOrEqual(load.closedWithoutResponse!);
    expect(stderr).toMatch(/closed the connections without answering/);
  }, 60_000);

  it.skipIf(!luaAvailable())('ngx.exit(444) from Lua: the same', async () => {
    const { load } = await runEmpty(scenario('exit444', 'content_by_lua_block { ngx.exit(444) }'), path.join(tmp, 'exit444'));
    expect(load.closedWithoutResponse).toBeGreaterThan(0);
  }, 60_000);

  it.skipIf(!luaAvailable())('every request timing out: exit 5, timeouts counted', async () => {
    const { load, stderr } = await runEmpty(
      scenario('hang', 'content_by_lua_block { ngx.sleep(5) ngx.say("late") }', ['timeout: 300ms']),
      path.join(tmp, 'hang'),
    );
    expect(load.timeouts).toBeGreaterThan(0);
    expect(stderr).toMatch(/longer than load.timeout/);
  }, 60_000);
});
