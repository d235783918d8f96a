import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const main = path.join(root, 'src/cli/main.ts');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', main, 'report', ...args], { cwd: root }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'fb-report-cli-'));
  await cp(path.join(root, 'test/fixtures/run-sample'), path.join(tmp, 'run'), { recursive: true });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('flamebench report <run-dir>', () => {
  it('writes report.html and prints its path (exit 0)', async () => {
    const r = await cli(path.join(tmp, 'run'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = path.join(tmp, 'run', 'report.html');
    expect(r.stdout.trim()).toBe(file);
    expect((await stat(file)).size).toBeGreaterThan(10_000);
    expect(await readFile(file, 'utf8')).toContain('lua-work');
  });

  it('prints a file:// URL with --open-path', async () => {
    const r = await cli(path.join(tmp, 'run'), '--open-path');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pathToFileURL(path.join(tmp, 'run', 'report.html')).href);
  });

  it('exits 2 naming run.json when the directory is not a run directory', async () => {
    const r = await cli(tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('E_NOT_A_RUN_DIR');
    expect(r.stderr).toContain(path.join(tmp, 'run.json'));
    expect(r.stdout).toBe('');
  });

  it('exits 2 when the directory does not exist', async () => {
    const r = await cli(path.join(tmp, 'nope'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a directory');
  });

  it('exits 2 without an argument', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
  });
});
