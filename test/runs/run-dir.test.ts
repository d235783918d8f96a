import { mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlamebenchError } from '../../src/errors.js';
import { createRunDir, ensureDir } from '../../src/runs/run-dir.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-rundir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The error ensureDir throws, within a bound: /proc once made Node's recursive mkdir spin forever. */
async function dirError(dir: string): Promise<FlamebenchError> {
  const bound = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`ensureDir(${dir}) did not settle in 5 s`)), 5000).unref());
  try {
    await Promise.race([ensureDir(dir), bound]);
  } catch (e) {
    if (e instanceof FlamebenchError) return e;
    throw e;
  }
  throw new Error(`ensureDir(${dir}) succeeded`);
}

describe('run directories', () => {
  it('runs started in the same second (and at the same moment) get distinct directories', async () => {
    const when = new Date(2026, 11, 4, 12, 0, 0);
    const dirs = await Promise.all(Array.from({ length: 8 }, () => createRunDir(tmp, 'hello', when)));
    expect(new Set(dirs).size).toBe(8);
    expect(dirs.map((d) => path.basename(d)).sort()).toContain('20261204-120000-hello');
    expect(dirs.map((d) => path.basename(d))).toContain('20261204-120000-hello-8');
    for (const d of dirs) expect(statSync(d).isDirectory()).toBe(true);
  });

  it('creates missing parents, accepts an existing directory', async () => {
    const deep = path.join(tmp, 'a', 'b', 'c');
    await ensureDir(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await ensureDir(deep);
  });

  it.each([
    ['/etc/passwd/x', /\/etc\/passwd is a file/],
    ['/sys/kernel/x', /not permitted/],
    ['/proc/x', /does not allow new directories/],
    ['/proc/self/x/y', /./],
  ])('--out %s is exit 3 with a clear message, promptly', async (dir, message) => {
    const e = await dirError(dir);
    expect(e.exitCode).toBe(3);
    expect(e.code).toBe('E_OUT_DIR');
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(/--out/);
  });

  it('an existing file as the run directory is exit 3', async () => {
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const e = await dirError(file);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/exists and is not a directory/);
  });

  it('the CLI says so without a stack trace, and /proc does not hang it', async () => {
    for (const out of ['/proc/x', '/etc/passwd/x', '/etc/passwd']) {
      const started = Date.now();
      const r = await runCli(['run', 'scenarios/hello.yaml', '--out', out, '--quiet']);
      expect(r.code, `${out}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(/^error\[E_OUT_DIR\]/m);
      expect(r.stderr).not.toMatch(/E_INTERNAL|\n\s+at /);
      expect(Date.now() - started).toBeLessThan(20_000);
    }
    expect(readdirSync('/proc').includes('x')).toBe(false);
  }, 90_000);
});
